namespace MarketPulse.Core.Indicators;

/// <summary>
/// Bollinger Bands: middle = SMA(period); upper/lower = middle ± k·σ with σ the population standard deviation
/// of the same window (Bollinger's definition). %B = (x − lower)/(upper − lower) and
/// bandwidth = (upper − lower)/middle. <see cref="Current"/> is the middle band.
/// </summary>
/// <remarks>
/// On a flat window (σ = 0) %B is 0.5 — the price is on the middle band — rather than 0/0.
/// </remarks>
public sealed class BollingerBands : IIndicator
{
    private readonly RollingMoments _moments;
    private readonly double _k;
    private double _last = double.NaN;

    public BollingerBands(int period = 20, double standardDeviations = 2.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        if (!(standardDeviations > 0) || !double.IsFinite(standardDeviations))
            throw new ArgumentOutOfRangeException(nameof(standardDeviations));
        _moments = new RollingMoments(period);
        _k = standardDeviations;
    }

    public int Period => _moments.Period;
    public double StandardDeviations => _k;
    public int WarmUpPeriod => _moments.Period;
    public long Samples { get; private set; }
    public bool IsReady => _moments.IsFull;
    public double Current => Middle;
    public double Middle => IsReady ? _moments.Mean : double.NaN;
    public double StandardDeviation => IsReady ? Math.Sqrt(_moments.PopulationVariance) : double.NaN;
    public double Upper => Middle + _k * StandardDeviation;
    public double Lower => Middle - _k * StandardDeviation;

    public double PercentB
    {
        get
        {
            if (!IsReady) return double.NaN;
            var width = 2 * _k * StandardDeviation;
            return width == 0 ? 0.5 : (_last - Lower) / width;
        }
    }

    public double Bandwidth => IsReady ? 2 * _k * StandardDeviation / Middle : double.NaN;

    public bool Update(double value)
    {
        if (!double.IsFinite(value)) return IsReady;
        Samples++;
        _last = value;
        _moments.Add(value);
        return IsReady;
    }

    public void Reset()
    {
        _moments.Reset();
        _last = double.NaN;
        Samples = 0;
    }
}
