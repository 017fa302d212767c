namespace MarketPulse.Core.Indicators;

/// <summary>
/// Maximum of the last <c>period</c> values with a monotonic deque held in fixed ring buffers: amortised O(1)
/// per update (each value enters and leaves the deque once) and no allocation after construction.
/// The minimum is the negated maximum of the negated values, which keeps one tested implementation.
/// </summary>
internal sealed class RollingMaximum
{
    private readonly int _period;
    private readonly long[] _positions;
    private readonly double[] _values;
    private int _head;
    private int _count;
    private long _position;

    public RollingMaximum(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _period = period;
        _positions = new long[period];
        _values = new double[period];
    }

    /// <summary>Maximum of the values added so far in the window; NaN before the first value.</summary>
    public double Value => _count == 0 ? double.NaN : _values[_head];

    public void Add(double value)
    {
        _position++;
        // Expire first, so that at most period − 1 survivors plus the new value fit the ring.
        if (_count > 0 && _positions[_head] <= _position - _period)
        {
            _head = _head + 1 == _period ? 0 : _head + 1;
            _count--;
        }
        while (_count > 0)
        {
            var back = _head + _count - 1;
            if (back >= _period) back -= _period;
            if (_values[back] > value) break;
            _count--;
        }
        var tail = _head + _count;
        if (tail >= _period) tail -= _period;
        _positions[tail] = _position;
        _values[tail] = value;
        _count++;
    }

    public void Reset()
    {
        _head = 0;
        _count = 0;
        _position = 0;
    }
}
