using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Ensemble;
using MarketPulse.Core.Sentiment;
using MarketPulse.Grains.Telemetry;

namespace MarketPulse.Grains.Ensemble;

/// <summary>
/// One per symbol. At each daily close it first scores the predictions issued at the previous close against the
/// realised move, updates the Hedge weights from those scores only, and then issues the next day's predictions:
/// the price signal, the sentiment signal as of the close, a persistence baseline, and their weighted ensemble.
/// </summary>
public sealed class EnsembleGrain(
    [PersistentState("ensemble", MarketPulseNames.GrainStorage)] IPersistentState<EnsembleState> state,
    PipelineMetrics metrics,
    ISentimentScorer sentimentScorer)
    : Grain, IEnsembleGrain
{
    public const string EnsembleSignal = "ensemble";
    public const string SentimentSignalName = "sentiment";
    public const string PersistenceSignal = "persistence";
    public const int MaxHistory = 4000;

    /// <summary>The experts the ensemble weighs, in weight order.</summary>
    public static readonly string[] Experts = ["price", SentimentSignalName, PersistenceSignal];

    private HedgeWeights _hedge = null!;
    private readonly Dictionary<string, SignalScorecard> _cards = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        _hedge = s.Weights.Count == Experts.Length ? new HedgeWeights(s.Weights) : new HedgeWeights(Experts.Length);
        foreach (var (name, data) in s.Scorecards) _cards[name] = data.ToScorecard();
        return Task.CompletedTask;
    }

    public async Task<PredictionRecord> OnDailyCloseAsync(DailyClose close)
    {
        var s = state.State;
        if (s.LastDay is { } lastDay && close.Day <= lastDay)
            return s.History.LastOrDefault(h => h.Prediction.Signal == EnsembleSignal) ?? throw new InvalidOperationException("close replayed before any prediction");

        ScorePending(close);

        var sentiment = await GrainFactory.GetGrain<ISentimentGrain>(close.Symbol).GetSignalAsync(close.CloseTimeUtc);
        double? dayReturn = close.PreviousClose is { } pc && pc > 0 ? close.Close / pc - 1 : null;
        var persistence = SignalMix.Persistence(dayReturn);
        var pPrice = close.PriceSignal?.ProbabilityUp ?? double.NaN;

        Span<double> probabilities = [pPrice, sentiment.ProbabilityUp, persistence];
        var mix = new List<MixContribution>(Experts.Length);
        var pEnsemble = SignalMix.Combine(_hedge, probabilities, mix);
        var contributions = mix.Select(m => new SignalContribution(Experts[m.Expert], m.Weight, m.ProbabilityUp, m.Contribution)).ToList();

        var issued = new List<PredictionRecord>();
        if (close.PriceSignal is { } price) issued.Add(new PredictionRecord(price, null, null, null, null, null));
        if (!double.IsNaN(sentiment.ProbabilityUp))
            issued.Add(Issue(SentimentSignalName, "lexicon", sentimentScorer.Name, close, sentiment.ProbabilityUp));
        if (!double.IsNaN(persistence)) issued.Add(Issue(PersistenceSignal, "baseline", "persistence-v1", close, persistence));
        // The ensemble's explanation: the signal weights, and the price model's top feature contributions.
        var ensemble = Issue(EnsembleSignal, "ensemble", "hedge-v1", close, pEnsemble) with { Explanation = contributions };
        if (close.PriceSignal?.TopFeatures is { } features)
            ensemble = ensemble with { Prediction = ensemble.Prediction with { TopFeatures = features } };
        issued.Add(ensemble);

        s.Pending = issued;
        foreach (var record in issued)
        {
            s.LatestBySignal[record.Prediction.Signal] = record.Prediction;
            metrics.PredictionEmitted(record.Prediction.Signal);
        }
        s.LastClose = close.Close;
        s.LastDay = close.Day;
        s.Closes++;
        s.Weights = [.. _hedge.Weights];
        s.Scorecards = _cards.ToDictionary(kv => kv.Key, kv => ScorecardData.From(kv.Value));
        await state.WriteStateAsync();
        return ensemble;
    }

    public Task<EnsembleSnapshot> GetSnapshotAsync()
    {
        var s = state.State;
        var latest = s.Pending.FirstOrDefault(p => p.Prediction.Signal == EnsembleSignal);
        var bySignal = s.Pending.Where(p => p.Prediction.Signal != EnsembleSignal).ToList();
        return Task.FromResult(new EnsembleSnapshot(this.GetPrimaryKeyString(), latest, bySignal, Stats(), s.Closes));
    }

    public Task<IReadOnlyList<PredictionRecord>> GetPredictionsAsync(DateTime? from, DateTime? to, string? signal)
    {
        IReadOnlyList<PredictionRecord> result = state.State.History.Concat(state.State.Pending)
            .Where(r => (from is null || r.Prediction.MadeAt >= from) && (to is null || r.Prediction.MadeAt < to)
                        && (signal is null || r.Prediction.Signal == signal))
            .ToList();
        return Task.FromResult(result);
    }

    private void ScorePending(DailyClose close)
    {
        var s = state.State;
        if (s.Pending.Count == 0 || s.LastClose is not { } basisClose || basisClose <= 0) return;
        var realized = close.Close / basisClose - 1;
        var wentUp = realized > 0;
        var flat = realized == 0;
        Span<double> losses = [double.NaN, double.NaN, double.NaN];
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
            s.History.Add(pending with
            {
                TargetDay = close.Day,
                RealizedReturn = realized,
                Outcome = flat ? "flat" : wentUp ? "up" : "down",
                Hit = hit,
            });
        }
        if (!flat) _hedge.Update(losses);
        if (s.History.Count > MaxHistory) s.History.RemoveRange(0, s.History.Count - MaxHistory);
        s.Pending = [];
    }

    private List<SignalStats> Stats()
    {
        var names = Experts.Append(EnsembleSignal).Concat(_cards.Keys).Distinct();
        return names.Select(name =>
        {
            var i = Array.IndexOf(Experts, name);
            var weight = i >= 0 ? _hedge.Weights[i] : 1.0;
            var kind = name switch
            {
                EnsembleSignal => "ensemble", PersistenceSignal => "baseline", SentimentSignalName => "lexicon",
                _ => state.State.LatestBySignal.GetValueOrDefault(name)?.Kind ?? "rule",
            };
            return ToStats(name, kind, weight, _cards.GetValueOrDefault(name));
        }).ToList();
    }

    internal static SignalStats ToStats(string name, string kind, double weight, SignalScorecard? card) =>
        new(name, kind, weight, card?.Count ?? 0, card?.Hits ?? 0,
            card is { Count: > 0 } ? card.HitRate : null, card is { Count: > 0 } ? card.Brier : null,
            card?.Reliability().Select(b => new ReliabilityBinDto(b.From, b.To, b.Count, b.MeanForecast, b.ObservedFrequency)).ToList() ?? []);

    private static PredictionRecord Issue(string signal, string kind, string version, DailyClose close, double p) =>
        new(new SignalPrediction(signal, kind, version, close.CloseTimeUtc, "1d", p >= 0.5 ? "up" : "down", p, close.Day), null, null, null, null, null);
}
