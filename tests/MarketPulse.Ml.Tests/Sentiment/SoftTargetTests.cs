using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Sentiment;
using MarketPulse.Ml.Training;
using MarketPulse.Ml.Training.Sentiment;
using TorchSharp;

namespace MarketPulse.Ml.Tests.Sentiment;

/// <summary>Agreement bands of PhraseBank sentences and the training targets built from them (docs/models/sentiment.md).</summary>
public sealed class SoftTargetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mp-agree-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A PhraseBank-format folder: nested files as in the release, one name spelled with mojibake in 50Agree and 66Agree
    /// but correctly in 75Agree and AllAgree (as the distributed files do), one sentence only in 50Agree.
    /// </summary>
    private static void WriteFixture(string dir)
    {
        string[] all = ["Profit rose 20 % .@positive", "Operating loss widened .@negative", "Sepp\u00e4l\u00e4 reports net sales of EUR 5 mn .@neutral"];
        string[] only75 = ["Sales were up slightly .@positive"];
        string[] only66 = ["The company cut its outlook .@negative"];
        string[] only50 = ["The deal is expected to close in Q3 .@positive"];
        static string Mojibake(string s) => s.Replace("\u00e4", "\u00c3\u00a4");
        File.WriteAllLines(Path.Combine(dir, PhraseBank.File50Agree), [.. all.Select(Mojibake), .. only75, .. only66, .. only50]);
        File.WriteAllLines(Path.Combine(dir, PhraseBank.File66Agree), [.. all.Select(Mojibake), .. only75, .. only66]);
        File.WriteAllLines(Path.Combine(dir, PhraseBank.File75Agree), [.. all, .. only75]);
        File.WriteAllLines(Path.Combine(dir, PhraseBank.FileAllAgree), all);
    }

    [Fact]
    public void Each_sentence_gets_the_band_of_the_highest_agreement_file_that_holds_it_matched_across_mojibake()
    {
        WriteFixture(_dir);
        var bands = PhraseBank.AgreementBands(_dir);
        AgreementBand Of(string text) => bands[PhraseBank.MatchKey(text)];
        Assert.Equal(6, bands.Count);
        Assert.Equal(AgreementBand.AllAgree, Of("Profit rose 20 % ."));
        Assert.Equal(AgreementBand.AllAgree, Of("Sepp\u00c3\u00a4l\u00c3\u00a4 reports net sales of EUR 5 mn .")); // the 50Agree spelling
        Assert.Equal(AgreementBand.Agree75, Of("Sales were up slightly ."));
        Assert.Equal(AgreementBand.Agree66, Of("The company cut its outlook ."));
        Assert.Equal(AgreementBand.Agree50, Of("The deal is expected to close in Q3 ."));
    }

    [Theory]
    [InlineData(PhraseBank.File66Agree)]
    [InlineData(PhraseBank.File75Agree)]
    [InlineData(PhraseBank.FileAllAgree)]
    public void A_missing_agreement_file_is_named(string missing)
    {
        WriteFixture(_dir);
        File.Delete(Path.Combine(_dir, missing));
        var ex = Assert.Throws<FileNotFoundException>(() => PhraseBank.AgreementBands(_dir));
        Assert.Contains(missing, ex.Message);
    }

    [Theory]
    // label, band → expected (negative, neutral, positive)
    [InlineData(SentimentLabel.Positive, AgreementBand.AllAgree, 0.0, 0.0, 1.0)]
    [InlineData(SentimentLabel.Positive, AgreementBand.Agree75, 0.0, 0.13, 0.87)]
    [InlineData(SentimentLabel.Negative, AgreementBand.Agree66, 0.70, 0.30, 0.0)]
    [InlineData(SentimentLabel.Negative, AgreementBand.Agree50, 0.575, 0.425, 0.0)]
    [InlineData(SentimentLabel.Neutral, AgreementBand.Agree50, 0.2125, 0.575, 0.2125)]
    [InlineData(SentimentLabel.Neutral, AgreementBand.Agree75, 0.065, 0.87, 0.065)]
    [InlineData(SentimentLabel.Neutral, AgreementBand.AllAgree, 0.0, 1.0, 0.0)]
    public void Agreement_targets_put_the_band_mass_on_the_label_and_the_rest_on_the_neighbouring_class(
        SentimentLabel label, AgreementBand band, double negative, double neutral, double positive)
    {
        var t = SentimentTargets.Distribution(label, SentimentTargets.MajorityMass(band));
        Assert.Equal(negative, t[0], 6);
        Assert.Equal(neutral, t[1], 6);
        Assert.Equal(positive, t[2], 6);
        Assert.Equal(1.0, t.Sum(p => (double)p), 6);
    }

    [Fact]
    public void Label_smoothing_and_agreement_targets_are_one_mechanism()
    {
        // Plain one-hot, and label smoothing as PyTorch defines it: (1 − ε)·one-hot + ε/3.
        Assert.Equal([0f, 1f, 0f], SentimentTargets.Distribution(SentimentLabel.Neutral));
        var smoothed = SentimentTargets.Distribution(SentimentLabel.Negative, labelSmoothing: 0.1);
        Assert.Equal(0.9 + 0.1 / 3, smoothed[0], 6);
        Assert.Equal(0.1 / 3, smoothed[1], 6);
        Assert.Equal(0.1 / 3, smoothed[2], 6);
        // Both at once compose: smoothing mixes the uniform distribution into the agreement target, still summing to 1.
        var both = SentimentTargets.Distribution(SentimentLabel.Positive, 0.7, 0.1);
        Assert.Equal(0.1 / 3, both[0], 6);
        Assert.Equal(0.9 * 0.3 + 0.1 / 3, both[1], 6);
        Assert.Equal(0.9 * 0.7 + 0.1 / 3, both[2], 6);
        Assert.Equal(1.0, both.Sum(p => (double)p), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => SentimentTargets.Distribution(SentimentLabel.Positive, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SentimentTargets.Distribution(SentimentLabel.Positive, 1, 1));
    }

    [Fact]
    public void The_soft_target_loss_equals_pytorchs_cross_entropy_for_one_hot_and_label_smoothed_targets()
    {
        TorchNativeCompat.EnsureLoadable();
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new float[] { 2.0f, -1.0f, 0.5f, -0.3f, 0.8f, 0.1f, 0.0f, 0.0f, 3.0f }, [3, 3]);
        SentimentLabel[] labels = [SentimentLabel.Negative, SentimentLabel.Neutral, SentimentLabel.Positive];
        var index = torch.tensor(labels.Select(l => (long)((int)l + 1)).ToArray());
        torch.Tensor Targets(double smoothing) => torch.tensor(labels.SelectMany(l => SentimentTargets.Distribution(l, 1.0, smoothing)).ToArray(), [3, 3]);
        Assert.Equal(torch.nn.functional.cross_entropy(logits, index).item<float>(),
            SentimentFineTuner.SoftCrossEntropy(logits, Targets(0)).item<float>(), 5);
        Assert.Equal(torch.nn.functional.cross_entropy(logits, index, label_smoothing: 0.1).item<float>(),
            SentimentFineTuner.SoftCrossEntropy(logits, Targets(0.1)).item<float>(), 5);
        // An agreement target is lowest where the model's distribution equals it: logits = log q (up to a constant).
        var q = SentimentTargets.Distribution(SentimentLabel.Positive, 0.7);
        var qt = torch.tensor(q, [1, 3]);
        var atTarget = SentimentFineTuner.SoftCrossEntropy(torch.tensor(q.Select(p => MathF.Log(Math.Max(p, 1e-6f))).ToArray(), [1, 3]), qt).item<float>();
        var oneHotPrediction = SentimentFineTuner.SoftCrossEntropy(torch.tensor(new[] { -5f, -5f, 5f }, [1, 3]), qt).item<float>();
        Assert.True(atTarget < oneHotPrediction, $"{atTarget} vs {oneHotPrediction}");
    }

    [Fact]
    public void Agreement_training_without_masses_is_refused_before_any_work()
    {
        var rows = new List<LabelledSentence> { new("Profit rose .", SentimentLabel.Positive) };
        var ex = Assert.Throws<ArgumentException>(() => SentimentFineTuner.Train(rows, rows, rows,
            new FineTuneOptions { SoftTargets = SoftTargets.Agreement, Epochs = 1 }));
        Assert.Contains("majority mass", ex.Message);
        Assert.Throws<ArgumentException>(() => SentimentFineTuner.Train(rows, rows, rows, new FineTuneOptions { Epochs = 1 }, majorityMass: [1.0, 0.87]));
    }

    [Fact]
    public void Expected_calibration_error_weighs_each_confidence_bin_by_its_share()
    {
        // Bin (0.9, 1]: 4 predictions at 0.95, 3 right → |0.75 − 0.95| = 0.2, weight 4/6. Bin (0.5, 0.6]: 2 at 0.55, 1 right → 0.05, weight 2/6.
        (double, bool)[] p = [(0.95, true), (0.95, true), (0.95, true), (0.95, false), (0.55, true), (0.55, false)];
        Assert.Equal(4.0 / 6 * 0.2 + 2.0 / 6 * 0.05, ClassificationMetrics.ExpectedCalibrationError(p), 9);
        // Perfectly calibrated per bin → 0; an over-confident model (always 1.0, half right) → 0.5.
        Assert.Equal(0, ClassificationMetrics.ExpectedCalibrationError([(0.5, true), (0.5, false)]), 9);
        Assert.Equal(0.5, ClassificationMetrics.ExpectedCalibrationError([(1.0, true), (1.0, false)]), 9);
        Assert.Equal(0, ClassificationMetrics.ExpectedCalibrationError([]));
    }
}
