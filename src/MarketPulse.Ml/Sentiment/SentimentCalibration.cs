namespace MarketPulse.Ml.Sentiment;

/// <summary>
/// The temperature of a sentiment model fitted on the 50Agree validation split, with its calibration measured three ways:
/// at T = 1, in-sample at the fitted T (optimistic: T saw these sentences) and 2-fold cross-fitted (each half measured with
/// the T fitted on the other half: the honest number). AllAgree is measured as a subset of the same halves.
/// </summary>
public sealed record SentimentCalibration(
    double Temperature,
    IReadOnlyList<double> FoldTemperatures,
    CalibrationMetrics Uncalibrated50,
    CalibrationMetrics InSample50,
    CalibrationMetrics CrossFitted50,
    CalibrationMetrics UncalibratedAll,
    CalibrationMetrics InSampleAll,
    CalibrationMetrics CrossFittedAll)
{
    /// <summary>The declared rule (docs/models/sentiment.md): ship the fitted T if the cross-fitted 50Agree NLL is lower than at T = 1.</summary>
    public bool Ships => CrossFitted50.Nll < Uncalibrated50.Nll;

    /// <summary>
    /// The half (0 or 1) a validation sentence belongs to: the lowest bit of its split key (SHA-256 of its
    /// <see cref="PhraseBank.MatchKey"/>). A function of the sentence alone, so repeated sentences stay together and an
    /// AllAgree sentence falls in the same half as its 50Agree twin, even where the files spell it differently (one AllAgree
    /// validation sentence has no 50Agree twin by key, which ruled out alternating over the 50Agree order).
    /// </summary>
    public static int Fold(string text) => (int)(PhraseBank.ValidationSplit.Key(text) & 1);

    /// <summary>Fits and measures from the model's raw logits (its own configured temperature is ignored).</summary>
    public static SentimentCalibration Run(TransformerSentimentScorer scorer, IReadOnlyList<LabelledSentence> validation50,
        IReadOnlyList<LabelledSentence> validationAll, CancellationToken ct = default)
    {
        var (l50, y50, f50) = Logits(scorer, validation50, ct);
        var (lAll, yAll, fAll) = Logits(scorer, validationAll, ct);
        return FromLogits(l50, y50, f50, lAll, yAll, fAll);
    }

    /// <summary>The arithmetic of <see cref="Run"/> on given logits (rows × 3), labels (0 negative, 1 neutral, 2 positive) and folds (0/1).</summary>
    public static SentimentCalibration FromLogits(float[] logits50, int[] labels50, int[] folds50, float[] logitsAll, int[] labelsAll, int[] foldsAll)
    {
        var t = TemperatureScaling.Fit(logits50, labels50);
        var foldT = TemperatureScaling.CrossFit(logits50, labels50, folds50);
        return new SentimentCalibration(t, foldT,
            TemperatureScaling.Measure(logits50, labels50, 1), TemperatureScaling.Measure(logits50, labels50, t),
            TemperatureScaling.MeasureOutOfFold(logits50, labels50, folds50, foldT),
            TemperatureScaling.Measure(logitsAll, labelsAll, 1), TemperatureScaling.Measure(logitsAll, labelsAll, t),
            TemperatureScaling.MeasureOutOfFold(logitsAll, labelsAll, foldsAll, foldT));
    }

    private static (float[] Logits, int[] Labels, int[] Folds) Logits(TransformerSentimentScorer scorer, IReadOnlyList<LabelledSentence> rows, CancellationToken ct)
    {
        var logits = new float[rows.Count * 3];
        for (var start = 0; start < rows.Count; start += SentimentEvaluation.BatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = rows.Skip(start).Take(SentimentEvaluation.BatchSize).Select(r => r.Text).ToArray();
            scorer.RawLogits(chunk).CopyTo(logits, start * 3);
        }
        var labels = rows.Select(r => (int)r.Label + 1).ToArray();
        var f = rows.Select(r => Fold(r.Text)).ToArray();
        return (logits, labels, f);
    }
}
