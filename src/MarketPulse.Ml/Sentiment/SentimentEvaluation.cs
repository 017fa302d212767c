using System.Diagnostics;

namespace MarketPulse.Ml.Sentiment;

/// <summary>Accuracy, macro-F1 and throughput of a batch scorer on labelled sentences.</summary>
public sealed record SentimentEvaluation(int Count, double Accuracy, double MacroF1, double SentencesPerSecond, long Tokens)
{
    public const int BatchSize = 32;

    public static SentimentEvaluation Run(TransformerSentimentScorer scorer, IReadOnlyList<LabelledSentence> rows,
        Action<int>? progress = null, CancellationToken ct = default)
    {
        var confusion = new int[3, 3];
        long tokens = rows.Sum(r => (long)scorer.Tokenizer.Encode(r.Text).Count);
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < rows.Count; start += BatchSize)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = rows.Skip(start).Take(BatchSize).ToArray();
            var texts = chunk.Select(r => r.Text).ToArray();
            var scores = scorer.ScoreBatch(texts);
            for (var i = 0; i < chunk.Length; i++) confusion[(int)chunk[i].Label + 1, (int)scores[i].Label + 1]++;
            progress?.Invoke(Math.Min(rows.Count, start + BatchSize));
        }
        clock.Stop();
        var (accuracy, f1) = ClassificationMetrics.AccuracyAndMacroF1(confusion);
        return new SentimentEvaluation(rows.Count, accuracy, f1, rows.Count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), tokens);
    }
}
