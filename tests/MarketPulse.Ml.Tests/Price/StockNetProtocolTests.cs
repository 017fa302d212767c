using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Ml.Tests.Price;

[Collection(StockNetCollection.Name)]
public class StockNetProtocolTests(StockNetFixture fixture)
{
    // Xu & Cohen (2018), table 1: train 20,339, dev 2,555 (test 3,720 is held back from this copy).
    [SharedDataTheory("stocknet")]
    [InlineData("2014-01-01", "2015-08-01", 20_339, 10)]
    [InlineData("2015-08-01", "2015-10-01", 2_555, 5)]
    public void SampleCountsMatchThePaper(string from, string to, int paper, int tolerance)
    {
        var n = fixture.Data.Samples(DateOnly.Parse(from), DateOnly.Parse(to)).Count;
        Assert.InRange(n, paper - tolerance, paper + tolerance);
    }

    [SharedDataFact("stocknet")]
    public void LabelsFollowTheMovementBand()
    {
        var samples = fixture.Data.Samples(new DateOnly(2015, 8, 1), new DateOnly(2015, 10, 1));
        Assert.All(samples, s => Assert.True(s.Up ? s.Movement >= 0.0055 : s.Movement < -0.005, $"{s.Symbol} {s.Target} {s.Movement}"));
        // The dev period fell more often than it rose (StockNet dev rise share ≈ 0.446).
        Assert.InRange(samples.Count(s => s.Up) / (double)samples.Count, 0.43, 0.46);
    }

    [Fact]
    public void ADirectoryWithoutStockNetLayoutIsRefusedWithAMessage()
    {
        var dir = Directory.CreateTempSubdirectory("mp-not-stocknet").FullName;
        var ex = Assert.Throws<InvalidDataException>(() => StockNetData.RequireLayout(dir));
        Assert.Contains("price/raw", ex.Message);
        Assert.Throws<InvalidDataException>(() => StockNetData.RequireLayout(Path.Combine(dir, "missing")));
    }

    [SharedDataFact("stocknet")]
    public void MalformedPreprocessedRowsAreCountedNotThrown()
    {
        var dir = Directory.CreateTempSubdirectory("mp-stocknet").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "price", "raw"));
        Directory.CreateDirectory(Path.Combine(dir, "price", "preprocessed"));
        File.Copy(SharedData.Path("stocknet", "price", "raw", "AAPL.csv"), Path.Combine(dir, "price", "raw", "AAPL.csv"));
        File.WriteAllLines(Path.Combine(dir, "price", "preprocessed", "AAPL.txt"),
            ["2015-09-30\t0.011370\t0\t0\t0\t0\t0", "garbage", "2015-09-29\tnot-a-number"]);
        var data = StockNetData.Load(dir, Repo.Scorer, _ => -1);
        Assert.Equal(2, data.Rejections["preprocessed: malformed row"]);
        Assert.Single(data.Samples(new DateOnly(2015, 9, 1), new DateOnly(2015, 10, 1)));
    }

    [SharedDataFact("stocknet")]
    public void TweetsGoThroughTheLiveTextPipelineAndACrossFiledTweetCountsForEachTicker()
    {
        var dir = Directory.CreateTempSubdirectory("mp-stocknet-texts").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "price", "raw"));
        static string Tweet(string text, string time, string user) =>
            $$"""{"text": [{{string.Join(", ", text.Split(' ').Select(t => $"\"{t}\""))}}], "created_at": "Mon Jun 01 {{time}} +0000 2015", "user_id_str": "{{user}}"}""";
        var shared = Tweet("$aapl and $msft both look great today", "14:00:00", "7");
        foreach (var (symbol, lines) in new[]
                 {
                     ("AAPL", new[] { Tweet("$aapl earnings beat , love it", "13:00:00", "1"), shared, Tweet("rt AT_USER $aapl earnings beat , love it", "13:30:00", "3") }),
                     ("MSFT", new[] { shared, Tweet("$msft earnings beat , love it", "15:00:00", "2") }),
                 })
        {
            File.Copy(SharedData.Path("stocknet", "price", "raw", "AAPL.csv"), Path.Combine(dir, "price", "raw", symbol + ".csv"));
            var tweets = Path.Combine(dir, "tweet", "preprocessed", symbol);
            Directory.CreateDirectory(tweets);
            File.WriteAllLines(Path.Combine(tweets, "2015-06-01"), lines);
        }

        var data = StockNetData.Load(dir, Repo.Scorer, _ => -1);

        Assert.Equal(5, data.TweetsRead);
        Assert.Equal(4, data.Posts);
        // The retweet and the MSFT tweet with the same words as an earlier AAPL one are dropped, as the live source does.
        Assert.Equal(1, data.TextDrops[MarketPulse.Core.Text.TextDropReasons.Retweet]);
        Assert.Equal(1, data.TextDrops[MarketPulse.Core.Text.TextDropReasons.NearDuplicate]);
        Assert.Equal(2, data.TweetCount);
        Assert.Equal(3, data.TickerTexts);
        // The tweet filed under both tickers is one post, counted for each.
        Assert.Equal(2, data.Texts("AAPL").Count);
        Assert.Single(data.Texts("MSFT"));
        Assert.Equal(data.Texts("MSFT")[0].TimeUtc, data.Texts("AAPL")[1].TimeUtc);
    }
}
