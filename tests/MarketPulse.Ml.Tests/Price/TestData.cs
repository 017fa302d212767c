using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Evaluation;
using MarketPulse.Ml.Price;
using MarketPulse.Tests.Shared;

namespace MarketPulse.Ml.Tests.Price;

/// <summary>The repository checkout the tests run from (for the shipped models and sample data).</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootDir = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MarketPulse.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (MarketPulse.sln) not found above " + AppContext.BaseDirectory);
    });

    public static string Path(params string[] parts) => System.IO.Path.Combine([RootDir.Value, .. parts]);

    public static LexiconSentimentScorer Scorer { get; } = LexiconSentimentScorer.LoadShipped(Path("models"));

    public static PriceModel ShippedPriceModel() => PriceModel.Load(Path("models", PriceModel.DefaultFileName));
}

/// <summary>The full StockNet set with tweets for Jun..Sep 2015, loaded once for the tests that need real data.</summary>
public sealed class StockNetFixture
{
    public StockNetFixture()
    {
        using var model = Repo.ShippedPriceModel();
        Data = StockNetData.Load(SharedData.Path("stocknet"), Repo.Scorer, model.Card.SectorOf, new DateOnly(2015, 6, 1), new DateOnly(2015, 10, 1));
    }

    public StockNetData Data { get; }
}

[CollectionDefinition(Name)]
public sealed class StockNetCollection : ICollectionFixture<StockNetFixture>
{
    public const string Name = "stocknet";
}
