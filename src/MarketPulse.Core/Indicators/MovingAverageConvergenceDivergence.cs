namespace MarketPulse.Core.Indicators;

/// <summary>
/// MACD (Appel): line = EMA(fast) − EMA(slow) of the input; signal = EMA(signal period) of the line;
/// histogram = line − signal. <see cref="Current"/> is the line, defined together with the signal so that
/// all three outputs become ready at once, after <c>slow + signal − 1</c> inputs.
/// </summary>
public sealed class MovingAverageConvergenceDivergence : IIndicator
{
    private readonly ExponentialMovingAverage _fast;
    private readonly ExponentialMovingAverage _slow;
    private readonly ExponentialMovingAverage _signal;
    private double _line = double.NaN;

    public MovingAverageConvergenceDivergence(int fastPeriod = 12, int slowPeriod = 26, int signalPeriod = 9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fastPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slowPeriod, fastPeriod);
        ArgumentOutOfRangeException.ThrowIfLessThan(signalPeriod, 1);
        _fast = new ExponentialMovingAverage(fastPeriod);
        _slow = new ExponentialMovingAverage(slowPeriod);
        _signal = new ExponentialMovingAverage(signalPeriod);
    }

    public int FastPeriod => _fast.Period;
    public int SlowPeriod => _slow.Period;
    public int SignalPeriod => _signal.Period;
    public int WarmUpPeriod => _slow.Period + _signal.Period - 1;
    public long Samples { get; private set; }
    public bool IsReady => _signal.IsReady;
    public double Current => IsReady ? _line : double.NaN;
    public double Line => IsReady ? _line : double.NaN;
    public double Signal => _signal.Current;
    public double Histogram => IsReady ? _line - _signal.Current : double.NaN;

    public bool Update(double value)
    {
        if (!double.IsFinite(value)) return IsReady;
        Samples++;
        _fast.Update(value);
        // The line exists only once the slow EMA does; the signal EMA is seeded from the first slow-period lines.
        if (!_slow.Update(value)) return false;
        _line = _fast.Current - _slow.Current;
        return _signal.Update(_line);
    }

    public void Reset()
    {
        _fast.Reset();
        _slow.Reset();
        _signal.Reset();
        _line = double.NaN;
        Samples = 0;
    }
}
