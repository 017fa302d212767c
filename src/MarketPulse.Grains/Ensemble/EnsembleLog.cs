using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Ensemble;

/// <summary>Log messages of the ensemble grains and the live price model. Event ids 1300–1399.</summary>
internal static partial class EnsembleLog
{
    [LoggerMessage(1300, LogLevel.Error, "Price model failed for {Symbol} at {Day}")]
    public static partial void PriceModelFailed(ILogger logger, Exception exception, string symbol, DateOnly day);
}
