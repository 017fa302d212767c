using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Ingestion.Validation;

namespace MarketPulse.Ingestion.Tests.Live;

/// <summary>
/// Stands in for the source grain at the end of a feed: the same <see cref="MarketValidator"/> the grain runs, and a record
/// of what it accepted, in order. <see cref="FailNext"/> makes calls throw, as an unreachable cluster would.
/// </summary>
internal sealed class RecordingSink
{
    private readonly MarketValidator _validator = new();
    private readonly object _gate = new();
    public List<MarketTick> Accepted { get; } = [];
    public int Calls { get; private set; }
    public int FailNext { get; set; }

    public Task<IngestResult> IngestAsync(IReadOnlyList<MarketTick> ticks, CancellationToken ct)
    {
        lock (_gate)
        {
            Calls++;
            if (FailNext > 0)
            {
                FailNext--;
                throw new InvalidOperationException("cluster unreachable (test)");
            }
            var rejected = new List<Rejection>();
            for (var i = 0; i < ticks.Count; i++)
            {
                var reason = _validator.Check(ticks[i], out var t);
                if (reason is null) Accepted.Add(t);
                else rejected.Add(new Rejection(i, reason));
            }
            return Task.FromResult(new IngestResult(ticks.Count - rejected.Count, rejected));
        }
    }

    public List<MarketTick> Snapshot()
    {
        lock (_gate) return [.. Accepted];
    }
}
