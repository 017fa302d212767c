using BenchmarkDotNet.Attributes;
using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Benchmarks;

/// <summary>
/// Cost of one price prediction as the service makes it at a daily close: features from 60 real StockNet bars and the
/// ticker's tweets, one ONNX Runtime run (one thread), calibration; and with the explanation (for these tree ensembles:
/// exact Shapley values walked from the trees read out of the graph, <c>TreeShapley</c>; occlusion before, one batched
/// run of 1 + 31 rows). The shipped model (<c>models/price.onnx</c>; <c>price-gbm-v4</c>, a 16-seed LightGbm bag in one graph, since the seed-bag retraining) and the
/// price-only GBM baseline (<c>models/price-baseline.onnx</c>).
/// </summary>
[MemoryDiagnoser]
public class PriceModelBenchmarks
{
    private PriceModel _shipped = null!;
    private PriceModel _priceOnly = null!;
    private PriceInputs _inputs = null!;
    private readonly float[] _features = new float[PriceFeatures.Count];

    [GlobalSetup]
    public void Setup()
    {
        var models = RepoPaths.Models;
        _shipped = PriceModel.Load(Path.Combine(models, "price.onnx"));
        _priceOnly = PriceModel.Load(Path.Combine(models, "price-baseline.onnx"));
        var data = StockNetData.Load(SharedData.Path("stocknet"), LexiconSentimentScorer.LoadShipped(models), _shipped.Card.SectorOf,
            new DateOnly(2015, 9, 1), new DateOnly(2015, 10, 1));
        _inputs = data.Inputs("AAPL", new DateOnly(2015, 9, 28));
    }

    [Benchmark]
    public bool Features() => PriceFeatures.TryCompute(_inputs, _features);

    [Benchmark]
    public double ShippedPredict() => _shipped.Predict(_inputs)!.ProbabilityUp;

    [Benchmark]
    public double ShippedPredictExplained() => _shipped.Predict(_inputs, 5)!.ProbabilityUp;

    [Benchmark]
    public double PriceOnlyPredict() => _priceOnly.Predict(_inputs)!.ProbabilityUp;

    [Benchmark]
    public double PriceOnlyPredictExplained() => _priceOnly.Predict(_inputs, 5)!.ProbabilityUp;
}
