using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Sentiment;

/// <summary>Log messages of the sentiment grain, the refinement model and the text pipelines. Event ids 1200–1299.</summary>
internal static partial class SentimentLog
{
    [LoggerMessage(1200, LogLevel.Error, "Text stream error for {Symbol}")]
    public static partial void TextStreamError(ILogger logger, Exception exception, string symbol);

    [LoggerMessage(1201, LogLevel.Warning, "Sentiment transformer disabled (MarketPulse:Sentiment:TransformerEnabled=false): lexicon scores only")]
    public static partial void TransformerDisabled(ILogger logger);

    [LoggerMessage(1202, LogLevel.Error, "Sentiment refinement batch failed; those texts keep their lexicon scores")]
    public static partial void RefineBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(1203, LogLevel.Information, "Sentiment model {Model} loaded from {Dir} ({Overrides} tuned tensors, {Precision}, {Quantized} int8 matrix multiplies); "
        + "refine queue capacity {Capacity}, {Threads} thread(s)")]
    public static partial void ModelLoaded(ILogger logger, string model, string dir, int overrides, string precision, int quantized, int capacity, int threads);

    [LoggerMessage(1204, LogLevel.Warning, "Sentiment refine queue: the batch in flight did not finish within {Wait} of shutdown")]
    public static partial void ShutdownWaitExceeded(ILogger logger, TimeSpan wait);

    [LoggerMessage(1205, LogLevel.Information, "Sentiment refine queue closed at shutdown: {Count} queued texts keep their lexicon scores")]
    public static partial void QueueClosedAtShutdown(ILogger logger, long count);

    [LoggerMessage(1206, LogLevel.Error, "Stock table {Path} is malformed; tickers from cashtags only")]
    public static partial void StockTableMalformed(ILogger logger, Exception exception, string path);

    [LoggerMessage(1207, LogLevel.Warning, "No stock table at {Path}; tickers from cashtags only")]
    public static partial void NoStockTable(ILogger logger, string path);
}
