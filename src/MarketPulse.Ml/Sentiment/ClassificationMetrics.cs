namespace MarketPulse.Ml.Sentiment;

public static class ClassificationMetrics
{
    /// <summary>Accuracy and macro-averaged F1 from a confusion matrix [actual, predicted]; a class neither present nor predicted scores F1 = 0.</summary>
    public static (double Accuracy, double MacroF1) AccuracyAndMacroF1(int[,] confusion)
    {
        var classes = confusion.GetLength(0);
        int correct = 0, total = 0;
        double f1Sum = 0;
        for (var c = 0; c < classes; c++)
        {
            int tp = confusion[c, c], actual = 0, predicted = 0;
            for (var k = 0; k < classes; k++) { actual += confusion[c, k]; predicted += confusion[k, c]; }
            correct += tp;
            total += actual;
            f1Sum += actual + predicted == 0 ? 0 : 2.0 * tp / (actual + predicted);
        }
        return (total == 0 ? 0 : correct / (double)total, f1Sum / classes);
    }

    /// <summary>
    /// The reliability diagram behind <see cref="ExpectedCalibrationError"/>: per confidence bin (same bins), how many
    /// predictions fell in it, their accuracy and their mean confidence (both 0 for an empty bin).
    /// </summary>
    public static (int Count, double Accuracy, double MeanConfidence)[] Reliability(IReadOnlyList<(double Confidence, bool Correct)> predictions, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var count = new int[bins];
        var hits = new int[bins];
        var confidence = new double[bins];
        foreach (var (c, correct) in predictions)
        {
            if (!(c is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(predictions), c, "a confidence must be in [0, 1]");
            var b = Math.Clamp((int)Math.Ceiling(c * bins) - 1, 0, bins - 1);
            count[b]++;
            confidence[b] += c;
            if (correct) hits[b]++;
        }
        return [.. Enumerable.Range(0, bins).Select(b => count[b] == 0 ? (0, 0.0, 0.0) : (count[b], hits[b] / (double)count[b], confidence[b] / count[b]))];
    }

    /// <summary>
    /// Expected calibration error (Guo et al. 2017): predictions grouped into <paramref name="bins"/> equal-width bins of
    /// their confidence ((0, 1/b], …, ((b−1)/b, 1]; 0 goes to the first), then Σ (bin size / n)·|accuracy − mean confidence|.
    /// 0 = the confidence of the chosen class is, on average per bin, exactly its hit rate. Returns 0 for no predictions.
    /// </summary>
    public static double ExpectedCalibrationError(IReadOnlyList<(double Confidence, bool Correct)> predictions, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (predictions.Count == 0) return 0;
        double ece = 0;
        foreach (var (count, accuracy, meanConfidence) in Reliability(predictions, bins))
            ece += count * Math.Abs(accuracy - meanConfidence) / predictions.Count; // (n_b/n)·|acc_b − conf_b|
        return ece;
    }
}
