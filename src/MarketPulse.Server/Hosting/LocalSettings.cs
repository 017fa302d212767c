using MarketPulse.Core.Configuration;

namespace MarketPulse.Server.Hosting;

/// <summary>The Local profile's embedded store (<c>MarketPulse:Local</c>).</summary>
public sealed class LocalSettings
{
    /// <summary>Keep grain state in the embedded store under <see cref="DataPath"/>; false: in memory, gone at exit.</summary>
    public bool Persist { get; set; } = true;

    /// <summary>The store's append-only file and checkpoints (relative: to the working directory).</summary>
    [NotBlank] public string DataPath { get; set; } = "data/local";

    /// <summary>Loopback port of the embedded store; 0 picks a free one. Several local silos: set it, the same on all.</summary>
    [Port(AllowZero = true)] public int StorePort { get; set; }

    /// <summary>
    /// Answer a write only once its log record is on disk. Off by default: the log is committed right behind each write
    /// (milliseconds later), as Redis' own default trades the last moment's writes for speed; on, every grain write waits
    /// for a disk flush, which a fast replay outruns (docs/operations.md, "Local state and restarts").
    /// </summary>
    public bool WaitForCommit { get; set; }

    /// <summary>Log size after which the store checkpoints and truncates its log (bounds replay on start).</summary>
    [NotBlank] public string AofSizeLimit { get; set; } = "64m";

    /// <summary>The store's memory for records (Garnet's <c>--memory</c>).</summary>
    [NotBlank] public string MemorySize { get; set; } = "512m";
}
