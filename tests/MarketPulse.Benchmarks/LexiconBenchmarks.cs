using BenchmarkDotNet.Attributes;
using MarketPulse.Core.Sentiment;

namespace MarketPulse.Benchmarks;

/// <summary>
/// The fast sentiment path: the VADER lexicon scorer over the 4,200 real tweets of VADER's ground truth, one thread.
/// One operation scores all of them, so texts/s = 4,200 / mean. (Was a timed unit test; speed belongs here.)
/// </summary>
[MemoryDiagnoser]
public class LexiconBenchmarks
{
    private LexiconSentimentScorer _scorer = null!;
    private LexiconSentimentScorer _withLm = null!;
    private string[] _texts = [];

    [GlobalSetup]
    public void Setup()
    {
        _scorer = LexiconSentimentScorer.LoadShipped(RepoPaths.Models);
        // The opt-in finance combination: merged into the word table at load, so the per-text cost should not change.
        _withLm = LexiconSentimentScorer.LoadShipped(RepoPaths.Models,
            LoughranMcDonaldLexicon.Load(SharedData.Path("loughran_mcdonald", "inputs", "LM_MasterDictionary_1993-2021.csv")));
        _texts = File.ReadLines(SharedData.Path("vader", "hutto_ICWSM_2014", "tweets_GroundTruth.txt"))
            .Where(l => l.Length > 0).Select(l => l.Split('\t', 3)[2]).ToArray();
    }

    [Benchmark(OperationsPerInvoke = 4200)]
    public double ScoreTweet()
    {
        double sum = 0;
        foreach (var t in _texts) sum += _scorer.Score(t).Polarity;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 4200)]
    public double ScoreTweetWithLoughranMcDonald()
    {
        double sum = 0;
        foreach (var t in _texts) sum += _withLm.Score(t).Polarity;
        return sum;
    }
}
