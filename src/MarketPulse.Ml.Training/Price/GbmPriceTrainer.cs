using MarketPulse.Ml.Price;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
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

    /// <returns>The ONNX graph bytes, its input/score names.</returns>
    public (byte[] Onnx, string Input, string ScoreOutput) Train(PriceDataset train, Config config)
    {
        var ml = new MLContext(seed);
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
        return MlNetPriceExport.FitToOnnx(ml, trainer, train);
    }
}

/// <summary>
/// An L2-regularised logistic regression (ML.NET L-BFGS) over mean/variance-normalised features, exported to ONNX with
/// the normaliser inside the graph: the lower-variance alternative to <see cref="GbmPriceTrainer"/>. L-BFGS is
/// deterministic, so it needs no seeds. The settings (L2 1, no L1) are ML.NET's defaults, fixed a priori.
/// </summary>
public static class LogisticPriceTrainer
{
    public static (byte[] Onnx, string Input, string ScoreOutput) Train(PriceDataset train)
    {
        var ml = new MLContext(GbmPriceTrainer.DefaultSeed);
        var pipeline = ml.Transforms.NormalizeMeanVariance(nameof(MlNetPriceExport.Row.Features))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = 1f,
                L1Regularization = 0f,
                NumberOfThreads = 1,
            }));
        return MlNetPriceExport.FitToOnnx(ml, pipeline, train);
    }
}

/// <summary>The rows ML.NET trains the price models on, and their export to an ONNX graph that reads features only.</summary>
public static class MlNetPriceExport
{
    public sealed class FeaturesOnly
    {
        [VectorType(31)] public float[] Features { get; set; } = [];
    }

    public sealed class Row
    {
        [VectorType(31)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    /// <returns>The fitted model as ONNX graph bytes, its input name and the name of its raw score output.</returns>
    public static (byte[] Onnx, string Input, string ScoreOutput) FitToOnnx<T>(MLContext ml, IEstimator<T> estimator, PriceDataset train)
        where T : class, ITransformer
    {
        if (PriceFeatures.Count != 31) throw new InvalidOperationException("update Row's VectorType size to PriceFeatures.Count");
        var rows = Enumerable.Range(0, train.Rows).Select(r => new Row
        {
            Features = train.Features.AsSpan(r * PriceFeatures.Count, PriceFeatures.Count).ToArray(),
            Label = train.Samples[r].Up,
        }).ToList();
        var model = estimator.Fit(ml.Data.LoadFromEnumerable(rows));
        using var stream = new MemoryStream();
        // The graph's inputs are the given view's columns: features only, so serving need not feed a label.
        ml.Model.ConvertToOnnx(model, ml.Data.LoadFromEnumerable(rows.Take(1).Select(r => new FeaturesOnly { Features = r.Features })), stream);
        var onnx = stream.ToArray();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        var input = session.InputMetadata.Keys.Single();
        var score = session.OutputMetadata.Keys.FirstOrDefault(k => k.StartsWith("Score", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("exported model has no Score output: " + string.Join(", ", session.OutputMetadata.Keys));
        return (onnx, input, score);
    }
}
