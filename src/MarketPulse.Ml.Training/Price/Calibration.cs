using MarketPulse.Ml.Price;

namespace MarketPulse.Ml.Training.Price;

/// <summary>
/// Platt scaling: the 1-D logistic regression p = σ(A·score + B), fitted by Newton's method with Platt's target
/// smoothing. Two parameters do not justify a dependency, and ML.NET's calibrators are tied to its own pipelines.
/// </summary>
public static class Calibration
{
    /// <summary>
    /// Fits Platt scaling of an exported model's raw score on a calibration slice (with the card's masked features zeroed,
    /// and the day sequences for a model that reads them); returns the card with A and B set.
    /// </summary>
    public static PriceModelCard FitPlatt(byte[] onnx, PriceModelCard card, PriceDataset cal)
    {
        double[] scores;
        using (var raw = new PriceModel(onnx, card)) scores = raw.Scores(cal.Masked(card.MaskedFeatures).Features, cal.Sequences, cal.Rows);
        var (a, b) = FitPlatt(scores, [.. cal.Samples.Select(s => s.Up)]);
        return card with { CalibrationA = a, CalibrationB = b };
    }

    public static (double A, double B) FitPlatt(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        int pos = labels.Count(l => l), neg = labels.Count - pos;
        double hi = (pos + 1.0) / (pos + 2.0), lo = 1.0 / (neg + 2.0);
        double a = 0, b = Math.Log((pos + 1.0) / (neg + 1.0));
        for (var iter = 0; iter < 100; iter++)
        {
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (var i = 0; i < scores.Count; i++)
            {
                var t = labels[i] ? hi : lo;
                var p = 1 / (1 + Math.Exp(-(a * scores[i] + b)));
                var e = p - t;
                var w = p * (1 - p);
                ga += e * scores[i]; gb += e;
                haa += w * scores[i] * scores[i]; hab += w * scores[i]; hbb += w;
            }
            var det = haa * hbb - hab * hab;
            if (Math.Abs(det) < 1e-15) break;
            var da = (hbb * ga - hab * gb) / det;
            var db = (haa * gb - hab * ga) / det;
            a -= da; b -= db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-10) break;
        }
        return (a, b);
    }
}
