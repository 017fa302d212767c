using System.Diagnostics;

namespace MarketPulse.Ml.Sentiment;

/// <summary>
/// Accuracy, macro-F1 and throughput of the transformer on labelled sentences. Sentences are batched in order of length,
/// as a bulk scorer would, so that a batch's padding (computed, then thrown away) stays small.
/// </summary>
public sealed record SentimentEvaluation(int Count, double Accuracy, double MacroF1, double SentencesPerSecond, long Tokens)
{
    public const int BatchSize = 32;

    public static SentimentEvaluation Run(TransformerSentimentScorer scorer, IReadOnlyList<LabelledSentence> rows,
        Action<int>? progress = null, CancellationToken ct = default)
    {
        var confusion = new int[3, 3];
        // Class probabilities and true classes in scoring order, for the calibration measured after the clock stops.
        var probabilities = new double[rows.Count * 3];
        var labels = new int[rows.Count];
        var lengths = rows.Select(r => scorer.Tokenizer.Encode(r.Text).Count).ToArray();
        long tokens = lengths.Sum(n => (long)n);
        var order = Enumerable.Range(0, rows.Count).OrderBy(i => lengths[i]).ToArray();
        // Warm-up outside the clock (ONNX Runtime's first runs plan memory and spin up its threads): steady-state speed.
        if (rows.Count > 0) scorer.ScoreBatch([.. order.TakeLast(BatchSize).Select(i => rows[i].Text)]);
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < rows.Count; start += BatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = order.Skip(start).Take(BatchSize).Select(i => rows[i]).ToArray();
            var texts = chunk.Select(r => r.Text).ToArray();
            var chunkProbabilities = new double[chunk.Length * 3];
            var scores = scorer.ScoreBatch(texts, chunkProbabilities);
            chunkProbabilities.CopyTo(probabilities, start * 3);
            for (var i = 0; i < chunk.Length; i++)
            {
                labels[start + i] = (int)chunk[i].Label + 1;
                confusion[(int)chunk[i].Label + 1, (int)scores[i].Label + 1]++;
            }
            progress?.Invoke(Math.Min(rows.Count, start + BatchSize));
        }
        clock.Stop();
        var (accuracy, f1) = ClassificationMetrics.AccuracyAndMacroF1(confusion);
        var flops = lengths.Sum(n => TransformerSentimentScorer.ForwardFlops(n));
        var calibration = CalibrationMetrics.FromProbabilities(probabilities, labels);
        return new SentimentEvaluation(rows.Count, accuracy, f1, rows.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), tokens)
        {
            Flops = flops,
            Seconds = clock.Elapsed.TotalSeconds,
            MeanConfidence = calibration.MeanConfidence,
            Ece = calibration.Ece,
            Nll = calibration.Nll,
        };
    }

    /// <summary>Useful arithmetic (matmul FLOPs of the real tokens, padding excluded) and the time it took.</summary>
    public double Flops { get; init; }
    public double Seconds { get; init; }
    /// <summary>Mean probability of the chosen class, and the expected calibration error over 10 confidence bins.</summary>
    public double MeanConfidence { get; init; }
    public double Ece { get; init; }
    /// <summary>Mean negative log-likelihood of the true labels under the served probabilities (temperature applied).</summary>
    public double Nll { get; init; }
    public double Gflops => Flops / Math.Max(Seconds, 1e-9) / 1e9;
}
