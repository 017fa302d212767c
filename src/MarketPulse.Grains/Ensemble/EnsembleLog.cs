using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Ensemble;

/// <summary>Log messages of the ensemble grains and the live price model. Event ids 1300–1399.</summary>
internal static partial class EnsembleLog
{
    [LoggerMessage(1300, LogLevel.Error, "Price model failed for {Symbol} at {Day}")]
    public static partial void PriceModelFailed(ILogger logger, Exception exception, string symbol, DateOnly day);

    [LoggerMessage(1301, LogLevel.Warning, "Ensemble pool unavailable at {Symbol}'s close of {Day}; its outcome is not pooled")]
    public static partial void PoolUnavailableAtClose(ILogger logger, Exception exception, string symbol, DateOnly day);

    [LoggerMessage(1302, LogLevel.Warning, "{Symbol}: call for {Target} on basis {Basis} ignored; the last close recorded here is {LastDay}")]
    public static partial void CallIgnored(ILogger logger, string symbol, DateOnly target, DateOnly basis, DateOnly? lastDay);

    [LoggerMessage(1303, LogLevel.Warning, "Ensemble pool unavailable for {Symbol}'s call for {Target}; issuing with the last known stacking model")]
    public static partial void PoolUnavailableAtIssue(ILogger logger, Exception exception, string symbol, DateOnly target);

    [LoggerMessage(1304, LogLevel.Warning, "Ensemble pool unavailable for {Symbol}'s snapshot; showing the prior weights")]
    public static partial void PoolUnavailableForSnapshot(ILogger logger, Exception exception, string symbol);
}
