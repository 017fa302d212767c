using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Sentiment;

namespace MarketPulse.Ml.Tests.Sentiment;

public sealed class SentimentPartsTests
{
    [Fact]
    public void SoupIsTheElementwiseMeanAndRefusesMismatchedMembers()
    {
        TunedWeights W(float a, float b, long[]? dims = null) => new([new NamedTensor("x", dims ?? [2], [a, b]), new NamedTensor(TunedWeights.HeadBias, [1], [a])]);
        var soup = TunedWeights.Average([W(1, 2), W(3, 6), W(5, 1)]);
        Assert.Equal([3f, 3f], soup.Get("x").Data);
        Assert.Equal([3f], soup.Get(TunedWeights.HeadBias).Data);
        Assert.Equal([1f, 2f], TunedWeights.Average([W(1, 2)]).Get("x").Data);
        Assert.Throws<InvalidDataException>(() => TunedWeights.Average([W(1, 2), W(1, 2, [1, 2])]));
        Assert.Throws<ArgumentException>(() => TunedWeights.Average([]));
    }

    [Fact]
    public void TokenizerTruncatesLongTextsButKeepsTheSeparator()
    {
        var tokenizer = new SentimentTokenizer(16);
        var ids = tokenizer.Encode(string.Join(' ', Enumerable.Repeat("profit", 100)));
        Assert.Equal(16, ids.Count);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
    }

    [Fact]
    public void TokenizerStripsAccentsLikeTheUncasedOriginal()
    {
        var tokenizer = new SentimentTokenizer();
        Assert.Equal(tokenizer.Encode("naive cafe"), tokenizer.Encode("Naïve Café"));
        Assert.DoesNotContain(100, tokenizer.Encode("Naïve Café")); // [UNK]
    }

    [Fact]
    public void BatchesArePaddedToTheLongestRowWithAMask()
    {
        var batch = new SentimentTokenizer().EncodeBatch(["short", "a somewhat longer sentence here"]);
        Assert.Equal(2, batch.Rows);
        Assert.Equal(batch.TokenCount(1), batch.Length);
        Assert.True(batch.TokenCount(0) < batch.Length);
        Assert.Equal(0, batch.InputIds[batch.Length - 1]);
    }

    [Fact]
    public void HalfPrecisionWeightsRoundTripWithinHalfPrecision()
    {
        var random = new Random(1);
        var data = Enumerable.Range(0, 1000).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var weights = new TunedWeights([new NamedTensor("927", [10, 100], data), new NamedTensor(TunedWeights.HeadBias, [3], [0.1f, -0.2f, 0.3f])]);
        var path = Path.GetTempFileName();
        try
        {
            weights.Save(path);
            var back = TunedWeights.Load(path);
            Assert.Equal([10L, 100L], back.Get("927").Dims);
            for (var i = 0; i < data.Length; i++) Assert.Equal(data[i], back.Get("927").Data[i], 1e-3);
            Assert.Equal([0.1f, -0.2f, 0.3f], back.Get(TunedWeights.HeadBias).Data); // the head stays float32
            File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
            Assert.Throws<InvalidDataException>(() => TunedWeights.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LogitsBecomeClassPolarityAndConfidence()
    {
        var positive = TransformerSentimentScorer.FromLogits([0f, 0f, 3f]);
        Assert.Equal(SentimentLabel.Positive, positive.Label);
        Assert.InRange(positive.Polarity, 0.8, 1);
        Assert.InRange(positive.Confidence, 0.9, 1);
        var negative = TransformerSentimentScorer.FromLogits([2f, 0f, -1f]);
        Assert.Equal(SentimentLabel.Negative, negative.Label);
        Assert.True(negative.Polarity < 0);
        Assert.Equal(SentimentLabel.Neutral, TransformerSentimentScorer.FromLogits([0f, 1f, 0f]).Label);
    }

    [SharedDataFact("phrasebank")]
    public void ValidationSplitIsStratifiedDisjointAndConsistentAcrossFiles()
    {
        var dir = SharedData.Path("phrasebank");
        var all50 = PhraseBank.ReadFile(Path.Combine(dir, PhraseBank.File50Agree));
        var allAll = PhraseBank.ReadFile(Path.Combine(dir, PhraseBank.FileAllAgree));
        var split = new PhraseBank.ValidationSplit(all50);
        var (train, validation) = split.Split(all50);
        Assert.Equal(all50.Count, train.Count + validation.Count);
        Assert.Empty(train.Select(r => PhraseBank.MatchKey(r.Text)).Intersect(validation.Select(r => PhraseBank.MatchKey(r.Text))));
        foreach (var label in Enum.GetValues<SentimentLabel>())
        {
            double total = all50.Count(r => r.Label == label), held = validation.Count(r => r.Label == label);
            Assert.InRange(held / total, PhraseBank.ValidationShare - 0.01, PhraseBank.ValidationShare + 0.01);
        }
        // No AllAgree validation sentence was trained on, and every 50Agree validation sentence that is in AllAgree is in
        // its validation part (the files spell some sentences with different mojibake; one AllAgree sentence is not in 50Agree).
        var trainKeys = train.Select(r => PhraseBank.MatchKey(r.Text)).ToHashSet();
        var validationKeys = validation.Select(r => PhraseBank.MatchKey(r.Text)).ToHashSet();
        var (trainAll, validationAll) = split.Split(allAll);
        Assert.All(validationAll, r => Assert.DoesNotContain(PhraseBank.MatchKey(r.Text), trainKeys));
        Assert.All(trainAll, r => Assert.DoesNotContain(PhraseBank.MatchKey(r.Text), validationKeys));
        Assert.InRange(validationAll.Count, 0.9 * allAll.Count * PhraseBank.ValidationShare, 1.1 * allAll.Count * PhraseBank.ValidationShare);
        // Deterministic: the same split from a fresh instance.
        Assert.Equal(validation, new PhraseBank.ValidationSplit(all50).Split(all50).Validation);
    }
}
