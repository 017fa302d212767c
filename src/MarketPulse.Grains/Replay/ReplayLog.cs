using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Replay;

/// <summary>Log messages of the replay grain. Event ids 1800–1899.</summary>
internal static partial class ReplayLog
{
    [LoggerMessage(1800, LogLevel.Information, "Replay {Name}: {Format} from {Path} at {Speed}x, warm-up {WarmUp}")]
    public static partial void Started(ILogger logger, string name, MarketPulse.Ingestion.Replay.ReplayTimeline.Format? format, string path, double speed, TimeSpan warmUp);

    [LoggerMessage(1801, LogLevel.Warning, "Replay {Name}: skipped {File}:{Line}: {Reason} (logged once per reason; counts in the replay status)")]
    public static partial void RowSkipped(ILogger logger, string name, string file, long line, string reason);

    [LoggerMessage(1802, LogLevel.Error, "Replay {Name} failed to publish; will retry on the next step")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(1803, LogLevel.Error, "Replay {Name} stopped: a data file could not be read")]
    public static partial void FileUnreadable(ILogger logger, Exception exception, string name);

    [LoggerMessage(1804, LogLevel.Information, "Replay {Name}: starting loop {Loop}, times shifted by {Days} days")]
    public static partial void LoopStarting(ILogger logger, string name, int loop, double days);

    [LoggerMessage(1805, LogLevel.Information, "Replay {Name}: finished after {Count} events; rows skipped by reason: {Rejected}")]
    public static partial void Finished(ILogger logger, string name, long count, string rejected);
}
