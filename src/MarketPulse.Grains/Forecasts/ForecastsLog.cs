using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Forecasts;

/// <summary>Log messages of the forecast grain and the live forecaster. Event ids 1400–1499.</summary>
internal static partial class ForecastsLog
{
    [LoggerMessage(1400, LogLevel.Warning, "Writing {Symbol}'s forecast history ({Records} records) failed; retrying in {Interval}")]
    public static partial void HistoryWriteFailed(ILogger logger, Exception exception, string symbol, int records, TimeSpan interval);
}
