using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Sentiment;
using MarketPulse.Ml.Training.Sentiment;

namespace MarketPulse.Ml.Tests.Sentiment;

/// <summary>
/// The fine-tuner's per-epoch weights (what soups over epochs are made of) and the recipe options, on a few steps of real
/// training (a handful of sentences, one thread: seconds, not the minutes of a real run).
/// </summary>
public sealed class FineTunerRecipeTests
{
    private static readonly LabelledSentence[] Train =
    [
        new("Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007 .", SentimentLabel.Positive),
        new("The company said that it will cut 150 jobs in Finland .", SentimentLabel.Negative),
        new("The annual general meeting will be held in Helsinki on 3 April .", SentimentLabel.Neutral),
        new("Net sales increased by 18.5 % to EUR 167.8 mn .", SentimentLabel.Positive),
        new("Pre-tax loss totalled EUR 4.3 mn , compared to a profit of EUR 2.1 mn .", SentimentLabel.Negative),
        new("The company is headquartered in Espoo , Finland .", SentimentLabel.Neutral),
        new("Sales fell 12 % as demand for paper weakened .", SentimentLabel.Negative),
        new("Orders received grew to EUR 120 mn , up 30 % .", SentimentLabel.Positive),
    ];

    private static FineTuneResult Run(FineTuneOptions options, List<TunedWeights>? perEpoch = null) =>
        SentimentFineTuner.Train(Train, Train[..4], Train[..2], options with { Threads = 1, BatchSize = 4 },
            onEpoch: perEpoch is null ? null : (w, _) => perEpoch.Add(w));

    private static double Distance(TunedWeights a, TunedWeights b, string tensor)
    {
        var (x, y) = (a.Get(tensor).Data, b.Get(tensor).Data);
        double sum = 0;
        for (var i = 0; i < x.Length; i++) sum += (x[i] - y[i]) * (double)(x[i] - y[i]);
        return Math.Sqrt(sum);
    }

    [Fact]
    public void EveryEpochHandsOverItsWeightsAndTheKeptEpochIsOneOfThem()
    {
        var perEpoch = new List<TunedWeights>();
        var result = Run(new FineTuneOptions { Epochs = 3 }, perEpoch);
        Assert.Equal(3, perEpoch.Count);
        Assert.Equal(3, result.Epochs.Count);
        // Training moved the weights between epochs, and the returned (best) weights are exactly that epoch's.
        var name = perEpoch[0].EncoderOverrides.First().Name;
        Assert.True(Distance(perEpoch[0], perEpoch[2], name) > 0);
        Assert.Equal(perEpoch[result.BestEpoch - 1].Get(name).Data, result.Weights.Get(name).Data);
        Assert.Equal(perEpoch[result.BestEpoch - 1].Get(TunedWeights.HeadWeight).Data, result.Weights.Get(TunedWeights.HeadWeight).Data);
    }

    [Fact]
    public void LayerDecayMovesTheBottomLayerLessThanTheTop()
    {
        var onnx = OnnxInitializers.Read(MiniLmAssets.BaseModel);
        using var pretrainedModel = new MiniLmClassifier();
        pretrainedModel.LoadPretrained(onnx);
        var pretrained = pretrainedModel.Export(onnx);
        string Tensor(int layer) => onnx.Parameter($"encoder.layer.{layer}.intermediate.dense.weight").Tensor.Name;

        var flat = Run(new FineTuneOptions { Epochs = 1 }).Weights;
        var decayed = Run(new FineTuneOptions { Epochs = 1, LayerDecay = 0.5 }).Weights;
        // The top layer keeps the full lr either way; the bottom one gets 0.5^5 = 1/32 of it under decay.
        double Bottom(TunedWeights w) => Distance(w, pretrained, Tensor(0));
        double Top(TunedWeights w) => Distance(w, pretrained, Tensor(5));
        Assert.True(Bottom(decayed) < 0.2 * Bottom(flat), $"bottom layer moved {Bottom(decayed)} with decay vs {Bottom(flat)} without");
        Assert.True(Top(decayed) > 0.5 * Top(flat), $"top layer moved {Top(decayed)} with decay vs {Top(flat)} without");
    }

    [Fact]
    public void LabelSmoothingKeepsTheTrainingLossAboveTheEntropyOfTheSmoothedTarget()
    {
        // With smoothing e over 3 classes the target is (1 - e + e/3, e/3, e/3): the loss cannot fall below its entropy
        // (0.639 for e = 0.3), while plain cross-entropy on 8 sentences heads towards 0.
        var plain = Run(new FineTuneOptions { Epochs = 6, EncoderLearningRate = 3e-4, HeadLearningRate = 3e-3 });
        var smoothed = Run(new FineTuneOptions { Epochs = 6, EncoderLearningRate = 3e-4, HeadLearningRate = 3e-3, LabelSmoothing = 0.3 });
        const double floor = 0.639;
        Assert.All(smoothed.Epochs, e => Assert.True(e.TrainLoss > floor - 1e-3, $"smoothed loss {e.TrainLoss} below the floor"));
        Assert.True(plain.Epochs[^1].TrainLoss < floor, $"plain loss {plain.Epochs[^1].TrainLoss} did not fall below {floor}");
    }
}
