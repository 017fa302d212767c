using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.History;

/// <summary>Log messages of the history recorder. Event ids 1700–1799.</summary>
internal static partial class HistoryLog
{
    [LoggerMessage(1700, LogLevel.Error, "History queue full: {Bars} bars and {Predictions} predictions of {Symbol} not recorded")]
    public static partial void QueueFull(ILogger logger, int bars, int predictions, string symbol);

    [LoggerMessage(1701, LogLevel.Information,
        "No history store configured (ConnectionStrings:postgres in the Cluster profile): daily bars and predictions are kept only in grain state")]
    public static partial void NoStore(ILogger logger);

    [LoggerMessage(1702, LogLevel.Information, "Recording daily bars and predictions to {Store}")]
    public static partial void Recording(ILogger logger, string store);

    [LoggerMessage(1703, LogLevel.Warning, "History write for {Symbol} failed (attempt {Attempt}); retrying")]
    public static partial void WriteRetrying(ILogger logger, Exception exception, string symbol, int attempt);

    [LoggerMessage(1704, LogLevel.Error, "History write for {Symbol} failed {Attempt} times; {Bars} bars and {Predictions} predictions dropped")]
    public static partial void WriteDropped(ILogger logger, Exception exception, string symbol, int attempt, int bars, int predictions);

    [LoggerMessage(1705, LogLevel.Warning, "Writing the state of {Grain} failed; retrying in {Interval}")]
    public static partial void StateWriteFailed(ILogger logger, Exception exception, string grain, TimeSpan interval);
}
