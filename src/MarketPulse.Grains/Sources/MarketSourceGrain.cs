using System.Diagnostics;
using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace MarketPulse.Grains.Sources;

/// <summary>
/// Validates one market source's items and publishes them as one batch event per symbol on that symbol's stream.
/// An item is acknowledged as accepted only once its batch is queued; every rejection is counted per reason
/// and logged once per reason.
/// </summary>
public sealed class MarketSourceGrain(
    PipelineMetrics metrics, IOptions<MarketValidationOptions> validation, TimeProvider time, ILogger<MarketSourceGrain> logger)
    : Grain, IMarketSourceGrain
{
    private readonly MarketValidator _validator = new(validation.Value, time);
    private readonly SourceCounters _counters = new();
    private readonly HashSet<string> _symbols = new(StringComparer.Ordinal);

    private string Source => this.GetPrimaryKeyString();

    public Task<IngestResult> IngestTicksAsync(IReadOnlyList<MarketTick> ticks)
    {
        var rejected = new List<Rejection>();
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        for (var i = 0; i < ticks.Count; i++)
        {
            MarketTick? tick = null;
            var reason = ticks[i] is null ? RejectReasons.Symbol : _validator.Check(ticks[i], out tick);
            if (reason is null) GroupFor(groups, tick!.Symbol).Add(i, tick, tick.Time);
            else Reject(rejected, i, reason);
        }
        return PublishAsync(ticks.Count, groups, rejected);
    }

    public Task<IngestResult> IngestBarsAsync(IReadOnlyList<DailyBar> bars)
    {
        var rejected = new List<Rejection>();
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        for (var i = 0; i < bars.Count; i++)
        {
            DailyBar? bar = null;
            var reason = bars[i] is null ? RejectReasons.Symbol : _validator.Check(bars[i], out bar);
            if (reason is null) GroupFor(groups, bar!.Symbol).Add(i, bar, bar.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
            else Reject(rejected, i, reason);
        }
        return PublishAsync(bars.Count, groups, rejected);
    }

    public async Task AdvanceClockAsync(DateTime clockUtc)
    {
        var provider = this.GetStreamProvider(MarketPulseNames.StreamProvider);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var symbol in _symbols)
        {
            await provider.GetStream<MarketBatch>(StreamId.Create(MarketPulseNames.TicksNamespace, symbol))
                .OnNextAsync(new MarketBatch(symbol, [], [], now, null, Guid.NewGuid(), clockUtc));
            metrics.BatchPublished(MarketPulseNames.TicksNamespace);
        }
    }

    public Task<SourceStats> GetStatsAsync() => Task.FromResult(_counters.ToStats(Source));

    public Task RecordUpstreamRejectionsAsync(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (reason, n) in counts)
            if (n > 0) _counters.Add(reason, n);
        return Task.CompletedTask;
    }

    private async Task<IngestResult> PublishAsync(int received, Dictionary<string, Group> groups, List<Rejection> rejected)
    {
        _counters.Received(received);
        var ingestedAt = time.GetUtcNow().UtcDateTime;
        var provider = this.GetStreamProvider(MarketPulseNames.StreamProvider);
        var accepted = 0;
        foreach (var (symbol, group) in groups)
        {
            var batch = new MarketBatch(symbol, group.Ticks, group.Bars, ingestedAt, Activity.Current?.Id, Guid.NewGuid());
            try
            {
                await provider.GetStream<MarketBatch>(StreamId.Create(MarketPulseNames.TicksNamespace, symbol)).OnNextAsync(batch);
                metrics.BatchPublished(MarketPulseNames.TicksNamespace);
                accepted += group.Indexes.Count;
                _symbols.Add(symbol);
                _counters.Accepted(group.Indexes.Count, group.LastTime);
                metrics.TicksIngested(Source, group.Indexes.Count);
            }
            catch (Exception ex)
            {
                SourcesLog.MarketQueueFailed(logger, ex, Source, group.Indexes.Count, symbol);
                foreach (var i in group.Indexes) Reject(rejected, i, $"queue: could not enqueue for {symbol} ({ex.GetType().Name}); retry");
            }
        }
        rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new IngestResult(accepted, rejected);
    }

    private void Reject(List<Rejection> rejected, int index, string reason)
    {
        rejected.Add(new Rejection(index, reason));
        if (_counters.Reject(reason))
            SourcesLog.MarketItemRejected(logger, Source, index, reason);
        metrics.TickRejected(Source, RejectReasons.Label(reason));
    }

    private static Group GroupFor(Dictionary<string, Group> groups, string symbol)
    {
        if (!groups.TryGetValue(symbol, out var g)) groups[symbol] = g = new Group();
        return g;
    }

    private sealed class Group
    {
        public List<MarketTick> Ticks { get; } = [];
        public List<DailyBar> Bars { get; } = [];
        public List<int> Indexes { get; } = [];
        public DateTime? LastTime { get; private set; }

        public void Add(int index, MarketTick tick, DateTime time) { Ticks.Add(tick); Track(index, time); }

        public void Add(int index, DailyBar bar, DateTime time) { Bars.Add(bar); Track(index, time); }

        private void Track(int index, DateTime time)
        {
            Indexes.Add(index);
            if (LastTime is null || time > LastTime) LastTime = time;
        }
    }
}
