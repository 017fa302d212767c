namespace MarketPulse.Grains.Hosting;

/// <summary>
/// Whether the silo's grain storage outlives the process. The Local profile keeps state in Orleans' in-memory storage,
/// which is itself made of grains: when the silo shuts down they are gone before (or while) ours deactivate, and a write
/// then fails with "no active nodes are compatible with grain memorystorage" — for state that would die with the process
/// anyway. Grains ask <see cref="ShouldFlushOnDeactivate"/> before writing on deactivation; with durable storage (Redis,
/// PostgreSQL) they always write.
/// </summary>
public sealed class GrainStateDurability(bool outlivesProcess)
{
    public static readonly GrainStateDurability Durable = new(true);
    public static readonly GrainStateDurability Volatile = new(false);

    public bool OutlivesProcess { get; } = outlivesProcess;

    public bool ShouldFlushOnDeactivate(DeactivationReason reason) =>
        OutlivesProcess || reason.ReasonCode != DeactivationReasonCode.ShuttingDown;
}

public static class GrainStateDurabilityExtensions
{
    /// <summary>False only when the silo is shutting down and its grain storage dies with the process.</summary>
    public static bool ShouldFlushOnDeactivate(this IGrainBase grain, DeactivationReason reason) =>
        grain.GrainContext.ActivationServices.GetService(typeof(GrainStateDurability)) is not GrainStateDurability durability
        || durability.ShouldFlushOnDeactivate(reason);

    /// <summary>
    /// False for a periodic write while the host stops and the storage dies with it: the in-memory storage grains may
    /// already be gone, and the write would only fail (and be logged as an error) for state that is lost anyway.
    /// </summary>
    public static bool ShouldFlushPeriodically(this IGrainBase grain) =>
        grain.GrainContext.ActivationServices.GetService(typeof(GrainStateDurability)) is not GrainStateDurability { OutlivesProcess: false }
        || grain.GrainContext.ActivationServices.GetService(typeof(Microsoft.Extensions.Hosting.IHostApplicationLifetime)) is not Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime
        || !lifetime.ApplicationStopping.IsCancellationRequested;
}
