using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Market;

/// <summary>Log messages of the market feed and ticker grains. Event ids 1000–1099.</summary>
internal static partial class MarketLog
{
    [LoggerMessage(1000, LogLevel.Error, "MarketPulse:Live:Alpaca is enabled but has no credentials: set MarketPulse__Live__Alpaca__KeyId and __SecretKey "
        + "(or {KeyEnv}/{SecretEnv}); the Alpaca feed is not started")]
    public static partial void AlpacaWithoutCredentials(ILogger logger, string keyEnv, string secretEnv);

    [LoggerMessage(1001, LogLevel.Information, "Live feed {Feed}: {Url}, symbols {Symbols}")]
    public static partial void LiveFeedStarting(ILogger logger, string feed, string url, string symbols);

    [LoggerMessage(1002, LogLevel.Warning, "Live feed {Feed}: could not report adapter problems to {Source}; will retry")]
    public static partial void LiveFeedReportFailed(ILogger logger, Exception exception, string feed, string source);

    [LoggerMessage(1003, LogLevel.Debug, "{Symbol}: session closed by the clock at {FeedNow:o}")]
    public static partial void SessionClosedByClock(ILogger logger, string symbol, DateTime feedNow);

    [LoggerMessage(1004, LogLevel.Error, "Market stream error for {Symbol}")]
    public static partial void StreamError(ILogger logger, Exception exception, string symbol);

    [LoggerMessage(1005, LogLevel.Warning, "{Symbol}: could not register with the market directory; will retry")]
    public static partial void RegistrationFailed(ILogger logger, Exception exception, string symbol);
}
