using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Ml.Tests.Price;

/// <summary>The shipped models the tests use (read from the checkout).</summary>
internal static class Repo
{
    public static LexiconSentimentScorer Scorer { get; } = LexiconSentimentScorer.LoadShipped(RepoPaths.Models);

    public static PriceModel ShippedPriceModel() => PriceModel.Load(RepoPaths.Path("models", PriceModel.DefaultFileName));
}

/// <summary>The full StockNet set with tweets for Jun..Sep 2015, loaded once for the tests that need real data; on first
/// use, so the collection's tests that need none also run where it is absent.</summary>
public sealed class StockNetFixture
{
    private readonly Lazy<StockNetData> _data = new(() =>
    {
        using var model = Repo.ShippedPriceModel();
        return StockNetData.Load(SharedData.Path("stocknet"), Repo.Scorer, model.Card.SectorOf, new DateOnly(2015, 6, 1), new DateOnly(2015, 10, 1));
    });

    public StockNetData Data => _data.Value;
}

[CollectionDefinition(Name)]
public sealed class StockNetCollection : ICollectionFixture<StockNetFixture>
{
    public const string Name = "stocknet";
}
