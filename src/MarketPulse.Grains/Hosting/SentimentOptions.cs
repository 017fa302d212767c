using MarketPulse.Core.Configuration;

namespace MarketPulse.Grains.Hosting;

/// <summary>Settings under <c>MarketPulse:Sentiment</c>.</summary>
public sealed class SentimentOptions
{
    public const string Section = "MarketPulse:Sentiment";

    [Positive] public double HalfLifeHours { get; set; } = 24;
    [Positive] public double WindowDays { get; set; } = 5;
    [Positive] public int RecentPosts { get; set; } = 200;

    /// <summary>Refine every text with the production transformer (the lexicon score stands until then, or for good when the queue is full).</summary>
    public bool TransformerEnabled { get; set; } = true;

    /// <summary>Texts waiting for the transformer, per silo; beyond this a text keeps its lexicon score and is counted as degraded.</summary>
    [Positive] public int RefineQueueCapacity { get; set; } = 4096;

    [Positive] public int RefineBatchSize { get; set; } = 32;

    /// <summary>
    /// Threads of the transformer's ONNX Runtime session. Unset: one fewer than the machine's cores (at least one), so that
    /// refining a burst of texts in the background leaves a core to ingestion and the grains. Must be at least 1.
    /// </summary>
    [Positive] public int? RefineThreads { get; set; }

    public int EffectiveRefineThreads => RefineThreads ?? Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// <c>float32</c> (default) or <c>int8</c>: the transformer's weight matrix multiplies quantised to int8 at load. Any other
    /// value fails the models readiness check with the reason. Numbers and the rule that chose the default: docs/models/sentiment.md.
    /// </summary>
    public string Precision { get; set; } = "float32";

    /// <summary>
    /// Optional Loughran–McDonald word lists (Master Dictionary CSV <c>Word,Negative,Positive</c> or the WordStat .cat file)
    /// merged into the lexicon scorer. Not shipped (their licence forbids commercial use without permission): the operator
    /// supplies the file. Empty = VADER alone. A path that is missing or malformed fails the scorer (and so the models readiness check) with the reason.
    /// </summary>
    public string? LoughranMcDonaldPath { get; set; }

    /// <summary>How the lists are merged (Fill, FixSign, Override, Finance); see docs/models/sentiment.md.</summary>
    public MarketPulse.Core.Sentiment.LoughranMcDonaldMode LoughranMcDonaldMode { get; set; } = MarketPulse.Core.Sentiment.LoughranMcDonaldCombination.Default.Mode;
}
