using MarketPulse.Abstractions.Ingestion;

namespace MarketPulse.Grains.Sources;

/// <summary>What a source grain received, accepted and rejected (per reason) since activation.</summary>
internal sealed class SourceCounters
{
    private readonly Dictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _received;
    private long _accepted;
    private DateTime? _lastItemTime;

    public void Received(int n) => _received += n;

    public void Accepted(int n, DateTime? lastTime)
    {
        _accepted += n;
        if (lastTime is { } t && (_lastItemTime is null || t > _lastItemTime)) _lastItemTime = t;
    }

    /// <returns>True the first time this reason is seen, so callers log each reason once rather than per item.</returns>
    public bool Reject(string reason)
    {
        var first = !_rejected.TryGetValue(reason, out var n);
        _rejected[reason] = n + 1;
        return first;
    }

    public void Add(string reason, long n) => _rejected[reason] = _rejected.GetValueOrDefault(reason) + n;

    public SourceStats ToStats(string source) => new(source, _received, _accepted, new Dictionary<string, long>(_rejected), _lastItemTime);
}
