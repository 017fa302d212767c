namespace MarketPulse.Core.Indicators;

/// <summary>ln(x_t / x_{t-lag}); defined after <c>lag + 1</c> inputs.</summary>
public sealed class LogReturn : IIndicator
{
    private readonly double[] _history;
    private int _next;
    private double _value = double.NaN;

    public LogReturn(int lag = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lag, 1);
        _history = new double[lag];
    }

    public int Lag => _history.Length;
    public int WarmUpPeriod => _history.Length + 1;
    public long Samples { get; private set; }
    public bool IsReady => Samples > _history.Length;
    public double Current => IsReady ? _value : double.NaN;

    public bool Update(double value)
    {
        if (!double.IsFinite(value)) return IsReady;
        var old = _history[_next];
        _history[_next] = value;
        _next = _next + 1 == _history.Length ? 0 : _next + 1;
        Samples++;
        if (IsReady) _value = Math.Log(value / old);
        return IsReady;
    }

    public void Reset()
    {
        Array.Clear(_history);
        _next = 0;
        Samples = 0;
        _value = double.NaN;
    }
}
