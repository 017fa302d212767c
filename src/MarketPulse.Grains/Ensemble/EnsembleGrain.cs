using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Ensemble;
using MarketPulse.Core.Sentiment;
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
/// Two states: the hot one (weights, scorecards, pending predictions, …; constant size) is written at every close; the
/// scored history (up to <see cref="MaxHistory"/> records) is appended in memory and written every
/// <see cref="HistoryFlushInterval"/> when it changed, and on deactivation. A silo crash can therefore lose at most the
/// history records scored in the last flush interval — never weights, scorecards or pending predictions.
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
    /// <summary>
    /// The sentiment signal aggregates the posts' scores: the production transformer's where it has refined them (all but
    /// those still queued or degraded under a burst), else the lexicon's; so it is labelled with the production model when
    /// this silo has one.
    /// </summary>
    private string SentimentKind => refinement.Model is null ? "lexicon" : "model";

    public const int MaxHistory = 4000;

    /// <summary>How often scored history that changed is written (the bound on what a silo crash can lose).</summary>
    public static readonly TimeSpan HistoryFlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>The experts the ensemble weighs, in weight order.</summary>
    public static readonly string[] Experts = [Signals.Price, Signals.Sentiment, Signals.Persistence];

    private HedgeWeights _hedge = null!;
    private EnsembleModelDto? _model;
    private readonly Dictionary<string, SignalScorecard> _cards = new(StringComparer.Ordinal);
    /// <summary>True when <see cref="History"/> has records not yet written.</summary>
    private bool _historyDirty;

    private List<PredictionRecord> History => history.State.Records;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        _hedge = s.Weights.Count == Experts.Length ? new HedgeWeights(s.Weights) : new HedgeWeights(Experts.Length);
        foreach (var (name, data) in s.Scorecards) _cards[name] = data.ToScorecard();
        if (s.History.Count > 0)
        {
            // State written before the history had its own: move it there (history first, so a failure in between
            // duplicates nothing and loses nothing — the next activation just migrates again).
            DateTime? known = History.Count == 0 ? null : History[^1].Prediction.MadeAt;
            History.AddRange(known is null ? s.History : s.History.Where(r => r.Prediction.MadeAt > known));
            if (History.Count > MaxHistory) History.RemoveRange(0, History.Count - MaxHistory);
            await history.WriteStateAsync(cancellationToken);
            s.History = [];
            await state.WriteStateAsync(cancellationToken);
        }
        this.RegisterGrainTimer(ct => this.ShouldFlushPeriodically() ? FlushHistoryAsync(ct) : Task.CompletedTask, HistoryFlushInterval, HistoryFlushInterval);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_historyDirty && this.ShouldFlushOnDeactivate(reason)) await FlushHistoryAsync(cancellationToken);
    }

    private async Task FlushHistoryAsync(CancellationToken cancellationToken)
    {
        if (!_historyDirty) return;
        try
        {
            await history.WriteStateAsync(cancellationToken);
            _historyDirty = false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Still dirty: the next tick retries. Only history is at stake; the hot state was written at the close.
            logger.LogWarning(ex, "Writing {Symbol}'s ensemble history ({Records} records) failed; retrying in {Interval}",
                this.GetPrimaryKeyString(), History.Count, HistoryFlushInterval);
        }
    }

    public async Task OnDailyCloseAsync(DailyClose close)
    {
        var s = state.State;
        if (s.LastDay is { } lastDay && close.Day <= lastDay) return;

        var outcome = ScorePending(close);
        if (outcome is not null)
        {
            try { await GrainFactory.GetGrain<IEnsemblePoolGrain>(EnsemblePoolGrain.Market).AddOutcomesAsync([outcome]); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The pool is unreachable (e.g. its silo just died): this outcome is not pooled, which only delays learning.
                logger.LogWarning(ex, "Ensemble pool unavailable at {Symbol}'s close of {Day}; its outcome is not pooled", close.Symbol, close.Day);
            }
        }
        s.LastClose = close.Close;
        s.LastDayReturn = close.PreviousClose is { } pc && pc > 0 ? close.Close / pc - 1 : null;
        s.LastDay = close.Day;
        s.Closes++;
        s.Weights = [.. _hedge.Weights];
        s.Scorecards = _cards.ToDictionary(kv => kv.Key, kv => ScorecardData.From(kv.Value));
        await state.WriteStateAsync();
    }

    public async Task<PredictionRecord?> IssueAsync(NextDayCall call)
    {
        var s = state.State;
        if (s.IssuedFor is { } issuedFor && call.BasisDay <= issuedFor)
            return s.Pending.Concat(s.LastScored).FirstOrDefault(r => r.Prediction.Signal == Signals.Ensemble && r.Prediction.BasisDay == call.BasisDay);
        if (s.LastDay != call.BasisDay)
        {
            logger.LogWarning("{Symbol}: call for {Target} on basis {Basis} ignored; the last close recorded here is {LastDay}",
                call.Symbol, call.TargetDay, call.BasisDay, s.LastDay);
            return null;
        }

        var pool = GrainFactory.GetGrain<IEnsemblePoolGrain>(EnsemblePoolGrain.Market);
        EnsembleModelDto model;
        try
        {
            // Outcomes of days before the basis day: every ticker's close of those days is long past, whatever order
            // the tickers' calls arrive in (the backtest's stacker reads the same).
            model = await pool.GetModelAsync(call.BasisDay);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Keep issuing with the last model this grain used (or the prior). Live then differs from a backtest for this
            // call only, and says so.
            logger.LogWarning(ex, "Ensemble pool unavailable for {Symbol}'s call for {Target}; issuing with the last known stacking model", call.Symbol, call.TargetDay);
            var prior = SignalMix.StackingDefaults.PriorWeights;
            model = _model ?? new EnsembleModelDto(Experts, SignalMix.StackingDefaults.Bias, [.. prior], null, 0, 0);
        }

        var sentiment = await GrainFactory.GetGrain<ISentimentGrain>(call.Symbol).GetSignalAsync(call.IssuedAtUtc);
        var persistence = SignalMix.Persistence(s.LastDayReturn);
        var pPrice = call.PriceSignal?.ProbabilityUp ?? double.NaN;

        double[] probabilities = [pPrice, sentiment.ProbabilityUp, persistence];
        var hedgeMix = new List<MixContribution>(Experts.Length);
        var pHedge = SignalMix.Combine(_hedge, probabilities, hedgeMix);
        _model = model;
        var mix = new List<MixContribution>(Experts.Length);
        var pEnsemble = LogisticStacking.Predict(new StackingModel(model.Bias, model.Coefficients, model.FittedBefore, model.Outcomes), probabilities, mix);
        var contributions = mix.Select(m => new SignalContribution(Experts[m.Expert], m.Weight, m.ProbabilityUp, m.Contribution, model.Coefficients[m.Expert])).ToList();

        var issued = new List<PredictionRecord>();
        // The target day is known when the call is made (its prediction time is 00:00 UTC of that day); the outcome at its close.
        if (call.PriceSignal is { } price) issued.Add(new PredictionRecord(price, call.TargetDay, null, null, null, null));
        if (!double.IsNaN(sentiment.ProbabilityUp))
            issued.Add(Issue(Signals.Sentiment, SentimentKind, refinement.Model ?? sentimentScorer.Name, call, sentiment.ProbabilityUp));
        if (!double.IsNaN(persistence)) issued.Add(Issue(Signals.Persistence, "baseline", "persistence-v1", call, persistence));
        issued.Add(Issue(Signals.EnsembleHedge, "baseline", "hedge-v1", call, pHedge) with
        {
            Explanation = hedgeMix.Select(m => new SignalContribution(Experts[m.Expert], m.Weight, m.ProbabilityUp, m.Contribution)).ToList(),
        });
        // The ensemble's explanation: each signal's share and coefficient, and the price model's top feature contributions.
        var ensemble = Issue(Signals.Ensemble, "ensemble", StackingVersion, call, pEnsemble) with { Explanation = contributions };
        if (call.PriceSignal?.TopFeatures is { } features)
            ensemble = ensemble with { Prediction = ensemble.Prediction with { TopFeatures = features } };
        issued.Add(ensemble);

        s.Pending = issued;
        s.IssuedFor = call.BasisDay;
        foreach (var record in issued)
        {
            s.LatestBySignal[record.Prediction.Signal] = record.Prediction;
            metrics.PredictionEmitted(record.Prediction.Signal);
        }
        await state.WriteStateAsync();
        return ensemble;
    }

    public async Task<EnsembleSnapshot> GetSnapshotAsync()
    {
        // After a reactivation, the weights shown are the pool's current ones until this ticker's next close.
        if (_model is null)
        {
            try { _model = await GrainFactory.GetGrain<IEnsemblePoolGrain>(EnsemblePoolGrain.Market).GetCurrentAsync(); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Ensemble pool unavailable for {Symbol}'s snapshot; showing the prior weights", this.GetPrimaryKeyString());
            }
        }
        var s = state.State;
        // Between a close and the next prediction time nothing is pending: the latest predictions are then the ones just
        // scored (with their outcome). A fast replay spends almost all its time there.
        var shown = s.Pending.Count > 0 ? s.Pending : s.LastScored;
        var latest = shown.FirstOrDefault(p => p.Prediction.Signal == Signals.Ensemble);
        var bySignal = shown.Where(p => p.Prediction.Signal != Signals.Ensemble).ToList();
        return new EnsembleSnapshot(this.GetPrimaryKeyString(), latest, bySignal, Stats(), s.Closes);
    }

    public Task<IReadOnlyList<PredictionRecord>> GetPredictionsAsync(DateTime? from, DateTime? to, string? signal)
    {
        IReadOnlyList<PredictionRecord> result = History.Concat(state.State.Pending)
            .Where(r => (from is null || r.Prediction.MadeAt >= from) && (to is null || r.Prediction.MadeAt < to)
                        && (signal is null || r.Prediction.Signal == signal))
            .ToList();
        return Task.FromResult(result);
    }

    /// <returns>The experts' outcome for the market-wide stacker; null when nothing was pending or the day was flat.</returns>
    private EnsembleOutcome? ScorePending(DailyClose close)
    {
        var s = state.State;
        if (s.Pending.Count == 0 || s.LastClose is not { } basisClose || basisClose <= 0) return null;
        var realized = close.Close / basisClose - 1;
        var wentUp = realized > 0;
        var flat = realized == 0;
        Span<double> losses = [double.NaN, double.NaN, double.NaN];
        var scored = new List<PredictionRecord>(s.Pending.Count);
        foreach (var pending in s.Pending)
        {
            var signal = pending.Prediction.Signal;
            var p = pending.Prediction.ProbabilityUp;
            bool? hit = flat ? null : (p >= 0.5) == wentUp;
            if (!flat)
            {
                if (!_cards.TryGetValue(signal, out var card)) _cards[signal] = card = new SignalScorecard();
                var loss = card.Add(p, wentUp);
                var expert = Array.IndexOf(Experts, signal);
                if (expert >= 0) losses[expert] = loss;
                metrics.PredictionScored(signal, hit == true, p, wentUp);
            }
            var record = pending with
            {
                TargetDay = close.Day,
                RealizedReturn = realized,
                Outcome = flat ? "flat" : wentUp ? "up" : "down",
                Hit = hit,
            };
            History.Add(record);
            scored.Add(record);
        }
        s.LastScored = scored;
        EnsembleOutcome? outcome = null;
        if (!flat)
        {
            _hedge.Update(losses);
            var said = new double[Experts.Length];
            for (var k = 0; k < Experts.Length; k++)
                said[k] = s.Pending.FirstOrDefault(r => r.Prediction.Signal == Experts[k])?.Prediction.ProbabilityUp ?? double.NaN;
            outcome = new EnsembleOutcome(close.Day, close.Symbol, said, wentUp);
        }
        if (History.Count > MaxHistory) History.RemoveRange(0, History.Count - MaxHistory);
        _historyDirty = true;
        s.Pending = [];
        return outcome;
    }

    /// <summary>
    /// Per signal: weight = the expert's share of the stacking coefficients (|cₖ| / Σ|c|, from the pool model this grain
    /// last used) with the signed coefficient beside it; 1 for the ensemble itself and for the baselines outside the mix.
    /// </summary>
    private List<SignalStats> Stats()
    {
        var names = Experts.Append(Signals.Ensemble).Append(Signals.EnsembleHedge).Concat(_cards.Keys).Distinct();
        var model = _model is { } m ? new StackingModel(m.Bias, m.Coefficients, m.FittedBefore, m.Outcomes) : null;
        var shares = model is null ? null : LogisticStacking.CoefficientShares(model);
        return names.Select(name =>
        {
            var i = Array.IndexOf(Experts, name);
            var weight = i >= 0 ? shares?[i] ?? SignalMix.StackingDefaults.PriorWeights[i] : 1.0;
            double? coefficient = i >= 0 ? model?.Coefficients[i] ?? SignalMix.StackingDefaults.PriorWeights[i] : null;
            var kind = name switch
            {
                Signals.Ensemble => "ensemble",
                Signals.Persistence or Signals.EnsembleHedge => "baseline",
                Signals.Sentiment => SentimentKind,
                _ => state.State.LatestBySignal.GetValueOrDefault(name)?.Kind ?? "rule",
            };
            return ToStats(name, kind, weight, _cards.GetValueOrDefault(name)) with { Coefficient = coefficient };
        }).ToList();
    }

    internal static SignalStats ToStats(string name, string kind, double weight, SignalScorecard? card) =>
        new(name, kind, weight, card?.Count ?? 0, card?.Hits ?? 0,
            card is { Count: > 0 } ? card.HitRate : null, card is { Count: > 0 } ? card.Brier : null,
            card?.Reliability().Select(b => new ReliabilityBinDto(b.From, b.To, b.Count, b.MeanForecast, b.ObservedFrequency)).ToList() ?? []);

    public const string StackingVersion = "stacking-v1";

    private static PredictionRecord Issue(string signal, string kind, string version, NextDayCall call, double p) =>
        new(new SignalPrediction(signal, kind, version, call.IssuedAtUtc, "1d", Signals.Direction(p), p, call.BasisDay), call.TargetDay, null, null, null, null);
}
