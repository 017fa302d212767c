using MarketPulse.Core.Text;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Sentiment;

/// <summary>
/// Builds each text source grain's <see cref="TextPipeline"/> around one shared <see cref="CashtagExtractor"/> (its
/// company-name regex is costly to build and safe to share). Company names come from <c>MarketPulse:Text:StockTable</c>
/// (default: the sample's StockNet table shipped in the repository); without it, cashtags only.
/// </summary>
public sealed class TextPipelineFactory
{
    private readonly CashtagExtractor _extractor;
    private readonly TextPipelineOptions _options;

    public TextPipelineFactory(IConfiguration configuration, ILogger<TextPipelineFactory> logger)
    {
        var section = configuration.GetSection("MarketPulse:Text");
        _options = new TextPipelineOptions(
            MaxLength: section.GetValue("MaxLength", 1000),
            MaxCashtags: section.GetValue("MaxCashtags", 5),
            RememberTexts: section.GetValue("RememberTexts", 50_000));
        var path = PathResolver.Resolve(section["StockTable"] ?? Path.Combine("data", "sample", "stocknet", "StockTable"));
        StockTable? table = null;
        if (File.Exists(path))
        {
            try { table = StockTable.Load(path); }
            catch (FormatException ex) { SentimentLog.StockTableMalformed(logger, ex, path); }
        }
        else
        {
            SentimentLog.NoStockTable(logger, path);
        }
        _extractor = new CashtagExtractor(table);
    }

    public TextPipeline Create() => new(_extractor, _options);

    /// <summary>A company's ticker from its name in any case (filing feeds' filer names), or null.</summary>
    public string? SymbolForCompany(string name) => _extractor.SymbolForCompany(name);
}
