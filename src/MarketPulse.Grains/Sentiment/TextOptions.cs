using MarketPulse.Core.Configuration;
using MarketPulse.Core.Text;

namespace MarketPulse.Grains.Sentiment;

/// <summary>
/// The text pipeline's settings under <c>MarketPulse:Text</c> (the live sources in the same section are
/// <see cref="MarketPulse.Ingestion.Text.Live.TextSourcesOptions"/>).
/// </summary>
public sealed class TextOptions
{
    public const string Section = "MarketPulse:Text";

    /// <summary>The StockNet-layout company table for ticker extraction from names; unset: the sample's, shipped in the repository.</summary>
    public string? StockTable { get; set; }

    /// <summary>Texts are cut to this many characters (after normalisation).</summary>
    [Positive] public int MaxLength { get; set; } = 1000;

    /// <summary>More distinct cashtags than this is ticker-stuffing spam.</summary>
    [Positive] public int MaxCashtags { get; set; } = 5;

    /// <summary>How many recent texts each source's duplicate check remembers.</summary>
    [Positive] public int RememberTexts { get; set; } = 50_000;

    public string EffectiveStockTable => StockTable ?? Path.Combine("data", "sample", "stocknet", "StockTable");

    public TextPipelineOptions Pipeline => new(MaxLength, MaxCashtags, RememberTexts);
}
