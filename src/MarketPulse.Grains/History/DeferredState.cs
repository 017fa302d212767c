using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.History;

/// <summary>
/// A grain state changed in memory and written every <see cref="Interval"/> when it changed, and on deactivation: a
/// ticker's bars (changed by every batch) and the scored histories (append-mostly, thousands of records), so that a
/// batch or a close does not rewrite them each time. A silo crash can lose at most what changed in the last interval.
/// </summary>
/// <param name="prepare">Brings <see cref="State"/> up to date before each write, for a grain that keeps its working
/// copy in another form (the stacking pool's outcomes).</param>
public sealed class DeferredState<T>(IPersistentState<T> state, ILogger logger, Action? prepare = null)
{
    /// <summary>How often a changed state is written (the bound on what a silo crash can lose).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private IGrainBase? _grain;

    public T State => state.State;

    /// <summary>True when the state has changes not yet written.</summary>
    public bool Dirty { get; private set; }

    /// <summary>Registers the periodic write on <paramref name="grain"/>; call from its activation.</summary>
    public void Start(IGrainBase grain)
    {
        _grain = grain;
        grain.RegisterGrainTimer(ct => grain.ShouldFlushPeriodically() ? FlushAsync(ct) : Task.CompletedTask, Interval, Interval);
    }

    public void MarkDirty() => Dirty = true;

    /// <summary>Writes what changed; call from the grain's deactivation.</summary>
    public Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Dirty && (_grain is null || _grain.ShouldFlushOnDeactivate(reason)) ? FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Writes the state now, changed or not (write-through); a failure is the caller's.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken = default)
    {
        prepare?.Invoke();
        await state.WriteStateAsync(cancellationToken);
        Dirty = false;
    }

    /// <summary>Writes the state if it changed. A failed write is logged and left dirty: the next interval retries.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!Dirty) return;
        try
        {
            prepare?.Invoke();
            await state.WriteStateAsync(cancellationToken);
            Dirty = false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HistoryLog.StateWriteFailed(logger, ex, _grain?.GrainContext.GrainId.ToString() ?? typeof(T).Name, Interval);
        }
    }
}
