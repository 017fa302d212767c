using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Ml.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MarketPulse.Ml.Price;

/// <summary>
/// One feature's share of a prediction. For a tree-ensemble model (<see cref="PriceExplanation.Shapley"/>): its additive
/// share of p − p(reference), the reference being every feature at its training mean; the shares of all features sum to
/// that difference, and a feature equal to its mean gets 0. For other models (<see cref="PriceExplanation.Occlusion"/>):
/// p minus the probability with that feature (or day-sequence channel) alone set to its mean; these do not add up.
/// </summary>
public readonly record struct FeatureContribution(string Feature, double Value, double Contribution);

/// <summary>A calibrated price-model prediction and, when asked for, its top feature contributions.</summary>
public sealed record PricePrediction(double ProbabilityUp, double Score, string ModelVersion, string Horizon, IReadOnlyList<FeatureContribution> TopContributions)
{
    public string Direction => Signals.Direction(ProbabilityUp);
}

/// <summary>How <see cref="PriceModel"/> explains: see <see cref="FeatureContribution"/>.</summary>
public enum PriceExplanation { Occlusion, Shapley }

/// <summary>
/// A shipped price model served by ONNX Runtime: builds the features with <see cref="PriceFeatures"/>, runs the graph,
/// calibrates the score, and explains it. A tree-ensemble graph (the GBMs: <see cref="TreeEnsemble"/> reads its trees at
/// load) is explained by exact Shapley values against the training means (<see cref="TreeShapley"/>), turned into
/// probability units; any other graph by occlusion (each feature, and each day-sequence channel, replaced by its training
/// mean; all variants scored in the same batched session run). Thread-safe: one <see cref="InferenceSession"/> is shared.
/// </summary>
public sealed class PriceModel : IDisposable
{
    public const string DefaultFileName = "price.onnx";
    private readonly InferenceSession _session;
    private readonly int _featureCount;
    // Set for a tree-ensemble graph: its trees, and the explanations' reference row (training means, masked features 0).
    private readonly TreeEnsemble? _trees;
    private readonly float[] _reference = [];
    private readonly double _referenceScore;
    private readonly double _referenceProbability;

    public PriceModel(byte[] onnx, PriceModelCard card)
    {
        Card = card;
        _featureCount = card.FeatureNames.Length;
        if (_featureCount != PriceFeatures.Count || !card.FeatureNames.SequenceEqual(PriceFeatures.Names))
            throw new InvalidDataException($"price model {card.Name} was trained on different features than this build computes");
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(onnx, options);
        (_trees, ExplanationNote) = ReadTrees(onnx);
        if (_trees is not null)
        {
            _reference = [.. card.FeatureMeans];
            foreach (var i in card.MaskedFeatures) _reference[i] = 0;
            _referenceScore = Scores(_reference, null, 1)[0];
            _referenceProbability = Calibrate(_referenceScore);
        }
    }

    public PriceExplanation Explanation => _trees is null ? PriceExplanation.Occlusion : PriceExplanation.Shapley;
    /// <summary>Why the model is explained by occlusion ("" when by Shapley values).</summary>
    public string ExplanationNote { get; }

    private (TreeEnsemble?, string) ReadTrees(byte[] onnx)
    {
        if (Card.SequenceInput is not null) return (null, "the model reads a day sequence");
        if (Card.FeatureMeans.Length != _featureCount) return (null, "the card has no mean per feature");
        var trees = TreeEnsemble.TryRead(onnx, Card.FeaturesInput, Card.ScoreOutput, _featureCount, out var reason);
        if (trees is null) return (null, reason);
        // A guard against a graph read wrongly: the trees must score like the runtime (float sums there, double here).
        float[] probe = [.. Card.FeatureMeans];
        var runtime = Scores(probe, null, 1)[0];
        if (Math.Abs(trees.Score(probe) - runtime) > 1e-4 * Math.Max(1, Math.Abs(runtime)))
            return (null, $"the trees read score {trees.Score(probe)}, the runtime {runtime}");
        return (trees, "");
    }

    public PriceModelCard Card { get; }
    public string Version => $"{Card.Name}-{Card.Version}";

    /// <summary>Loads <c>NAME.onnx</c> and its card <c>NAME.json</c>.</summary>
    public static PriceModel Load(string onnxPath)
    {
        if (!File.Exists(onnxPath)) throw new FileNotFoundException($"price model not found at {onnxPath}", onnxPath);
        var cardPath = Path.ChangeExtension(onnxPath, ".json");
        if (!File.Exists(cardPath)) throw new FileNotFoundException($"price model card not found at {cardPath}", cardPath);
        return new PriceModel(File.ReadAllBytes(onnxPath), PriceModelCard.Parse(File.ReadAllText(cardPath)));
    }

    /// <returns>Null when there is no bar before the target day.</returns>
    public PricePrediction? Predict(PriceInputs inputs, int topContributions = 0)
    {
        var features = new float[_featureCount];
        var sequence = new float[PriceFeatures.SequenceDays * PriceFeatures.SequenceWidth];
        if (!PriceFeatures.TryCompute(inputs, features)) return null;
        if (Card.SequenceInput is not null) PriceFeatures.TryComputeSequence(inputs, sequence);
        foreach (var i in Card.MaskedFeatures) features[i] = 0;
        return Predict(features, sequence, topContributions);
    }

    /// <summary>Predicts a prepared feature row (and day sequence, for a model that reads one), masked as from inputs.</summary>
    public PricePrediction PredictRow(ReadOnlySpan<float> features, float[]? sequence = null, int topContributions = 0)
    {
        if (features.Length != _featureCount) throw new ArgumentException($"a row has {_featureCount} features", nameof(features));
        var row = features.ToArray();
        foreach (var i in Card.MaskedFeatures) row[i] = 0;
        return Predict(row, sequence ?? new float[PriceFeatures.SequenceDays * PriceFeatures.SequenceWidth], topContributions);
    }

    /// <summary>Scores prepared rows (used by evaluation and training to batch many samples).</summary>
    public double[] Scores(float[] features, float[]? sequences, int rows)
    {
        var inputs = new List<NamedOnnxValue>(2)
        {
            NamedOnnxValue.CreateFromTensor(Card.FeaturesInput, new DenseTensor<float>(features, [rows, _featureCount])),
        };
        if (Card.SequenceInput is not null)
            inputs.Add(NamedOnnxValue.CreateFromTensor(Card.SequenceInput,
                new DenseTensor<float>(sequences ?? throw new ArgumentNullException(nameof(sequences)), [rows, PriceFeatures.SequenceDays, PriceFeatures.SequenceWidth])));
        using var results = _session.Run(inputs, [Card.ScoreOutput]);
        var output = results[0].AsEnumerable<float>().ToArray();
        if (output.Length != rows) throw new InvalidDataException($"model output {Card.ScoreOutput} has {output.Length} values for {rows} rows");
        return Array.ConvertAll(output, v => (double)v);
    }

    public double Calibrate(double score) => 1 / (1 + Math.Exp(-(Card.CalibrationA * score + Card.CalibrationB)));

    private PricePrediction Predict(float[] features, float[] sequence, int top)
    {
        if (top <= 0)
        {
            var score = Scores(features, sequence, 1)[0];
            return new PricePrediction(Calibrate(score), score, Version, Card.Horizon, []);
        }
        if (_trees is not null) return PredictExplainedByShapley(features, top);
        var seqLen = sequence.Length;
        var channels = Card.SequenceInput is null ? 0 : PriceFeatures.SequenceWidth;
        var rows = 1 + _featureCount + channels;
        var batchF = new float[rows * _featureCount];
        var batchS = new float[rows * seqLen];
        for (var r = 0; r < rows; r++)
        {
            features.CopyTo(batchF, r * _featureCount);
            sequence.CopyTo(batchS, r * seqLen);
        }
        for (var i = 0; i < _featureCount; i++) batchF[(1 + i) * _featureCount + i] = Card.FeatureMeans[i];
        for (var c = 0; c < channels; c++)
        {
            var row = 1 + _featureCount + c;
            var mean = Card.SequenceMeans.Length > c ? Card.SequenceMeans[c] : 0f;
            for (var day = 0; day < PriceFeatures.SequenceDays; day++) batchS[row * seqLen + day * channels + c] = mean;
        }
        var scores = Scores(batchF, channels > 0 ? batchS : null, rows);
        var p = Calibrate(scores[0]);
        var contributions = new List<FeatureContribution>(rows - 1);
        for (var i = 0; i < _featureCount; i++)
            if (!Card.MaskedFeatures.Contains(i))
                contributions.Add(new FeatureContribution(Card.FeatureNames[i], features[i], p - Calibrate(scores[1 + i])));
        for (var c = 0; c < channels; c++)
            contributions.Add(new FeatureContribution("seq:" + PriceFeatures.SequenceNames[c], sequence[(PriceFeatures.SequenceDays - 1) * channels + c],
                p - Calibrate(scores[1 + _featureCount + c])));
        var topList = contributions.OrderByDescending(c => Math.Abs(c.Contribution)).Take(top).ToList();
        return new PricePrediction(p, scores[0], Version, Card.Horizon, topList);
    }

    /// <summary>
    /// The probability comes from the runtime, as without the explanation; φ (score units, Σφ = s(x) − s(reference)) from
    /// the trees. p − p(reference) is split in proportion to φ with the secant slope of the calibration between the two
    /// scores, (p − p(reference)) / (s(x) − s(reference)) (its derivative when the scores are equal, so cancelling φ stay
    /// visible). The trees sum in double and the runtime in float, so slope·Σφ misses p − p(reference) by ~1e-7; that rest
    /// goes to the features in proportion to |φ|, which keeps the shares exactly additive and a zero φ zero.
    /// </summary>
    private PricePrediction PredictExplainedByShapley(float[] features, int top)
    {
        var score = Scores(features, null, 1)[0];
        var p = Calibrate(score);
        var phi = new double[_featureCount];
        TreeShapley.Add(_trees!, features, _reference, phi);
        var dp = p - _referenceProbability;
        var ds = score - _referenceScore;
        var slope = ds != 0 ? dp / ds : Card.CalibrationA * p * (1 - p);
        double sum = 0, sumAbs = 0;
        foreach (var v in phi) { sum += v; sumAbs += Math.Abs(v); }
        var rest = sumAbs > 0 ? (dp - slope * sum) / sumAbs : 0;
        var contributions = new List<FeatureContribution>(_featureCount);
        for (var i = 0; i < _featureCount; i++)
            if (!Card.MaskedFeatures.Contains(i))
                contributions.Add(new FeatureContribution(Card.FeatureNames[i], features[i], slope * phi[i] + rest * Math.Abs(phi[i])));
        var topList = contributions.OrderByDescending(c => Math.Abs(c.Contribution)).Take(top).ToList();
        return new PricePrediction(p, score, Version, Card.Horizon, topList);
    }

    public void Dispose() => _session.Dispose();
}
