using System.Text.Json;
using MarketPulse.Core.Sentiment;
using MarketPulse.Ml;
using MarketPulse.Ml.Forecasting;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Sentiment;
using MarketPulse.Ml.Training.Evaluation;
using MarketPulse.Ml.Training.Forecasting;

namespace MarketPulse.Cli;

/// <summary>
/// The shipped models for the commands, located by <see cref="ModelLocator"/> as the silo locates them (the CLI reads
/// no configuration: the default <c>models</c> folder, the working directory's before the one beside the executable).
/// A missing or unreadable model is bad input (exit 2), said the same way by every command.
/// </summary>
internal static class CliModels
{
    public static ModelLocator Locator => new();

    public static LexiconSentimentScorer LoadLexicon(LoughranMcDonaldLexicon? loughranMcDonald = null, LoughranMcDonaldCombination? combination = null)
    {
        try
        {
            return Locator.LoadLexicon(loughranMcDonald, combination);
        }
        catch (FileNotFoundException ex)
        {
            throw new CliInputException($"shipped sentiment model not found: {ex.Message}");
        }
    }

    public static TransformerSentimentScorer LoadTransformer(SentimentPrecision precision = SentimentPrecision.Float32)
    {
        var models = Locator;
        if (models.Find(TransformerSentimentScorer.InfoFileName) is not { } info)
            throw new CliInputException($"shipped sentiment model not found: no {TransformerSentimentScorer.InfoFileName} in {string.Join(" or ", models.Candidates)}; run 'marketpulse train sentiment'");
        try
        {
            return models.LoadTransformer(precision);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException)
        {
            throw new CliInputException($"shipped sentiment model in {Path.GetDirectoryName(info)} cannot be loaded: {ex.Message}");
        }
    }

    /// <summary>A shipped price or forecast model file.</summary>
    public static string PriceModelPath(string file)
    {
        var models = Locator;
        return models.Find(file) ?? throw new CliInputException($"shipped price model not found: no {file} in {string.Join(" or ", models.Candidates)}");
    }

    /// <summary>An operator-supplied Loughran–McDonald file; a missing or malformed one is a usage error (exit 2).</summary>
    public static LoughranMcDonaldLexicon LoadLoughranMcDonald(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path)) throw new CliInputException($"--lexicon-lm: file '{path}' does not exist");
        try
        {
            return LoughranMcDonaldLexicon.Load(path);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--lexicon-lm: {ex.Message}");
        }
    }

    /// <summary>Bars and lexicon-scored posts of a directory (no transformer: the forecasts' text inputs use the lexicon).</summary>
    public static ForecastPanel LoadForecastPanel(string dir, DateOnly textsFrom, DateOnly textsTo, TextWriter progress)
    {
        try
        {
            StockNetData.RequireLayout(dir);
            using var price = PriceModel.Load(PriceModelPath(PriceModel.DefaultFileName));
            var data = StockNetData.Load(dir, LoadLexicon(), price.Card.SectorOf, textsFrom, textsTo, progress);
            return ForecastPanel.From(data);
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliInputException(ex.Message);
        }
    }
}
