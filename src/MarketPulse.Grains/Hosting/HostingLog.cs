using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Hosting;

/// <summary>Log messages of the silo's service registration and start-up. Event ids 1900–1999.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1900, LogLevel.Information, "Lexicon scorer {Name}: Loughran-McDonald lists from {Path} merged ({Mode}, {Changed} words changed)")]
    public static partial void LexiconMerged(ILogger logger, string name, string? path, MarketPulse.Core.Sentiment.LoughranMcDonaldMode mode, int changed);

    [LoggerMessage(1901, LogLevel.Warning, "No price model at {Path}: the price signal stays the momentum rule")]
    public static partial void NoPriceModel(ILogger logger, string path);

    [LoggerMessage(1902, LogLevel.Warning, "No forecast model at {Path}: no volatility, expected-move or volume forecasts are issued")]
    public static partial void NoForecastModel(ILogger logger, string path);

    [LoggerMessage(1903, LogLevel.Warning, "Loading the models at start failed; /health/ready reports the reason until it is fixed")]
    public static partial void ModelWarmUpFailed(ILogger logger, Exception exception);
}
