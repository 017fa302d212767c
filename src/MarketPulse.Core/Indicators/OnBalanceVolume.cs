namespace MarketPulse.Core.Indicators;

/// <summary>
/// Granville's on-balance volume: a running total that adds the bar's volume when the close rises, subtracts it
/// when the close falls and leaves it unchanged when the close is unchanged. The first bar has no previous close
/// and starts the total at 0 (only changes of OBV carry meaning), so it is defined after one bar.
/// </summary>
public sealed class OnBalanceVolume : IBarIndicator
{
    private double _previousClose = double.NaN;
    private double _value = double.NaN;

    public int WarmUpPeriod => 1;
    public long Samples { get; private set; }
    public bool IsReady => Samples > 0;
    public double Current => _value;

    /// <summary><paramref name="high"/> and <paramref name="low"/> do not enter the value; they are part of the bar contract.</summary>
    public bool Update(double high, double low, double close, double volume)
    {
        if (BarGap.Is(high, low, close, volume)) return IsReady;
        if (Samples == 0) _value = 0;
        else if (close > _previousClose) _value += volume;
        else if (close < _previousClose) _value -= volume;
        _previousClose = close;
        Samples++;
        return true;
    }

    public void Reset()
    {
        _previousClose = double.NaN;
        _value = double.NaN;
        Samples = 0;
    }
}
