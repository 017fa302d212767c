using MarketPulse.Core.Text;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

    public TextPipelineFactory(IOptions<TextOptions> options, ILogger<TextPipelineFactory> logger)
    {
        _options = options.Value.Pipeline;
        var path = PathResolver.Resolve(options.Value.EffectiveStockTable);
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
