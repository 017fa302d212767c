namespace MarketPulse.Abstractions.Sentiment;

/// <summary>One per symbol: scores its texts, keeps time-decayed aggregates and the posts behind them.</summary>
public interface ISentimentGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<SentimentSnapshot> GetSnapshotAsync();

    [ReadOnly]
    Task<IReadOnlyList<ScoredPost>> GetPostsAsync(int limit);

    /// <summary>The signal from posts strictly before <paramref name="asOfUtc"/> (no look-ahead).</summary>
    [ReadOnly]
    Task<SentimentSignal> GetSignalAsync(DateTime asOfUtc);

    /// <summary>Replaces the fast scores of these posts by the production model's (from this silo's refine queue).</summary>
    Task ApplyRefinedAsync(IReadOnlyList<RefinedScore> scores);
}
