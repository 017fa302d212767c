using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Ensemble;
using MarketPulse.Core.Sentiment;
using MarketPulse.Grains.History;
using MarketPulse.Grains.Hosting;
using MarketPulse.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Ensemble;

/// <summary>
/// One per symbol. At each daily close it scores the predictions issued for that day against the realised move, updates
/// its Hedge weights and hands the outcome to the market-wide <see cref="EnsemblePoolGrain"/>. At the next trading day's
/// prediction time (00:00 UTC of it; the ticker sends <see cref="NextDayCall"/>) it issues that day's predictions: the
/// price signal, the sentiment signal as of the prediction time, a persistence baseline, the per-ticker Hedge mix
/// (<c>ensemble_hedge</c>, a baseline) and the ensemble — the pool's logistic stacking of the three experts, fitted on
/// outcomes of days before the basis day.
/// <para>
/// The cycle itself is <see cref="SignalBook"/>, which the StockNet backtest drives too; this grain loads it, calls it,
/// writes the result and tells the pool. Two states: the hot one (weights, scorecards, pending predictions, …; constant
/// size) is written at every close and issue; the scored history (up to <see cref="MaxHistory"/> records) is a
/// <see cref="DeferredState{T}"/>. A silo crash can lose at most the history records scored in the last
/// <see cref="DeferredState{T}.Interval"/> — never weights, scorecards or pending predictions.
/// </para>
/// </summary>
public sealed class EnsembleGrain(
    [PersistentState("ensemble", MarketPulseNames.GrainStorage)] IPersistentState<EnsembleState> state,
    [PersistentState("ensemble-history", MarketPulseNames.GrainStorage)] IPersistentState<EnsembleHistoryState> history,
    PipelineMetrics metrics,
    ISentimentScorer sentimentScorer,
    MarketPulse.Grains.Sentiment.SentimentRefinement refinement,
    ILogger<EnsembleGrain> logger)
    : Grain, IEnsembleGrain
{
    public const int MaxHistory = 4000;
    public const string StackingVersion = "stacking-v1";

    private readonly DeferredState<EnsembleHistoryState> _history = new(history, logger);
    private SignalBook _book = null!;
    private EnsembleModelDto? _model;

    /// <summary>
    /// The sentiment signal aggregates the posts' scores: the production transformer's where it has refined them (all but
    /// those still queued or degraded under a burst), else the lexicon's; so it is labelled with the production model when
    /// this silo has one.
    /// </summary>
    private string SentimentKind => refinement.Model is null ? "lexicon" : "model";

    private string Symbol => this.GetPrimaryKeyString();
    private List<PredictionRecord> History => history.State.Records;
    // Resolved once: GetGrain resolves the interface's grain type from its name on every call.
    private IEnsemblePoolGrain Pool => field ??= GrainFactory.GetGrain<IEnsemblePoolGrain>(EnsemblePoolGrain.Market);
    private ISentimentGrain Sentiment => field ??= GrainFactory.GetGrain<ISentimentGrain>(Symbol);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        _book = new SignalBook(Symbol, Signals.Experts, Signals.EnsembleHedge, Signals.Ensemble, new SignalBookState(s.Weights,
            s.Scorecards.ToDictionary(kv => kv.Key, kv => kv.Value.ToState()), s.LastDay, s.LastClose, s.LastDayReturn,
            s.Closes, s.IssuedFor, [.. s.Pending.Select(r => new BookCall(r.Prediction.Signal, r.Prediction.ProbabilityUp))]));
        if (s.History.Count > 0) await MigrateHistoryAsync(cancellationToken);
        _history.Start(this);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _history.OnDeactivateAsync(reason, cancellationToken);

    public async Task OnDailyCloseAsync(DailyClose close)
    {
        if (!_book.Accepts(close.Day)) return;
        var s = state.State;
        if (_book.Close(close.Day, close.Close, close.PreviousClose) is { } day)
        {
            var byName = day.Calls.ToDictionary(c => c.Signal, StringComparer.Ordinal);
            s.LastScored = [.. s.Pending.Select(r => Settle(r, day, byName.GetValueOrDefault(r.Prediction.Signal)))];
            History.AddRange(s.LastScored);
            if (History.Count > MaxHistory) History.RemoveRange(0, History.Count - MaxHistory);
            _history.MarkDirty();
            if (day.Outcome is { } o) await AddToPoolAsync(new EnsembleOutcome(o.TargetDay, o.Symbol, o.Probabilities, o.WentUp));
        }
        s.Pending = [];
        SaveBook();
        await state.WriteStateAsync();
    }

    private PredictionRecord Settle(PredictionRecord pending, ScoredDay day, ScoredCall call)
    {
        if (call.Hit is { } hit) metrics.PredictionScored(call.Signal, hit, call.ProbabilityUp, day.WentUp);
        return pending with { TargetDay = day.Day, RealizedReturn = day.RealizedReturn, Outcome = day.Direction, Hit = call.Hit };
    }

    private async Task AddToPoolAsync(EnsembleOutcome outcome)
    {
        try { await Pool.AddOutcomesAsync([outcome]); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The pool is unreachable (e.g. its silo just died): this outcome is not pooled, which only delays learning.
            EnsembleLog.PoolUnavailableAtClose(logger, ex, outcome.Symbol, outcome.TargetDay);
        }
    }

    public async Task<PredictionRecord?> IssueAsync(NextDayCall call)
    {
        var s = state.State;
        if (_book.IssuedFor is { } issuedFor && call.BasisDay <= issuedFor)
            return s.Pending.Concat(s.LastScored).FirstOrDefault(r => r.Prediction.Signal == Signals.Ensemble && r.Prediction.BasisDay == call.BasisDay);
        if (!_book.CanIssue(call.BasisDay))
        {
            EnsembleLog.CallIgnored(logger, call.Symbol, call.TargetDay, call.BasisDay, _book.LastDay);
            return null;
        }
        // Outcomes of days before the basis day only: every ticker's close of those days is long past, whatever order the
        // tickers' calls arrive in (the backtest's stacker reads the same). Without the pool, the last model this grain
        // used (or the prior): live then differs from a backtest for this call only, and says so.
        try { _model = await Pool.GetModelAsync(call.BasisDay); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            EnsembleLog.PoolUnavailableAtIssue(logger, ex, call.Symbol, call.TargetDay);
            _model ??= new EnsembleModelDto(Signals.Experts, SignalMix.StackingDefaults.Bias, [.. SignalMix.StackingDefaults.PriorWeights], null, 0, 0);
        }
        var sentiment = await Sentiment.GetSignalAsync(call.IssuedAtUtc);
        var day = _book.Issue(call.BasisDay, [call.PriceSignal?.ProbabilityUp ?? double.NaN, sentiment.ProbabilityUp, _book.Persistence],
            new StackingModel(_model.Bias, _model.Coefficients, _model.FittedBefore, _model.Outcomes));

        var issued = new List<PredictionRecord>();
        // The target day is known when the call is made (its prediction time is 00:00 UTC of that day); the outcome at its close.
        if (call.PriceSignal is { } price) issued.Add(new PredictionRecord(price, call.TargetDay, null, null, null, null));
        if (!double.IsNaN(day.Experts[1])) issued.Add(Issue(Signals.Sentiment, SentimentKind, refinement.Model ?? sentimentScorer.Name, call, day.Experts[1]));
        if (!double.IsNaN(day.Experts[2])) issued.Add(Issue(Signals.Persistence, "baseline", "persistence-v1", call, day.Experts[2]));
        issued.Add(Issue(Signals.EnsembleHedge, "baseline", "hedge-v1", call, day.Hedge) with
        {
            Explanation = [.. day.HedgeMix.Select(m => new SignalContribution(Signals.Experts[m.Expert], m.Weight, m.ProbabilityUp, m.Contribution))],
        });
        // The ensemble's explanation: each signal's share and coefficient, and the price model's top feature contributions.
        var ensemble = Issue(Signals.Ensemble, "ensemble", StackingVersion, call, day.Ensemble) with
        {
            Explanation = [.. day.EnsembleMix.Select(m => new SignalContribution(Signals.Experts[m.Expert], m.Weight, m.ProbabilityUp, m.Contribution, _model.Coefficients[m.Expert]))],
        };
        if (call.PriceSignal?.TopFeatures is { } features) ensemble = ensemble with { Prediction = ensemble.Prediction with { TopFeatures = features } };
        issued.Add(ensemble);

        s.Pending = issued;
        foreach (var record in issued)
        {
            s.LatestBySignal[record.Prediction.Signal] = record.Prediction;
            metrics.PredictionEmitted(record.Prediction.Signal);
        }
        SaveBook();
        await state.WriteStateAsync();
        return ensemble;
    }

    public async Task<EnsembleSnapshot> GetSnapshotAsync()
    {
        // After a reactivation, the weights shown are the pool's current ones until this ticker's next close.
        if (_model is null)
        {
            try { _model = await Pool.GetCurrentAsync(); }
            catch (Exception ex) when (ex is not OperationCanceledException) { EnsembleLog.PoolUnavailableForSnapshot(logger, ex, Symbol); }
        }
        var s = state.State;
        // Between a close and the next prediction time nothing is pending: the latest predictions are then the ones just
        // scored (with their outcome). A fast replay spends almost all its time there.
        var shown = s.Pending.Count > 0 ? s.Pending : s.LastScored;
        var latest = shown.FirstOrDefault(p => p.Prediction.Signal == Signals.Ensemble);
        var bySignal = shown.Where(p => p.Prediction.Signal != Signals.Ensemble).ToList();
        return new EnsembleSnapshot(Symbol, latest, bySignal, EnsembleStats.Of(_book.Scorecards, _model, s.LatestBySignal, SentimentKind), _book.Closes);
    }

    public Task<IReadOnlyList<PredictionRecord>> GetPredictionsAsync(DateTime? from, DateTime? to, string? signal)
    {
        IReadOnlyList<PredictionRecord> result = History.Concat(state.State.Pending)
            .Where(r => (from is null || r.Prediction.MadeAt >= from) && (to is null || r.Prediction.MadeAt < to)
                        && (signal is null || r.Prediction.Signal == signal))
            .ToList();
        return Task.FromResult(result);
    }

    private static PredictionRecord Issue(string signal, string kind, string version, NextDayCall call, double p) =>
        new(new SignalPrediction(signal, kind, version, call.IssuedAtUtc, "1d", Signals.Direction(p), p, call.BasisDay), call.TargetDay, null, null, null, null);

    /// <summary>The book's continuation into the hot state (the pending records themselves are the grain's).</summary>
    private void SaveBook()
    {
        var s = state.State;
        var b = _book.Save();
        (s.Weights, s.LastDay, s.LastClose, s.LastDayReturn, s.Closes, s.IssuedFor) = ([.. b.Weights!], b.LastDay, b.LastClose, b.LastDayReturn, b.Closes, b.IssuedFor);
        s.Scorecards = b.Scorecards!.ToDictionary(kv => kv.Key, kv => ScorecardData.From(kv.Value));
    }

    /// <summary>State written before the history had its own: moved there, history first, so a failure in between
    /// duplicates nothing and loses nothing (the next activation just migrates again).</summary>
    private async Task MigrateHistoryAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        DateTime? known = History.Count == 0 ? null : History[^1].Prediction.MadeAt;
        History.AddRange(known is null ? s.History : s.History.Where(r => r.Prediction.MadeAt > known));
        if (History.Count > MaxHistory) History.RemoveRange(0, History.Count - MaxHistory);
        await history.WriteStateAsync(cancellationToken);
        s.History = [];
        await state.WriteStateAsync(cancellationToken);
    }
}
