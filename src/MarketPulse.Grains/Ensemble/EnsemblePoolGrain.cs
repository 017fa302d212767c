using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Core.Ensemble;
using MarketPulse.Grains.History;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Ensemble;

[GenerateSerializer, Alias("marketpulse.ensemblepoolgrainstate")]
public sealed class EnsemblePoolState
{
    [Id(0)] public List<EnsembleOutcome> Used { get; set; } = [];
    [Id(1)] public List<EnsembleOutcome> Pending { get; set; } = [];
    [Id(2)] public DateOnly? FittedBefore { get; set; }
}

/// <summary>
/// The market-wide <see cref="LogisticStacking"/> model that every <see cref="EnsembleGrain"/> reads at its close and
/// feeds with its realised outcomes (the same Core class, settings and commit order as the StockNet backtest). Pooling
/// gives the model ~90 outcomes per trading day instead of one per ticker. State (up to the model's window of outcomes)
/// is written every <see cref="DeferredState{T}.Interval"/> when outcomes arrived or a day's were committed, not at
/// each: a replay commits a trading day every few hundred milliseconds. With write-through state each committed day is
/// written at once. What a dying silo had not written is lost, which only delays learning.
/// </summary>
public sealed class EnsemblePoolGrain(
    [PersistentState("ensemblepool", MarketPulseNames.GrainStorage)] IPersistentState<EnsemblePoolState> state,
    Microsoft.Extensions.Options.IOptions<PersistenceOptions> persistence,
    ILogger<EnsemblePoolGrain> logger)
    : Grain, IEnsemblePoolGrain
{
    /// <summary>The pool every ticker uses.</summary>
    public const string Market = "market";

    private LogisticStacking _stacking = null!;
    private DeferredState<EnsemblePoolState> _state = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new DeferredState<EnsemblePoolState>(state, logger, Save);
        _state.Start(this);
        var s = state.State;
        _stacking = new LogisticStacking(SignalMix.StackingDefaults, s.Used.Count + s.Pending.Count == 0 && s.FittedBefore is null ? null
            : new StackingState(s.Used.ConvertAll(ToCore), s.Pending.ConvertAll(ToCore), s.FittedBefore));
        return Task.CompletedTask;
    }

    public Task AddOutcomesAsync(IReadOnlyList<EnsembleOutcome> outcomes)
    {
        foreach (var o in outcomes) _stacking.Add(ToCore(o));
        if (outcomes.Count > 0) _state.MarkDirty();
        return Task.CompletedTask;
    }

    public async Task<EnsembleModelDto> GetModelAsync(DateOnly basisDay)
    {
        var before = _stacking.Current;
        var model = _stacking.ModelFor(basisDay);
        if (!ReferenceEquals(before, model))
        {
            _state.MarkDirty();
            // With write-through state (the Cluster profile) a committed day is written before any ticker issues with it.
            if (persistence.Value.WriteThrough) await _state.WriteAsync();
        }
        return ToDto(model);
    }

    public Task<EnsembleModelDto> GetCurrentAsync() => Task.FromResult(ToDto(_stacking.Current));

    public Task<EnsemblePoolStateDto> GetStateAsync()
    {
        var s = _stacking.Save();
        return Task.FromResult(new EnsemblePoolStateDto(s.Used.ConvertAll(FromCore), s.Pending.ConvertAll(FromCore), s.FittedBefore));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _state.OnDeactivateAsync(reason, cancellationToken);

    private void Save()
    {
        var s = _stacking.Save();
        state.State.Used = s.Used.ConvertAll(FromCore);
        state.State.Pending = s.Pending.ConvertAll(FromCore);
        state.State.FittedBefore = s.FittedBefore;
    }

    private EnsembleModelDto ToDto(StackingModel m) =>
        new(Signals.Experts, m.Bias, [.. m.Coefficients], m.FittedBefore, m.Outcomes, _stacking.PendingCount);

    public static StackingOutcome ToCore(EnsembleOutcome o) => new(o.TargetDay, o.Symbol, [.. o.Probabilities], o.WentUp);

    public static EnsembleOutcome FromCore(StackingOutcome o) => new(o.TargetDay, o.Symbol, [.. o.Probabilities], o.WentUp);

    public static StackingState ToCore(EnsemblePoolStateDto s) => new(s.Used.Select(ToCore).ToList(), s.Pending.Select(ToCore).ToList(), s.FittedBefore);
}
