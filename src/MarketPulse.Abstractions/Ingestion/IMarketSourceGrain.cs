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

    /// <summary>
    /// The source's clock has reached <paramref name="clockUtc"/> and nothing earlier will follow: every symbol this
    /// source has published to gets a clock-only batch, in order after its items. Tickers use it to act on time (issue
    /// the next day's predictions at their prediction time) when the source's time runs faster than the wall clock.
    /// </summary>
    Task AdvanceClockAsync(DateTime clockUtc);

    [ReadOnly]
    Task<SourceStats> GetStatsAsync();

    /// <summary>
    /// Adds rejections counted before items reached this grain (a live adapter's malformed frames, dropped connections),
    /// so that one source's stats show every reason. Counts are deltas.
    /// </summary>
    Task RecordUpstreamRejectionsAsync(IReadOnlyDictionary<string, long> counts);
}
