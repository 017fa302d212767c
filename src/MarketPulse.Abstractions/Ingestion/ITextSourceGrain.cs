using MarketPulse.Abstractions.Sentiment;

namespace MarketPulse.Abstractions.Ingestion;

/// <summary>One per text source: validates, resolves tickers, drops duplicates (counted) and publishes per ticker.</summary>
public interface ITextSourceGrain : IGrainWithStringKey
{
    Task<IngestResult> IngestAsync(IReadOnlyList<TextPost> posts);

    [ReadOnly]
    Task<SourceStats> GetStatsAsync();

    /// <summary>
    /// Adds problems counted before items reached this grain (a live source's malformed documents, rate-limit answers,
    /// timeouts), so that one source's stats show every reason. Counts are deltas.
    /// </summary>
    Task RecordUpstreamRejectionsAsync(IReadOnlyDictionary<string, long> counts);
}
