namespace MarketPulse.Core.Indicators;

/// <summary>
/// Exponential moving average with smoothing 2/(period+1), seeded with the simple average of the
/// first <c>period</c> inputs (the textbook and LEAN convention), so it is defined after <c>period</c> inputs.
/// </summary>
public sealed class ExponentialMovingAverage : IIndicator
{
    private readonly int _period;
    private readonly double _alpha;
    private double _seedSum;
    private double _value = double.NaN;

    public ExponentialMovingAverage(int period) : this(period, 2.0 / (period + 1)) { }

    /// <summary>Custom smoothing, e.g. Wilder's 1/period.</summary>
    public ExponentialMovingAverage(int period, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        if (!(alpha > 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha));
        _period = period;
        _alpha = alpha;
    }

    public int Period => _period;
    public int WarmUpPeriod => _period;
    public long Samples { get; private set; }
    public bool IsReady => Samples >= _period;
    public double Current => IsReady ? _value : double.NaN;

    public bool Update(double value)
    {
        if (!double.IsFinite(value)) return IsReady;
        Samples++;
        if (Samples < _period)
        {
            _seedSum += value;
            return false;
        }
        if (Samples == _period)
        {
            _value = (_seedSum + value) / _period;
            return true;
        }
        _value += _alpha * (value - _value);
        return true;
    }

    /// <summary>
    /// What <see cref="Current"/> would be after <see cref="Update"/> with <paramref name="value"/>, without committing it
    /// (a provisional reading from a bar that is still forming); NaN where that update would not make it ready.
    /// </summary>
    public double Peek(double value)
    {
        if (!double.IsFinite(value)) return Current;
        if (Samples + 1 < _period) return double.NaN;
        if (Samples + 1 == _period) return (_seedSum + value) / _period;
        return _value + _alpha * (value - _value);
    }

    public void Reset()
    {
        Samples = 0;
        _seedSum = 0;
        _value = double.NaN;
    }
}
