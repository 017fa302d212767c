namespace MarketPulse.Core.Indicators;

/// <summary>
/// Sample standard deviation of the last <c>period</c> log returns of the input series (not annualised).
/// Needs <c>period + 1</c> prices.
/// </summary>
public sealed class RealizedVolatility : IIndicator
{
    private readonly LogReturn _return = new(1);
    private readonly double[] _window;
    private int _next;
    private int _filled;
    private double _sum;
    private double _sumSq;

    public RealizedVolatility(int period = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        _window = new double[period];
    }

    public int WarmUpPeriod => _window.Length + 1;
    public long Samples { get; private set; }
    public bool IsReady => _filled == _window.Length;

    public double Current
    {
        get
        {
            if (!IsReady) return double.NaN;
            var n = _window.Length;
            var variance = (_sumSq - _sum * _sum / n) / (n - 1);
            return Math.Sqrt(Math.Max(0, variance));
        }
    }

    public bool Update(double value)
    {
        Samples++;
        if (!_return.Update(value)) return false;
        var r = _return.Current;
        var old = _window[_next];
        if (_filled == _window.Length)
        {
            _sum -= old;
            _sumSq -= old * old;
        }
        else _filled++;
        _window[_next] = r;
        _sum += r;
        _sumSq += r * r;
        _next = _next + 1 == _window.Length ? 0 : _next + 1;
        return IsReady;
    }

    public void Reset()
    {
        _return.Reset();
        Array.Clear(_window);
        _next = 0;
        _filled = 0;
        _sum = 0;
        _sumSq = 0;
        Samples = 0;
    }
}
