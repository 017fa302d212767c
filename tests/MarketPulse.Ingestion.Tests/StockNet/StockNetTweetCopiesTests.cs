using MarketPulse.Ingestion.Replay;
using MarketPulse.Ingestion.StockNet;

namespace MarketPulse.Ingestion.Tests.StockNet;

/// <summary>StockNet files a tweet naming several tickers under each of them; a replay must treat it as one post for all.</summary>
public sealed class StockNetTweetCopiesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mp-stocknet-copies-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string symbol, params string[] lines)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "price", "raw"));
        File.WriteAllLines(Path.Combine(_dir, "price", "raw", symbol + ".csv"),
            ["Date,Open,High,Low,Close,Adj Close,Volume", "2015-06-01,10,11,9,10.5,10.5,1000"]);
        var tweets = Path.Combine(_dir, "tweet", "preprocessed", symbol);
        Directory.CreateDirectory(tweets);
        File.WriteAllLines(Path.Combine(tweets, "2015-06-01"), lines);
    }

    private static string Tweet(string text, string time, string user) =>
        $$"""{"text": [{{string.Join(", ", text.Split(' ').Select(t => $"\"{t}\""))}}], "created_at": "Mon Jun 01 {{time}} +0000 2015", "user_id_str": "{{user}}"}""";

    [Fact]
    public void A_tweet_filed_under_two_tickers_is_one_post_for_both_and_distinct_tweets_stay_apart()
    {
        var shared = Tweet("$aapl and $msft both up today", "14:00:00", "7");
        Write("AAPL", Tweet("$aapl earnings beat", "13:00:00", "1"), shared);
        Write("MSFT", shared, Tweet("$msft cloud deal", "15:00:00", "2"));

        var posts = ReplayTimeline.LoadStockNet(new StockNetReader(_dir)).Where(e => e.Post is not null).Select(e => e.Post!).ToList();

        Assert.Equal(3, posts.Count);
        var both = Assert.Single(posts, p => p.Text.Contains("both", StringComparison.Ordinal));
        Assert.Equal(["AAPL", "MSFT"], both.Symbols);
        Assert.Equal(["AAPL"], Assert.Single(posts, p => p.Text.Contains("earnings", StringComparison.Ordinal)).Symbols);
        Assert.Equal(["MSFT"], Assert.Single(posts, p => p.Text.Contains("cloud", StringComparison.Ordinal)).Symbols);
        Assert.True(posts.Zip(posts.Skip(1)).All(x => x.First.Time <= x.Second.Time), "time order");
    }
}
