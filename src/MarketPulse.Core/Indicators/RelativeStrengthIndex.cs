namespace MarketPulse.Core.Indicators;

/// <summary>
/// Wilder's RSI: average gains and losses seeded with their simple mean over the first <c>period</c>
/// changes, then smoothed with 1/period. Needs <c>period + 1</c> prices.
/// </summary>
public sealed class RelativeStrengthIndex : IIndicator
{
    private readonly int _period;
    private double _previous = double.NaN;
    private double _avgGain;
    private double _avgLoss;
    private int _changes;

    public RelativeStrengthIndex(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _period = period;
    }

    public int Period => _period;
    public int WarmUpPeriod => _period + 1;
    public long Samples { get; private set; }
    public bool IsReady => _changes >= _period;

    public double Current
    {
        get
        {
            if (!IsReady) return double.NaN;
            if (_avgLoss == 0) return _avgGain == 0 ? 50.0 : 100.0;
            var rs = _avgGain / _avgLoss;
            return 100.0 - 100.0 / (1.0 + rs);
        }
    }

    public bool Update(double value)
    {
        if (!double.IsFinite(value)) return IsReady;
        Samples++;
        if (double.IsNaN(_previous))
        {
            _previous = value;
            return false;
        }
        var change = value - _previous;
        _previous = value;
        var gain = change > 0 ? change : 0;
        var loss = change < 0 ? -change : 0;
        _changes++;
        if (_changes <= _period)
        {
            _avgGain += gain / _period;
            _avgLoss += loss / _period;
        }
        else
        {
            _avgGain += (gain - _avgGain) / _period;
            _avgLoss += (loss - _avgLoss) / _period;
        }
        return IsReady;
    }

    public void Reset()
    {
        Samples = 0;
        _changes = 0;
        _previous = double.NaN;
        _avgGain = 0;
        _avgLoss = 0;
    }
}
