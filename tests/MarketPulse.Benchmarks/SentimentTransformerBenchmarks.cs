using BenchmarkDotNet.Attributes;
using MarketPulse.Ml.Sentiment;

namespace MarketPulse.Benchmarks;

/// <summary>
/// The production sentiment transformer in both precisions: 256 sentences of the PhraseBank validation split (every
/// ~2nd one, so lengths span the set), scored in batches of 32 in order of length as <see cref="SentimentEvaluation"/>
/// and the refine queue do. One operation = one sentence, so sentences/s = 1 / mean. Both precisions run in the same
/// process, one after the other, which is as close to "same load" as BenchmarkDotNet gets on a shared machine.
/// </summary>
[MemoryDiagnoser]
public class SentimentTransformerBenchmarks
{
    private const int Sentences = 256;
    private TransformerSentimentScorer _scorer = null!;
    private string[][] _batches = [];

    [Params(SentimentPrecision.Float32, SentimentPrecision.Int8)]
    public SentimentPrecision Precision { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scorer = TransformerSentimentScorer.LoadShipped(RepoPaths.Models, precision: Precision);
        var dir = SharedData.Path("phrasebank");
        var (_, validation) = PhraseBank.ValidationSplit.For(dir).Split(PhraseBank.ReadFile(Path.Combine(dir, PhraseBank.File50Agree)));
        var step = Math.Max(1, validation.Count / Sentences);
        _batches = validation.Where((_, i) => i % step == 0).Take(Sentences).Select(s => s.Text)
            .OrderBy(t => _scorer.Tokenizer.Encode(t).Count).Chunk(SentimentEvaluation.BatchSize).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _scorer.Dispose();

    [Benchmark(OperationsPerInvoke = Sentences)]
    public double ScoreSentence()
    {
        double sum = 0;
        foreach (var batch in _batches)
            foreach (var s in _scorer.ScoreBatch(batch)) sum += s.Polarity;
        return sum;
    }
}
