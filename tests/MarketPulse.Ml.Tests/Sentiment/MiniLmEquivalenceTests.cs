using MarketPulse.Ml.Sentiment;
using MarketPulse.Ml.Training.Sentiment;
using TorchSharp;
using static TorchSharp.torch;

namespace MarketPulse.Ml.Tests.Sentiment;

/// <summary>
/// The TorchSharp rebuild of MiniLM must compute what the ONNX graph computes, and weights written back must be what
/// ONNX Runtime then runs: otherwise training would tune a different model from the one served.
/// </summary>
public sealed class MiniLmEquivalenceTests
{
    private static readonly string[] Sentences =
    [
        "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007 .",
        "The company said that it will cut 150 jobs in Finland.",
        "$AAPL looking weak today, selling everything!!!",
        "Ok.",
    ];

    private static readonly Lazy<OnnxInitializers> Onnx = new(() => OnnxInitializers.Read(MiniLmAssets.BaseModel));

    [Fact]
    public void ReaderFindsEveryEncoderWeightUnderItsPyTorchName()
    {
        var onnx = Onnx.Value;
        foreach (var name in MiniLmClassifier.EncoderParameterNames().Concat(MiniLmClassifier.EmbeddingParameterNames()))
        {
            var (tensor, transposed) = onnx.Parameter(name);
            Assert.Equal(tensor.ElementCount, tensor.Data.Length);
            Assert.Equal(name.EndsWith(".weight") && !name.Contains("LayerNorm") && !name.StartsWith("embeddings"), transposed);
        }
        Assert.Equal([384L, 1536L], onnx.Parameter("encoder.layer.5.intermediate.dense.weight").Tensor.Dims);
        Assert.Equal(36, onnx.LinearWeights.Count(kv => kv.Key.StartsWith("encoder.")));
    }

    [Fact]
    public void TorchSharpForwardMatchesOnnxRuntimeOnThePretrainedWeights()
    {
        using var model = new MiniLmClassifier();
        model.LoadPretrained(Onnx.Value);
        model.eval();
        using var scorer = new TransformerSentimentScorer(Info(), HeadOnly());
        Assert.Equal(0, scorer.OverriddenInitializers);

        var fromOnnx = scorer.Embed(Sentences);
        var fromTorch = TorchEmbed(model, scorer.Tokenizer);
        Assert.True(MaxAbsDiff(fromOnnx, fromTorch) < 1e-4, $"max |onnx - torch| = {MaxAbsDiff(fromOnnx, fromTorch)}");
        Assert.True(fromOnnx.Max(Math.Abs) > 0.05f, "embeddings are not all ~0");
    }

    [Fact]
    public void ExportedWeightsReplaceTheGraphInitializersInOnnxRuntime()
    {
        using var model = new MiniLmClassifier();
        model.LoadPretrained(Onnx.Value);
        model.eval();
        using (no_grad())
        {
            torch.manual_seed(7);
            foreach (var p in model.EncoderParameters()) p.add_(torch.randn_like(p) * 0.02f);
        }
        var exported = model.Export(Onnx.Value);
        var path = Path.Combine(Path.GetTempPath(), $"mp-tuned-{Guid.NewGuid():N}.weights");
        try
        {
            exported.Save(path, halfPrecision: false);
            using var tuned = new TransformerSentimentScorer(Info(), TunedWeights.Load(path));
            using var baseline = new TransformerSentimentScorer(Info(), HeadOnly());
            Assert.Equal(96, tuned.OverriddenInitializers);

            var fromTorch = TorchEmbed(model, tuned.Tokenizer);
            var served = tuned.Embed(Sentences);
            Assert.True(MaxAbsDiff(served, fromTorch) < 1e-4, $"served vs torch: {MaxAbsDiff(served, fromTorch)}");
            // Had ONNX Runtime ignored the override, the served embedding would be the pretrained one.
            Assert.True(MaxAbsDiff(served, baseline.Embed(Sentences)) > 1e-2);

            // The head travels too: same logits' argmax as torch.
            var (i2, mask) = SentimentFineTuner.ToTensors(tuned.Tokenizer.EncodeBatch(Sentences));
            using (no_grad())
            {
                var torchLabels = model.call(i2, mask).argmax(1).data<long>().ToArray();
                var servedLabels = tuned.ScoreBatch(Sentences).Select(s => (long)((int)s.Label + 1)).ToArray();
                Assert.Equal(torchLabels, servedLabels);
            }
        }
        finally { File.Delete(path); }
    }

    internal static SentimentModelInfo Info() => new("test", 64, SentimentModelInfo.LabelOrder, "unused");

    internal static TunedWeights HeadOnly() => new([
        new NamedTensor(TunedWeights.HeadWeight, [3, 384], new float[3 * 384]),
        new NamedTensor(TunedWeights.HeadBias, [3], [0f, 1f, 0f]),
    ]);

    private static float[] TorchEmbed(MiniLmClassifier model, SentimentTokenizer tokenizer)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (ids, mask) = SentimentFineTuner.ToTensors(tokenizer.EncodeBatch(Sentences));
        return model.Embed(ids, mask).contiguous().data<float>().ToArray();
    }

    private static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
