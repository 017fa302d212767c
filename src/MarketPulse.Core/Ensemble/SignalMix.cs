namespace MarketPulse.Core.Ensemble;

/// <summary>One expert's part in an ensemble probability.</summary>
public readonly record struct MixContribution(int Expert, double Weight, double ProbabilityUp, double Contribution);

/// <summary>
/// The ensemble's signal maths, shared by <c>EnsembleGrain</c> (live) and the StockNet backtest so both compute the
/// same numbers: the baseline signals and the weighted mix with its explanation.
/// </summary>
public static class SignalMix
{
    /// <summary>Yesterday's direction, with the mild confidence a coin-flip-grade baseline deserves; NaN on an unchanged day.</summary>
    public static double Persistence(double? dayReturn) =>
        dayReturn is { } r && r != 0 && double.IsFinite(r) ? 0.5 + 0.05 * Math.Sign(r) : double.NaN;

    /// <summary>The sentiment signal from a decayed mean polarity over <paramref name="posts"/> posts; NaN (abstain) with none.</summary>
    public static double Sentiment(double decayedPolarity, int posts) =>
        posts == 0 ? double.NaN : Math.Clamp(0.5 + 0.25 * decayedPolarity, 0.3, 0.7);

    /// <summary>
    /// The ensemble's stacking settings for the experts (price, sentiment, persistence): it starts at the base rate
    /// (bias logit(<see cref="AlwaysRise"/>), every expert's coefficient 0) and moves an expert's coefficient away from 0
    /// only as far as the realised outcomes support it (prior precision 10, one unit of evidence per trading day, a
    /// 10,000-outcome window); the bias is fixed, since a free one chases the last market-wide moves. Out of sample no
    /// expert has shown skill, and an ensemble that trusted the price model a priori scored worse than the base rate
    /// (docs/models/price.md); this one falls back to the base rate's score when the experts have none.
    /// </summary>
    public static StackingOptions StackingDefaults => new([0, 0, 0], PriorPrecision: 10, Window: 10_000, FitBias: false, WeighByDay: true,
        Bias: LogisticStacking.Logit(AlwaysRise));

    /// <summary>The always-rise baseline: "up" with the confidence of the long-run share of up days.</summary>
    public const double AlwaysRise = 0.52;

    /// <summary>The Hedge mix of the experts that spoke, and each one's renormalised weight and pull away from 0.5.</summary>
    public static double Combine(HedgeWeights hedge, ReadOnlySpan<double> probabilities, List<MixContribution>? explanation)
    {
        var p = hedge.Combine(probabilities);
        if (explanation is null) return p;
        var weightSum = 0.0;
        for (var i = 0; i < probabilities.Length; i++) if (!double.IsNaN(probabilities[i])) weightSum += hedge.Weights[i];
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (double.IsNaN(probabilities[i])) continue;
            var w = hedge.Weights[i] / weightSum;
            explanation.Add(new MixContribution(i, w, probabilities[i], w * (probabilities[i] - 0.5)));
        }
        return p;
    }
}
