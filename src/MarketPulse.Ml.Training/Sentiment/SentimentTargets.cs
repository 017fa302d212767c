using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Sentiment;

namespace MarketPulse.Ml.Training.Sentiment;

/// <summary>What the training loss aims at besides the majority label (<c>train sentiment --soft-targets</c>).</summary>
public enum SoftTargets
{
    /// <summary>One-hot on the majority label (the shipped recipe), optionally label-smoothed.</summary>
    None,
    /// <summary>The majority label gets <see cref="SentimentTargets.MajorityMass"/> of its agreement band; the rest goes to the neighbouring class.</summary>
    Agreement,
}

/// <summary>
/// Target distributions of the training loss: one mechanism for one-hot, label smoothing and agreement-aware soft
/// targets. Index order = <see cref="SentimentModelInfo.LabelOrder"/> (negative, neutral, positive) = label + 1.
/// </summary>
public static class SentimentTargets
{
    /// <summary>
    /// Probability of the majority label for a sentence of this agreement band: the band's midpoint share of annotators
    /// (AllAgree 1.0; 75–99 % → 0.87; 66–74 % → 0.70; 50–65 % → 0.575). Fixed before any run (docs/models/sentiment.md, "Agreement-aware soft targets").
    /// </summary>
    public static double MajorityMass(AgreementBand band) => band switch
    {
        AgreementBand.AllAgree => 1.0,
        AgreementBand.Agree75 => 0.87,
        AgreementBand.Agree66 => 0.70,
        AgreementBand.Agree50 => 0.575,
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    /// <summary>
    /// The target row for majority label <paramref name="label"/>: <paramref name="majorityMass"/> on the label, the rest
    /// on the neighbouring class (a polar label gives it all to neutral; neutral splits it evenly between negative and
    /// positive: PhraseBank annotators mostly disagree polar-vs-neutral), then label smoothing ε mixes in the uniform
    /// distribution: (1 − ε)·t + ε/3, the same target PyTorch's <c>label_smoothing</c> uses. Sums to 1.
    /// </summary>
    public static float[] Distribution(SentimentLabel label, double majorityMass = 1.0, double labelSmoothing = 0.0)
    {
        if (majorityMass is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(majorityMass), majorityMass, "must be in (0, 1]");
        if (labelSmoothing is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "must be in [0, 1)");
        var t = new double[3];
        var y = (int)label + 1;
        t[y] = majorityMass;
        if (label == SentimentLabel.Neutral)
        {
            t[0] += (1 - majorityMass) / 2;
            t[2] += (1 - majorityMass) / 2;
        }
        else
        {
            t[1] += 1 - majorityMass;
        }
        return [.. t.Select(p => (float)((1 - labelSmoothing) * p + labelSmoothing / 3))];
    }
}
