using MarketPulse.Abstractions.Market;

namespace MarketPulse.Abstractions.Ingestion;

/// <summary>
/// One per market-data source (e.g. <c>api</c>, <c>replay:stocknet</c>): validates, de-duplicates and publishes
/// to the per-ticker market streams. An item is acknowledged only once it is queued on its ticker's stream.
/// </summary>
public interface IMarketSourceGrain : IGrainWithStringKey
{
    Task<IngestResult> IngestTicksAsync(IReadOnlyList<MarketTick> ticks);

    Task<IngestResult> IngestBarsAsync(IReadOnlyList<DailyBar> bars);

    [ReadOnly]
    Task<SourceStats> GetStatsAsync();

    /// <summary>
    /// Adds rejections counted before items reached this grain (a live adapter's malformed frames, dropped connections),
    /// so that one source's stats show every reason. Counts are deltas.
    /// </summary>
    Task RecordUpstreamRejectionsAsync(IReadOnlyDictionary<string, long> counts);
}
