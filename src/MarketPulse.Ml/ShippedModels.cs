using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Sentiment;

namespace MarketPulse.Ml;

/// <summary>The shipped models as the offline tools load them, from where <see cref="ModelLocator"/> finds them.</summary>
public static class ShippedModels
{
    /// <summary>The VADER lexicon scorer (with operator-supplied Loughran–McDonald lists merged, when given); <see cref="FileNotFoundException"/> naming where it looked.</summary>
    public static LexiconSentimentScorer LoadLexicon(this ModelLocator models, LoughranMcDonaldLexicon? loughranMcDonald = null,
        LoughranMcDonaldCombination? combination = null) =>
        LexiconSentimentScorer.LoadShipped(models.FolderOf(LexiconSentimentScorer.LexiconFileName), loughranMcDonald, combination);

    /// <summary>The production transformer (<c>sentiment-minilm.json</c> and its weights); <see cref="FileNotFoundException"/> naming where it looked.</summary>
    public static TransformerSentimentScorer LoadTransformer(this ModelLocator models, SentimentPrecision precision = SentimentPrecision.Float32) =>
        TransformerSentimentScorer.LoadShipped(models.FolderOf(TransformerSentimentScorer.InfoFileName), precision: precision);
}
