namespace MarketPulse.Core.Indicators;

/// <summary>
/// Wilder's average true range. True range = max(high − low, |high − previous close|, |low − previous close|);
/// the first bar has no previous close, so its true range is high − low (Wilder; LEAN does the same).
/// The average is seeded with the simple mean of the first <c>period</c> true ranges, then smoothed with
/// 1/period, so it is defined after <c>period</c> bars.
/// </summary>
public sealed class AverageTrueRange : IBarIndicator
{
    private readonly int _period;
    private double _previousClose = double.NaN;
    private double _seedSum;
    private double _value = double.NaN;

    public AverageTrueRange(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _period = period;
    }

    public int Period => _period;
    public int WarmUpPeriod => _period;
    public long Samples { get; private set; }
    public bool IsReady => Samples >= _period;
    public double Current => IsReady ? _value : double.NaN;

    /// <summary>The latest bar's true range; NaN before the first bar.</summary>
    public double TrueRange { get; private set; } = double.NaN;

    /// <summary><paramref name="volume"/> does not enter the value; it is part of the bar contract.</summary>
    public bool Update(double high, double low, double close, double volume)
    {
        if (BarGap.Is(high, low, close, volume)) return IsReady;
        var range = high - low;
        if (Samples > 0)
        {
            range = Math.Max(range, Math.Max(Math.Abs(high - _previousClose), Math.Abs(low - _previousClose)));
        }
        TrueRange = range;
        _previousClose = close;
        Samples++;
        if (Samples < _period) _seedSum += range;
        else if (Samples == _period) _value = (_seedSum + range) / _period;
        else _value += (range - _value) / _period;
        return IsReady;
    }

    public void Reset()
    {
        _previousClose = double.NaN;
        _seedSum = 0;
        _value = double.NaN;
        TrueRange = double.NaN;
        Samples = 0;
    }
}
