using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Sources;

/// <summary>Log messages of the source grains and the live text service. Event ids 1100–1199.</summary>
internal static partial class SourcesLog
{
    [LoggerMessage(1100, LogLevel.Error, "Source {Source} could not queue {Count} items for {Symbol}")]
    public static partial void MarketQueueFailed(ILogger logger, Exception exception, string source, int count, string symbol);

    [LoggerMessage(1101, LogLevel.Warning, "Source {Source} rejected item {Index}: {Reason} (logged once per reason; counts in the source stats)")]
    public static partial void MarketItemRejected(ILogger logger, string source, int index, string reason);

    [LoggerMessage(1102, LogLevel.Warning, "Text source {Source} rejected item {Index}: {Reason} (logged once per reason)")]
    public static partial void TextItemRejected(ILogger logger, string source, int index, string reason);

    [LoggerMessage(1103, LogLevel.Error, "Text source {Source} could not queue {Count} posts for {Symbol}")]
    public static partial void TextQueueFailed(ILogger logger, Exception exception, string source, int count, string symbol);

    [LoggerMessage(1104, LogLevel.Error, "Live text source {Source} is not started: {Problem}")]
    public static partial void LiveTextNotStarted(ILogger logger, string source, string problem);

    [LoggerMessage(1105, LogLevel.Information, "Live text source {Source} started")]
    public static partial void LiveTextStarted(ILogger logger, string source);

    [LoggerMessage(1106, LogLevel.Warning, "Live text source {Source}: could not report its problems to the source grain; will retry")]
    public static partial void LiveTextReportFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(1107, LogLevel.Error, "Live text source {Source} stopped unexpectedly")]
    public static partial void LiveTextStopped(ILogger logger, Exception exception, string source);
}
