namespace MarketPulse.Core.Indicators;

/// <summary>
/// Linearly weighted moving average of the last <c>period</c> inputs: the newest has weight <c>period</c>,
/// the oldest weight 1, divided by period·(period+1)/2.
/// </summary>
/// <remarks>
/// O(1) because sliding the window lowers every weight by one, i.e. subtracts the plain window sum:
/// W' = W − S + period·x, S' = S − x_old + x. Both running sums drift, so they are re-summed exactly every
/// 4096 updates, as <see cref="SimpleMovingAverage"/> does.
/// </remarks>
public sealed class WeightedMovingAverage : IIndicator
{
    private const int ResumInterval = 4096;
    private readonly double[] _window;
    private readonly double _denominator;
    private int _next;
    private double _sum;
    private double _weightedSum;
    private int _sinceResum;

    public WeightedMovingAverage(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _window = new double[period];
        _denominator = period * (period + 1) / 2.0;
    }

    public int Period => _window.Length;
    public int WarmUpPeriod => _window.Length;
    public long Samples { get; private set; }
    public bool IsReady => Samples >= _window.Length;
    public double Current => IsReady ? _weightedSum / _denominator : double.NaN;

    public bool Update(double value)
    {
        if (!double.IsFinite(value)) return IsReady;
        var n = _window.Length;
        if (Samples < n)
        {
            // While filling, the k-th input gets weight k; it reaches weight n once the window is full.
            _weightedSum += (Samples + 1) * value;
            _sum += value;
        }
        else
        {
            _weightedSum += n * value - _sum;
            _sum += value - _window[_next];
        }
        _window[_next] = value;
        _next = _next + 1 == n ? 0 : _next + 1;
        Samples++;
        if (++_sinceResum >= ResumInterval && IsReady) Resum();
        return IsReady;
    }

    public void Reset()
    {
        Array.Clear(_window);
        _next = 0;
        _sum = 0;
        _weightedSum = 0;
        _sinceResum = 0;
        Samples = 0;
    }

    private void Resum()
    {
        _sinceResum = 0;
        var n = _window.Length;
        double sum = 0, weighted = 0;
        // _next is the oldest slot once the window is full.
        for (var k = 0; k < n; k++)
        {
            var i = _next + k;
            if (i >= n) i -= n;
            sum += _window[i];
            weighted += (k + 1) * _window[i];
        }
        _sum = sum;
        _weightedSum = weighted;
    }
}
