using MarketPulse.Abstractions.Sentiment;

namespace MarketPulse.Abstractions.Ingestion;

/// <summary>One per text source: validates, resolves tickers, drops duplicates (counted) and publishes per ticker.</summary>
public interface ITextSourceGrain : IGrainWithStringKey
{
    Task<IngestResult> IngestAsync(IReadOnlyList<TextPost> posts);

    [ReadOnly]
    Task<SourceStats> GetStatsAsync();
}
