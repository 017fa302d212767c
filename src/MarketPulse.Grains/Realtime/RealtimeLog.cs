using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Realtime;

/// <summary>Log messages of the push notifier and the gateway registry. Event ids 1600–1699.</summary>
internal static partial class RealtimeLog
{
    [LoggerMessage(1600, LogLevel.Warning, "Could not refresh the gateway list; pushing to the {Count} known gateways")]
    public static partial void GatewayRefreshFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(1601, LogLevel.Debug, "Flushing {Tickers} ticker updates and {Alerts} alerts to {Gateways} gateways")]
    public static partial void Flushing(ILogger logger, int tickers, int alerts, int gateways);

    [LoggerMessage(1602, LogLevel.Warning, "Push to a gateway failed; it is dropped once its lease runs out unless it renews")]
    public static partial void PushFailed(ILogger logger, Exception exception);
}
