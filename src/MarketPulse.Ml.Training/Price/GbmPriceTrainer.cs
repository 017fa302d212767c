using MarketPulse.Ml.Price;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace MarketPulse.Ml.Training.Price;

/// <summary>Gradient-boosted trees (ML.NET LightGbm) over the feature vector, exported to ONNX with ML.NET's converter.</summary>
public sealed class GbmPriceTrainer(int seed = GbmPriceTrainer.DefaultSeed)
{
    public const int DefaultSeed = 17;

    public sealed record Config(int Leaves, int MinLeaf, double LearningRate, int Trees, double FeatureFraction)
    {
        public override string ToString() => $"leaves={Leaves} minLeaf={MinLeaf} lr={LearningRate} trees={Trees} ff={FeatureFraction}";
    }

    private sealed class FeaturesOnly
    {
        [VectorType(31)] public float[] Features { get; set; } = [];
    }

    private sealed class Row
    {
        [VectorType(31)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    /// <returns>The ONNX graph bytes, its input/score names.</returns>
    public (byte[] Onnx, string Input, string ScoreOutput) Train(PriceDataset train, Config config)
    {
        if (PriceFeatures.Count != 31) throw new InvalidOperationException("update Row's VectorType size to PriceFeatures.Count");
        var ml = new MLContext(seed);
        var rows = Enumerable.Range(0, train.Rows).Select(r => new Row
        {
            Features = train.Features.AsSpan(r * PriceFeatures.Count, PriceFeatures.Count).ToArray(),
            Label = train.Samples[r].Up,
        }).ToList();
        var view = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = config.Leaves,
            MinimumExampleCountPerLeaf = config.MinLeaf,
            LearningRate = config.LearningRate,
            NumberOfIterations = config.Trees,
            Booster = new GradientBooster.Options { FeatureFraction = config.FeatureFraction, L2Regularization = 1.0 },
            Seed = seed,
            Deterministic = true,
            NumberOfThreads = 1,
            Verbose = false,
            Silent = true,
        });
        var model = trainer.Fit(view);
        using var stream = new MemoryStream();
        // The graph's inputs are the given view's columns: features only, so serving need not feed a label.
        ml.Model.ConvertToOnnx(model, ml.Data.LoadFromEnumerable(rows.Take(1).Select(r => new FeaturesOnly { Features = r.Features })), stream);
        var onnx = stream.ToArray();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        var input = session.InputMetadata.Keys.Single();
        var score = session.OutputMetadata.Keys.FirstOrDefault(k => k.StartsWith("Score", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("exported GBM has no Score output: " + string.Join(", ", session.OutputMetadata.Keys));
        return (onnx, input, score);
    }
}
