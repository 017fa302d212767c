namespace MarketPulse.Core.Indicators;

/// <summary>
/// Mean and sum of squared deviations of the last <c>period</c> values, for the window-statistics indicators.
/// </summary>
/// <remarks>
/// Sliding sums of x and x² lose most of their digits on prices (Σx² ≈ 10⁵ against a variance of 10⁻⁴ for
/// minute bars), so the window is kept with the sliding form of Welford's update, which works on deviations.
/// Its rounding error is absolute, set by the largest swings it has seen, so once a volatile stretch has passed a
/// quiet window's small σ is mostly that error (1e-7 relative after a few hundred minute bars). The window is
/// therefore re-summed exactly (two passes) once every <c>period</c> updates: about two extra flops per update,
/// still O(1), and the error never spans more than one window's worth of updates. A window of identical values is recognised exactly (by the
/// length of the current run of equal inputs) and given variance 0 and mean equal to the value, so flat
/// windows — common in minute bars — yield exact zeros instead of ±rounding noise that %B or a z-score would
/// divide by.
/// </remarks>
internal sealed class RollingMoments
{
    private readonly double[] _window;
    private int _next;
    private int _count;
    private int _sinceResum;
    private int _runLength;
    private double _mean;
    private double _m2;

    public RollingMoments(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _window = new double[period];
    }

    public int Period => _window.Length;
    public bool IsFull => _count == _window.Length;
    public double Mean => _mean;

    /// <summary>Population variance (divides by n), never negative.</summary>
    public double PopulationVariance => _count == 0 ? double.NaN : Math.Max(0, _m2 / _count);

    /// <summary>Sample variance (divides by n − 1), never negative.</summary>
    public double SampleVariance => _count < 2 ? double.NaN : Math.Max(0, _m2 / (_count - 1));

    public void Add(double value)
    {
        var previous = _window[(_next == 0 ? _window.Length : _next) - 1];
        _runLength = _count > 0 && value == previous ? _runLength + 1 : 1;
        if (_count < _window.Length)
        {
            _count++;
            var delta = value - _mean;
            _mean += delta / _count;
            _m2 += delta * (value - _mean);
        }
        else
        {
            var old = _window[_next];
            var oldMean = _mean;
            _mean += (value - old) / _count;
            _m2 += (value - old) * (value - _mean + old - oldMean);
        }
        _window[_next] = value;
        _next = _next + 1 == _window.Length ? 0 : _next + 1;
        if (_runLength >= _count)
        {
            _mean = value;
            _m2 = 0;
        }
        else if (++_sinceResum >= _window.Length) Resum();
    }

    public void Reset()
    {
        Array.Clear(_window);
        _next = 0;
        _count = 0;
        _sinceResum = 0;
        _runLength = 0;
        _mean = 0;
        _m2 = 0;
    }

    private void Resum()
    {
        _sinceResum = 0;
        double sum = 0;
        for (var i = 0; i < _count; i++) sum += _window[i];
        var mean = sum / _count;
        double m2 = 0;
        for (var i = 0; i < _count; i++)
        {
            var d = _window[i] - mean;
            m2 += d * d;
        }
        _mean = mean;
        _m2 = m2;
    }
}
