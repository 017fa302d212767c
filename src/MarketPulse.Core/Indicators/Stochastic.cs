namespace MarketPulse.Core.Indicators;

/// <summary>
/// Lane's fast stochastic oscillator: %K = 100·(close − lowest low)/(highest high − lowest low) over the last
/// <c>kPeriod</c> bars, %D = simple average of the last <c>dPeriod</c> %K values. <see cref="Current"/> is %K;
/// the indicator is ready when %D is, after <c>kPeriod + dPeriod − 1</c> bars.
/// </summary>
/// <remarks>
/// When the range is flat (highest high = lowest low) %K is 50: the close sits in the middle of a zero range,
/// the same convention as <see cref="RelativeStrengthIndex"/> on a flat series, instead of 0/0.
/// </remarks>
public sealed class Stochastic : IBarIndicator
{
    private readonly RollingMaximum _highest;
    private readonly RollingMaximum _negatedLowest;
    private readonly SimpleMovingAverage _d;
    private readonly int _kPeriod;
    private double _k = double.NaN;

    public Stochastic(int kPeriod = 14, int dPeriod = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dPeriod, 1);
        _kPeriod = kPeriod;
        _highest = new RollingMaximum(kPeriod);
        _negatedLowest = new RollingMaximum(kPeriod);
        _d = new SimpleMovingAverage(dPeriod);
    }

    public int KPeriod => _kPeriod;
    public int DPeriod => _d.Period;
    public int WarmUpPeriod => _kPeriod + _d.Period - 1;
    public long Samples { get; private set; }
    public bool IsReady => _d.IsReady;
    public double Current => IsReady ? _k : double.NaN;
    public double PercentK => IsReady ? _k : double.NaN;
    public double PercentD => _d.Current;

    /// <summary><paramref name="volume"/> does not enter the value; it is part of the bar contract.</summary>
    public bool Update(double high, double low, double close, double volume)
    {
        if (BarGap.Is(high, low, close, volume)) return IsReady;
        Samples++;
        _highest.Add(high);
        _negatedLowest.Add(-low);
        if (Samples < _kPeriod) return false;
        var highest = _highest.Value;
        var lowest = -_negatedLowest.Value;
        var range = highest - lowest;
        _k = range == 0 ? 50.0 : 100.0 * (close - lowest) / range;
        return _d.Update(_k);
    }

    public void Reset()
    {
        _highest.Reset();
        _negatedLowest.Reset();
        _d.Reset();
        _k = double.NaN;
        Samples = 0;
    }
}
