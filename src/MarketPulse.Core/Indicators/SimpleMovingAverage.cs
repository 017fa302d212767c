namespace MarketPulse.Core.Indicators;

/// <summary>Arithmetic mean of the last <c>period</c> inputs, kept with a ring buffer and a running sum.</summary>
public sealed class SimpleMovingAverage : IIndicator
{
    private readonly double[] _window;
    private int _next;
    private double _sum;
    // Summing and subtracting forever drifts; re-summing the window every so often bounds the error.
    private int _sinceResum;

    public SimpleMovingAverage(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _window = new double[period];
    }

    public int Period => _window.Length;
    public int WarmUpPeriod => _window.Length;
    public long Samples { get; private set; }
    public bool IsReady => Samples >= _window.Length;
    public double Current => IsReady ? _sum / _window.Length : double.NaN;

    public bool Update(double value)
    {
        if (!double.IsFinite(value)) return IsReady;
        _sum += value - _window[_next];
        _window[_next] = value;
        _next = _next + 1 == _window.Length ? 0 : _next + 1;
        Samples++;
        if (++_sinceResum >= 4096)
        {
            _sinceResum = 0;
            _sum = 0;
            var n = (int)Math.Min(Samples, _window.Length);
            for (var i = 0; i < _window.Length && i < n; i++) _sum += _window[i];
        }
        return IsReady;
    }

    public void Reset()
    {
        Array.Clear(_window);
        _next = 0;
        _sum = 0;
        _sinceResum = 0;
        Samples = 0;
    }
}
