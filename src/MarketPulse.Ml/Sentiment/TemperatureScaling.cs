namespace MarketPulse.Ml.Sentiment;

/// <summary>
/// Temperature scaling (Guo et al. 2017): the head's logits divided by one scalar T &gt; 0 before the softmax. T &gt; 1 softens
/// an over-confident model, T &lt; 1 sharpens; argmax (every label) is unchanged for any T. Fitted by minimising the mean
/// negative log-likelihood on held-out labelled data. Written here rather than taken from a library: it is one bounded 1-D
/// minimisation (golden-section search on log T) and a few sums, and it must be deterministic so <c>train sentiment</c>
/// reproduces the shipped json byte for byte.
/// </summary>
public static class TemperatureScaling
{
    public const double MinTemperature = 0.05;
    public const double MaxTemperature = 20;
    public const int Classes = 3;

    /// <summary>Whether <paramref name="t"/> is a usable temperature (finite and &gt; 0).</summary>
    public static bool IsValid(double t) => double.IsFinite(t) && t > 0;

    /// <summary>Softmax of one row of logits divided by <paramref name="t"/> (max-shifted, so large logits cannot overflow).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, double t, Span<double> probabilities)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < logits.Length; c++) max = Math.Max(max, logits[c] / t);
        double z = 0;
        for (var c = 0; c < logits.Length; c++) z += probabilities[c] = Math.Exp(logits[c] / t - max);
        for (var c = 0; c < logits.Length; c++) probabilities[c] /= z;
    }

    /// <summary>Mean negative log-likelihood of the true classes (0 = negative, 1 = neutral, 2 = positive) under logits / T; rows × 3 logits.</summary>
    public static double Nll(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, double t)
    {
        if (labels.Length == 0) return 0;
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = logits.Slice(i * Classes, Classes);
            var max = double.NegativeInfinity;
            for (var c = 0; c < Classes; c++) max = Math.Max(max, row[c] / t);
            double z = 0;
            for (var c = 0; c < Classes; c++) z += Math.Exp(row[c] / t - max);
            sum += max + Math.Log(z) - row[labels[i]] / t; // −log softmax(row / t)[label]
        }
        return sum / labels.Length;
    }

    /// <summary>
    /// The T in [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>] that minimises <see cref="Nll"/>: golden-section
    /// search on log T (the NLL of a temperature is unimodal in practice; a fixed 80 iterations shrink the bracket below 1e-15
    /// of its width, so the result depends on the data alone). Empty data: 1.
    /// </summary>
    public static double Fit(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels)
    {
        if (labels.Length == 0) return 1;
        if (logits.Length != labels.Length * Classes) throw new ArgumentException($"expected {labels.Length * Classes} logits, got {logits.Length}", nameof(logits));
        var invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = Math.Log(MinTemperature), b = Math.Log(MaxTemperature);
        var c = b - invPhi * (b - a);
        var d = a + invPhi * (b - a);
        double fc = Nll(logits, labels, Math.Exp(c)), fd = Nll(logits, labels, Math.Exp(d));
        for (var i = 0; i < 80; i++)
        {
            if (fc <= fd)
            {
                b = d; d = c; fd = fc;
                c = b - invPhi * (b - a);
                fc = Nll(logits, labels, Math.Exp(c));
            }
            else
            {
                a = c; c = d; fc = fd;
                d = a + invPhi * (b - a);
                fd = Nll(logits, labels, Math.Exp(d));
            }
        }
        return Math.Exp((a + b) / 2);
    }

    /// <summary>Calibration of logits / T against labels (<see cref="CalibrationMetrics.FromProbabilities"/> of their softmax).</summary>
    public static CalibrationMetrics Measure(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, double t)
    {
        var probabilities = new double[labels.Length * Classes];
        for (var i = 0; i < labels.Length; i++) Softmax(logits.Slice(i * Classes, Classes), t, probabilities.AsSpan(i * Classes, Classes));
        return CalibrationMetrics.FromProbabilities(probabilities, labels);
    }

    /// <summary>Index of the largest probability; ties go to negative, then positive, then neutral. The served label's rule: <see cref="TransformerSentimentScorer.FromLogits"/> uses it.</summary>
    public static int Argmax(ReadOnlySpan<double> p) => p[0] >= p[1] && p[0] >= p[2] ? 0 : p[2] > p[1] ? 2 : 1;

    /// <summary>
    /// Two-fold cross-fitting: T fitted on the rows of one fold, applied to the other, and vice versa. Returns each fold's
    /// T (fitted on the other fold's rows: <c>Temperatures[f]</c> is the one applied to fold f) so the caller can measure
    /// any subset of held-out rows with the temperature that never saw them.
    /// </summary>
    public static double[] CrossFit(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<int> folds)
    {
        var temperatures = new double[2];
        for (var f = 0; f < 2; f++)
        {
            var (l, y) = Select(logits, labels, folds, 1 - f);
            temperatures[f] = Fit(l, y);
        }
        return temperatures;
    }

    /// <summary>The rows of one fold.</summary>
    public static (float[] Logits, int[] Labels) Select(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<int> folds, int fold)
    {
        var l = new List<float>();
        var y = new List<int>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (folds[i] != fold) continue;
            for (var c = 0; c < Classes; c++) l.Add(logits[i * Classes + c]);
            y.Add(labels[i]);
        }
        return ([.. l], [.. y]);
    }

    /// <summary>
    /// Out-of-fold calibration: each row's logits divided by the temperature fitted on the other fold (<see cref="CrossFit"/>),
    /// then pooled (each row is divided by its fold's temperature and the pooled rows measured at T = 1).
    /// </summary>
    public static CalibrationMetrics MeasureOutOfFold(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<int> folds, IReadOnlyList<double> temperatures)
    {
        var scaled = new float[logits.Length];
        for (var i = 0; i < labels.Length; i++)
            for (var c = 0; c < Classes; c++)
                scaled[i * Classes + c] = (float)(logits[i * Classes + c] / temperatures[folds[i]]);
        return Measure(scaled, labels, 1);
    }
}

/// <summary>Calibration of a set of predictions: ECE over 10 confidence bins, mean negative log-likelihood, multi-class Brier (Σ over classes, mean over rows), mean confidence of the chosen class, accuracy.</summary>
public sealed record CalibrationMetrics(int Count, double Ece, double Nll, double Brier, double MeanConfidence, double Accuracy)
{
    /// <summary>
    /// Calibration of class probabilities (rows × 3: negative, neutral, positive) against the true classes (0, 1, 2); the
    /// chosen class is the served label's (<see cref="TemperatureScaling.Argmax"/>). One computation for <c>eval sentiment</c>
    /// (<see cref="SentimentEvaluation"/>) and the temperature fit's report (<see cref="TemperatureScaling.Measure"/>).
    /// </summary>
    public static CalibrationMetrics FromProbabilities(ReadOnlySpan<double> probabilities, ReadOnlySpan<int> labels)
    {
        var calibration = new List<(double Confidence, bool Correct)>(labels.Length);
        double brier = 0, nll = 0, hits = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = probabilities.Slice(i * TemperatureScaling.Classes, TemperatureScaling.Classes);
            var chosen = TemperatureScaling.Argmax(p);
            for (var c = 0; c < TemperatureScaling.Classes; c++) brier += Math.Pow(p[c] - (c == labels[i] ? 1 : 0), 2);
            nll -= Math.Log(Math.Max(p[labels[i]], double.Epsilon));
            calibration.Add((p[chosen], chosen == labels[i]));
            if (chosen == labels[i]) hits++;
        }
        var n = Math.Max(labels.Length, 1);
        return new CalibrationMetrics(labels.Length, ClassificationMetrics.ExpectedCalibrationError(calibration), nll / n, brier / n,
            calibration.Count == 0 ? 0 : calibration.Average(x => x.Confidence), hits / n)
        {
            Reliability = ClassificationMetrics.Reliability(calibration),
        };
    }

    /// <summary>Per confidence bin (10 equal-width bins, as the ECE's): count, accuracy, mean confidence.</summary>
    public IReadOnlyList<(int Count, double Accuracy, double MeanConfidence)> Reliability { get; init; } = [];
}
