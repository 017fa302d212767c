namespace MarketPulse.Core.Indicators;

/// <summary>
/// Standard score of the latest input against the last <c>period</c> inputs (itself included):
/// (x − mean)/σ with σ the population standard deviation of that window. On a flat window it is 0
/// (the input equals the mean) rather than 0/0.
/// </summary>
public sealed class ZScore : IIndicator
{
    private readonly RollingMoments _moments;
    private double _last = double.NaN;

    public ZScore(int period = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        _moments = new RollingMoments(period);
    }

    public int Period => _moments.Period;
    public int WarmUpPeriod => _moments.Period;
    public long Samples { get; private set; }
    public bool IsReady => _moments.IsFull;

    public double Current
    {
        get
        {
            if (!IsReady) return double.NaN;
            var sd = Math.Sqrt(_moments.PopulationVariance);
            return sd == 0 ? 0 : (_last - _moments.Mean) / sd;
        }
    }

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
