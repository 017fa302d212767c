using Microsoft.Extensions.Logging;

namespace MarketPulse.Server;

/// <summary>Log messages of the gateway: API, pushes, the quick start's replay. Event ids 4000–4099.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(4000, LogLevel.Warning, "{Method} {Path}: the cluster could not serve the request ({Error}: {Message}); answered 503")]
    public static partial void ClusterUnavailable(ILogger logger, string method, string path, string error, string message);

    [LoggerMessage(4001, LogLevel.Information, "No out-of-sample report at {Path}: /api/models shows live scores only")]
    public static partial void NoOutOfSampleReport(ILogger logger, string path);

    [LoggerMessage(4002, LogLevel.Warning, "Out-of-sample report {Path} is not readable ({Reason}); /api/models shows live scores only")]
    public static partial void OutOfSampleReportUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Forecast evaluation report {Path} is unreadable; /api/models serves no out-of-sample forecast evidence")]
    public static partial void ForecastReportUnreadable(ILogger logger, Exception exception, string path);

    [LoggerMessage(4010, LogLevel.Debug, "Registered for pushes as {Id}")]
    public static partial void PushRegistered(ILogger logger, string id);

    [LoggerMessage(4011, LogLevel.Warning, "Could not register for pushes; retrying")]
    public static partial void PushRegistrationFailed(ILogger logger, Exception exception);

    [LoggerMessage(4012, LogLevel.Debug, "Unregistering from pushes failed (the lease will run out)")]
    public static partial void PushUnregistrationFailed(ILogger logger, Exception exception);

    [LoggerMessage(4013, LogLevel.Debug, "Push: {Tickers} ticker updates, {Alerts} alerts")]
    public static partial void PushBatch(ILogger logger, int tickers, int alerts);

    [LoggerMessage(4014, LogLevel.Warning, "A SignalR push failed")]
    public static partial void PushFailed(ILogger logger, Exception exception);

    [LoggerMessage(4020, LogLevel.Information, "Replay not stopped before the silo: {Message}")]
    public static partial void ReplayNotStopped(ILogger logger, string message);

    [LoggerMessage(4021, LogLevel.Error, "Replay is enabled but {Path} does not exist; set MarketPulse:Replay:Path or MarketPulse:Replay:Enabled=false")]
    public static partial void ReplayPathMissing(ILogger logger, string path);

    [LoggerMessage(4022, LogLevel.Information, "Replay {Name} {State}: {Total} events at {Speed}x")]
    public static partial void ReplayStarted(ILogger logger, string name, string state, long total, double speed);

    [LoggerMessage(4023, LogLevel.Warning, "Replay start attempt {Attempt} failed")]
    public static partial void ReplayStartFailed(ILogger logger, Exception exception, int attempt);
}
