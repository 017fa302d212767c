using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Ml.Tests.Price;

[Collection(StockNetCollection.Name)]
public class PriceModelTests(StockNetFixture fixture)
{
    [SharedDataFact("stocknet")]
    public void ShippedModelExplainsEachPrediction()
    {
        using var model = Repo.ShippedPriceModel();
        var inputs = fixture.Data.Inputs("MSFT", new DateOnly(2015, 9, 22));
        var plain = model.Predict(inputs)!;
        var explained = model.Predict(inputs, topContributions: 5)!;

        Assert.Equal(plain.ProbabilityUp, explained.ProbabilityUp, 12);
        Assert.InRange(explained.ProbabilityUp, 0.01, 0.99);
        Assert.Equal("1d", explained.Horizon);
        Assert.StartsWith("price-", explained.ModelVersion);
        Assert.Equal(5, explained.TopContributions.Count);
        Assert.True(explained.TopContributions.Zip(explained.TopContributions.Skip(1)).All(p => Math.Abs(p.First.Contribution) >= Math.Abs(p.Second.Contribution)));
        Assert.Contains(explained.TopContributions, c => c.Contribution != 0);

        // Shapley values against the training means (TreeShapleyTests): the top share is this feature's part of p - p(means).
        Assert.Equal(PriceExplanation.Shapley, model.Explanation);
    }

    [Fact]
    public void ModelWithOtherFeaturesIsRefused()
    {
        var bytes = File.ReadAllBytes(RepoPaths.Path("models", "price.onnx"));
        var card = PriceModelCard.Parse(File.ReadAllText(RepoPaths.Path("models", "price.json")));
        var ex = Assert.Throws<InvalidDataException>(() => new PriceModel(bytes, card with { FeatureNames = [.. card.FeatureNames.Reverse()] }));
        Assert.Contains("different features", ex.Message);
    }

    [SharedDataFact("stocknet")]
    public void BacktestOnDevReportsEverySignalOnTheSameSamples()
    {
        using var model = Repo.ShippedPriceModel();
        var from = new DateOnly(2015, 8, 1);
        var to = new DateOnly(2015, 10, 1);
        var result = StockNetEvaluation.Run(fixture.Data, model, null, from, to, TextWriter.Null);

        Assert.Equal(fixture.Data.Samples(from, to).Count, result.Samples);
        Assert.Equal(result.Samples, result.N);
        foreach (var name in new[] { "ensemble", "price", "sentiment", "yesterday", "always_rise" })
            Assert.True(result.BySignal.ContainsKey(name), name);
        Assert.Equal(result.Samples, result.BySignal["price"].N);
        Assert.Equal(result.Samples, result.BySignal["always_rise"].N);
        // Always-rise scores exactly the share of rises.
        Assert.Equal(result.RiseFraction, result.BySignal["always_rise"].Accuracy, 3);
        Assert.Equal(0, result.BySignal["always_rise"].Mcc);
        Assert.InRange(result.Brier, 0.2, 0.3);
        Assert.Equal(1.0, result.EnsembleWeights.Values.Sum(), 3);
    }

    [SharedDataFact("stocknet")]
    public void BacktestOfAPeriodWithoutDataReportsNothingRatherThanFailing()
    {
        using var model = Repo.ShippedPriceModel();
        var result = StockNetEvaluation.Run(fixture.Data, model, null, new DateOnly(2030, 1, 1), new DateOnly(2030, 3, 1), TextWriter.Null);
        Assert.Equal(0, result.N);
        Assert.Equal(0, result.Samples);
    }
}
