using Microsoft.Extensions.Logging;

namespace MarketPulse.Ingestion.Text.Live;

/// <summary>Log messages of the live text sources. Event ids 2100–2199.</summary>
internal static partial class TextSourceLog
{
    [LoggerMessage(2100, LogLevel.Error, "Text source {Source}: unexpected failure; restarting its loop")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception, string source);

    [LoggerMessage(2101, LogLevel.Warning, "Text source {Source}: {Reason} ({Detail}) (logged once per reason; counted in the source stats)")]
    public static partial void Problem(ILogger logger, string source, string reason, string? detail);

    [LoggerMessage(2102, LogLevel.Information, "Reddit: allowance spent ({Used} used); next request in {Reset} s")]
    public static partial void RedditAllowanceSpent(ILogger logger, double used, double reset);

    [LoggerMessage(2103, LogLevel.Information, "X filtered stream: reconnecting in {Delay:F2} s")]
    public static partial void XReconnecting(ILogger logger, double delay);

    [LoggerMessage(2104, LogLevel.Information, "X filtered stream: {Count} rule(s) in place ({Added} added, {Deleted} deleted)")]
    public static partial void XRules(ILogger logger, int count, int added, int deleted);
}
