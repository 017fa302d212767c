namespace MarketPulse.Core.Sentiment;

public enum SentimentLabel { Negative = -1, Neutral = 0, Positive = 1 }

/// <summary>Polarity in [-1, 1], the class it implies, and how sure the scorer is of that class (0..1).</summary>
public readonly record struct SentimentScore(double Polarity, SentimentLabel Label, double Confidence)
{
    public static SentimentScore Neutral { get; } = new(0, SentimentLabel.Neutral, 0);
}

public interface ISentimentScorer
{
    /// <summary>A stable name for the model, shown in the API and stored with every scored post.</summary>
    string Name { get; }

    SentimentScore Score(string text);
}

/// <summary>A scorer that is much cheaper per text in batches (a transformer): the refine queue feeds it batches.</summary>
public interface IBatchSentimentScorer : ISentimentScorer
{
    SentimentScore[] ScoreBatch(IReadOnlyList<string> texts);
}
