namespace MarketPulse.Abstractions.Sentiment;

/// <summary>A piece of text about one or more tickers (tweet, headline, post).</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.textpost")]
public sealed record TextPost(
    [property: Id(0)] string Source,
    [property: Id(1)] string Id,
    [property: Id(2)] DateTime Time,
    [property: Id(3)] string Text,
    [property: Id(4)] IReadOnlyList<string> Symbols,
    [property: Id(5)] string? Author = null);

[GenerateSerializer, Immutable, Alias("marketpulse.textbatch")]
public sealed record TextBatch(
    [property: Id(0)] string Symbol,
    [property: Id(1)] IReadOnlyList<TextPost> Posts,
    [property: Id(2)] DateTime IngestedAtUtc);

[GenerateSerializer, Immutable, Alias("marketpulse.scoredpost")]
public sealed record ScoredPost(
    [property: Id(0)] string Source,
    [property: Id(1)] string Id,
    [property: Id(2)] DateTime Time,
    [property: Id(3)] string Text,
    [property: Id(4)] string? Author,
    [property: Id(5)] double Polarity,
    [property: Id(6)] string Label,
    [property: Id(7)] double Confidence,
    [property: Id(8)] string Model);

[GenerateSerializer, Immutable, Alias("marketpulse.sourcesentiment")]
public sealed record SourceSentiment(
    [property: Id(0)] string Source,
    [property: Id(1)] double Score,
    [property: Id(2)] int Posts);

[GenerateSerializer, Immutable, Alias("marketpulse.sentimentsnapshot")]
public sealed record SentimentSnapshot(
    [property: Id(0)] string Symbol,
    [property: Id(1)] DateTime? AsOf,
    [property: Id(2)] double Score,
    [property: Id(3)] int PostsInWindow,
    [property: Id(4)] int Mentions24h,
    [property: Id(5)] int MentionsPrevious24h,
    [property: Id(6)] IReadOnlyList<SourceSentiment> BySource,
    [property: Id(7)] long PostsScored,
    [property: Id(8)] string Model,
    [property: Id(9)] double HalfLifeHours,
    [property: Id(10)] long PostsRefined = 0,
    [property: Id(11)] long PostsLexiconOnly = 0,
    [property: Id(12)] string? FastModel = null,
    [property: Id(13)] IReadOnlyList<DrivingPost>? TopPosts = null,
    [property: Id(14)] long PostsRefinedLate = 0);

/// <summary>A post and its signed share of the decayed sentiment score (the shares of all posts in the window sum to the score).</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.drivingpost")]
public sealed record DrivingPost(
    [property: Id(0)] ScoredPost Post,
    [property: Id(1)] double Share);

/// <summary>The production model's score of a post that first got the fast lexicon score.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.refinedscore")]
public sealed record RefinedScore(
    [property: Id(0)] string Source,
    [property: Id(1)] string Id,
    [property: Id(2)] double Polarity,
    [property: Id(3)] string Label,
    [property: Id(4)] double Confidence,
    [property: Id(5)] string Model);

/// <summary>The sentiment signal as of an instant, from posts strictly before it.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.sentimentsignal")]
public sealed record SentimentSignal(
    [property: Id(0)] double Score,
    [property: Id(1)] int Posts,
    [property: Id(2)] double ProbabilityUp);
