using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Sentiment;
using MarketPulse.Ml.Tests.Price;

namespace MarketPulse.Ml.Tests.Sentiment;

/// <summary>The model in <c>models/</c> as the service and <c>eval</c> load it.</summary>
public sealed class ShippedSentimentModelTests : IClassFixture<ShippedSentimentModelTests.Model>
{
    public sealed class Model : IDisposable
    {
        public TransformerSentimentScorer Scorer { get; } = TransformerSentimentScorer.LoadShipped(RepoPaths.Path("models"));

        public void Dispose() => Scorer.Dispose();
    }

    private readonly TransformerSentimentScorer _scorer;

    public ShippedSentimentModelTests(Model model) => _scorer = model.Scorer;

    [SharedDataFact("phrasebank")]
    public void ScoresTheHeldOutValidationSplitAtTheLevelTheModelCardStates()
    {
        var dir = SharedData.Path("phrasebank");
        var split = PhraseBank.ValidationSplit.For(dir);
        var (_, validation) = split.Split(PhraseBank.ReadFile(Path.Combine(dir, PhraseBank.File50Agree)));
        var (_, validationAll) = split.Split(PhraseBank.ReadFile(Path.Combine(dir, PhraseBank.FileAllAgree)));
        var result = SentimentEvaluation.Run(_scorer, validation);
        var resultAll = SentimentEvaluation.Run(_scorer, validationAll);
        // The shipped soup measured 0.8296 / 0.8152 (50Agree) and 0.9498 / 0.9390 (AllAgree); the best single run before
        // it 0.8176 and 0.9459, a broken export or tokenizer drift lands near 0.6, so the old weights fail this too.
        Assert.True(result.Accuracy >= 0.825, $"validation accuracy {result.Accuracy:F4}");
        Assert.True(result.MacroF1 >= 0.81, $"validation macro-F1 {result.MacroF1:F4}");
        Assert.True(resultAll.Accuracy >= 0.947, $"AllAgree validation accuracy {resultAll.Accuracy:F4}");
        // And what models/sentiment-minilm.json claims is what the weights beside it do (2 sentences of slack for
        // floating-point differences between CPUs).
        Assert.Equal(_scorer.Info.Validation!["accuracy_50agree"], result.Accuracy, 2.0 / validation.Count);
        Assert.Equal(_scorer.Info.Validation!["accuracy_allagree"], resultAll.Accuracy, 2.0 / validationAll.Count);
    }

    [Fact]
    public void ClassProbabilitiesAgreeWithTheScoresTheServiceUses()
    {
        string[] texts = ["Operating profit rose to EUR 13.1 mn from EUR 8.7 mn.", "The company said it would cut 300 jobs.",
            "The meeting will be held in Helsinki."];
        var scores = _scorer.ScoreBatch(texts);
        var p = _scorer.Probabilities(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(1.0, p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2], 5);
            Assert.Equal(scores[i].Polarity, p[i * 3 + 2] - p[i * 3], 5);
            Assert.Equal(scores[i].Confidence, Math.Max(p[i * 3], Math.Max(p[i * 3 + 1], p[i * 3 + 2])), 5);
        }
    }

    [Fact]
    public void ClearFinancialNewsGetsTheRightSignPolarityAndConfidence()
    {
        var scores = _scorer.ScoreBatch([
            "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007 .",
            "The company reported a net loss and said it will cut 500 jobs as sales fell sharply .",
            "The annual general meeting will be held in Helsinki on 3 April .",
        ]);
        Assert.Equal([SentimentLabel.Positive, SentimentLabel.Negative, SentimentLabel.Neutral], scores.Select(s => s.Label));
        Assert.True(scores[0].Polarity > 0.5 && scores[1].Polarity < -0.5, $"{scores[0].Polarity}, {scores[1].Polarity}");
        Assert.All(scores, s => Assert.InRange(s.Confidence, 1 / 3.0, 1));
        Assert.Equal(scores[1], _scorer.Score("The company reported a net loss and said it will cut 500 jobs as sales fell sharply ."));
    }

    [Fact]
    public async Task AFullRefineQueueDegradesToTheFastScoreAtOnceAndCountsIt()
    {
        using var gate = new SemaphoreSlim(0);
        var delivered = new List<RefineResult>();
        await using var queue = new SentimentRefineQueue(_scorer, async results =>
        {
            await gate.WaitAsync();
            lock (delivered) delivered.AddRange(results);
        }, capacity: 2, batchSize: 1);

        RefineRequest Request(int i) => new("ACME", "test", i.ToString(), $"Net sales increased by {i} % .");
        Assert.True(queue.TryEnqueue(Request(0)));
        // The worker takes #0 and then waits on the gate inside delivery, so the queue holds exactly its capacity.
        await Eventually.Last(() => Task.FromResult(queue.Pending), pending => pending == 0, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        Assert.True(queue.TryEnqueue(Request(1)));
        Assert.True(queue.TryEnqueue(Request(2)));
        Assert.False(queue.TryEnqueue(Request(3)));
        Assert.Equal(1, queue.Degraded);

        gate.Release(3);
        await Eventually.Last(() => Task.FromResult(queue.Refined), refined => refined >= 3, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        Assert.Equal(3, queue.Refined);
        Assert.Equal(["0", "1", "2"], delivered.Select(r => r.Request.Id));
        Assert.All(delivered, r => Assert.Equal(SentimentLabel.Positive, r.Score.Label));
        Assert.Equal(0, queue.Failed);
    }

    [Fact]
    public async Task ClosingTheRefineQueueAtShutdownFinishesTheBatchInFlightAndDropsTheBacklogCounted()
    {
        using var gate = new SemaphoreSlim(0);
        var delivered = new List<RefineResult>();
        await using var queue = new SentimentRefineQueue(_scorer, async results =>
        {
            await gate.WaitAsync();
            lock (delivered) delivered.AddRange(results);
        }, capacity: 8, batchSize: 1);

        RefineRequest Request(int i) => new("ACME", "test", i.ToString(), $"Net sales increased by {i} % .");
        Assert.True(queue.TryEnqueue(Request(0)));
        await Eventually.Last(() => Task.FromResult(queue.Pending), pending => pending == 0, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        for (var i = 1; i <= 5; i++) Assert.True(queue.TryEnqueue(Request(i)));

        var closed = queue.CloseAsync();
        Assert.False(closed.IsCompleted); // #0 is still being delivered
        Assert.False(queue.TryEnqueue(Request(6))); // closed: refused, counted as degraded (keeps its fast score)
        gate.Release();
        await closed.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["0"], delivered.Select(r => r.Request.Id));
        Assert.Equal(1, queue.Refined);
        Assert.Equal(5, queue.Abandoned);
        Assert.Equal(1, queue.Degraded);
        Assert.Equal(0, queue.Failed);
    }
}
