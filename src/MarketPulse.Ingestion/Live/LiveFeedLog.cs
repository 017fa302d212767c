using Microsoft.Extensions.Logging;

namespace MarketPulse.Ingestion.Live;

/// <summary>Log messages of the live market feed adapters. Event ids 2000–2099.</summary>
internal static partial class LiveFeedLog
{
    [LoggerMessage(2000, LogLevel.Information, "Feed {Feed}: reconnecting in {Delay:F1} s (attempt {Attempt})")]
    public static partial void Reconnecting(ILogger logger, string feed, double delay, int attempt);

    [LoggerMessage(2001, LogLevel.Information, "Feed {Feed}: connected to {Url}")]
    public static partial void Connected(ILogger logger, string feed, Uri url);

    [LoggerMessage(2002, LogLevel.Information, "Feed {Feed}: server closed the connection ({Status} {Description})")]
    public static partial void ServerClosed(ILogger logger, string feed, System.Net.WebSockets.WebSocketCloseStatus? status, string? description);

    [LoggerMessage(2003, LogLevel.Warning, "Feed {Feed}: {Reason} ({Detail}) (logged once per reason; counted in the feed stats)")]
    public static partial void Problem(ILogger logger, string feed, string reason, string? detail);
}
