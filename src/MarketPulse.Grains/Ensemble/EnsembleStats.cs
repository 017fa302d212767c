using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Ensemble;

namespace MarketPulse.Grains.Ensemble;

/// <summary>A ticker's signals as its ensemble snapshot shows them: weight, coefficient, kind and running scorecard.</summary>
internal static class EnsembleStats
{
    /// <summary>
    /// Per signal: weight = the expert's share of the stacking coefficients (|cₖ| / Σ|c|, from the pool model the grain
    /// last used) with the signed coefficient beside it; 1 for the ensemble itself and for the baselines outside the mix.
    /// </summary>
    public static List<SignalStats> Of(IReadOnlyDictionary<string, SignalScorecard> cards, EnsembleModelDto? current,
        IReadOnlyDictionary<string, SignalPrediction> latestBySignal, string sentimentKind)
    {
        var names = Signals.Experts.Append(Signals.Ensemble).Append(Signals.EnsembleHedge).Concat(cards.Keys).Distinct();
        var model = current is { } m ? new StackingModel(m.Bias, m.Coefficients, m.FittedBefore, m.Outcomes) : null;
        var shares = model is null ? null : LogisticStacking.CoefficientShares(model);
        return names.Select(name =>
        {
            var i = Array.IndexOf(Signals.Experts, name);
            var weight = i >= 0 ? shares?[i] ?? SignalMix.StackingDefaults.PriorWeights[i] : 1.0;
            double? coefficient = i >= 0 ? model?.Coefficients[i] ?? SignalMix.StackingDefaults.PriorWeights[i] : null;
            var kind = name switch
            {
                Signals.Ensemble => "ensemble",
                Signals.Persistence or Signals.EnsembleHedge => "baseline",
                Signals.Sentiment => sentimentKind,
                _ => latestBySignal.GetValueOrDefault(name)?.Kind ?? "rule",
            };
            return ToStats(name, kind, weight, cards.GetValueOrDefault(name)) with { Coefficient = coefficient };
        }).ToList();
    }

    internal static SignalStats ToStats(string name, string kind, double weight, SignalScorecard? card) =>
        new(name, kind, weight, card?.Count ?? 0, card?.Hits ?? 0,
            card is { Count: > 0 } ? card.HitRate : null, card is { Count: > 0 } ? card.Brier : null,
            card?.Reliability().Select(b => new ReliabilityBinDto(b.From, b.To, b.Count, b.MeanForecast, b.ObservedFrequency)).ToList() ?? []);

}
