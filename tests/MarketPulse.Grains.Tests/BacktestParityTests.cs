using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Market;
using MarketPulse.Core.Sentiment;
using MarketPulse.Ingestion.StockNet;
using MarketPulse.Ml.Evaluation;
using MarketPulse.Ml.Price;

namespace MarketPulse.Grains.Tests;

/// <summary>
/// The StockNet backtest and the live grains are the same code path: the same bars and tweets, replayed into the cluster
/// day by day, give the same price-model and ensemble probabilities as <see cref="StockNetEvaluation"/> computes offline.
/// </summary>
[Collection(ClusterCollection.Name)]
public class BacktestParityTests(ClusterFixture fixture)
{
    private const string Symbol = "AAPL";
    // No exchange holiday between these days: live takes the next weekday as the target, the backtest the next bar.
    private static readonly DateOnly First = new(2015, 5, 26);
    private static readonly DateOnly Last = new(2015, 7, 2);

    /// <summary>One ticker's bars in [First, Last] and its tweets (exact duplicate lines dropped, as the live source drops repeats).</summary>
    private static string Slice()
    {
        var sample = Path.Combine(RepoPaths.Find("data"), "sample", "stocknet");
        var dir = Directory.CreateTempSubdirectory("mp-parity").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "price", "raw"));
        var lines = File.ReadAllLines(Path.Combine(sample, "price", "raw", Symbol + ".csv"));
        File.WriteAllLines(Path.Combine(dir, "price", "raw", Symbol + ".csv"),
            lines.Take(1).Concat(lines.Skip(1).Where(l => string.CompareOrdinal(l[..10], $"{First:yyyy-MM-dd}") >= 0 && string.CompareOrdinal(l[..10], $"{Last:yyyy-MM-dd}") <= 0)));
        var tweets = Path.Combine(dir, "tweet", "preprocessed", Symbol);
        Directory.CreateDirectory(tweets);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(sample, "tweet", "preprocessed", Symbol)).Order(StringComparer.Ordinal))
        {
            var day = DateOnly.ParseExact(Path.GetFileName(file), "yyyy-MM-dd");
            // Tweets from five days before the first bar: the sentiment grain keeps ~6 days, so at the first close it
            // still holds all of them, as the backtest does (the live model keeps what it saw at later closes itself).
            if (day < First.AddDays(-5) || day > Last) continue;
            File.WriteAllLines(Path.Combine(tweets, Path.GetFileName(file)), File.ReadAllLines(file).Where(seen.Add));
        }
        return dir;
    }

    // Known divergence since the text pipeline and the transformer went live: the text source now drops retweets and
    // near-duplicates, and the sentiment grain refines scores with the transformer, while the StockNet backtest (and the
    // price model's training data) still read every tweet with the lexicon. Until the backtest runs the same TextPipeline
    // and the model is retrained on it, live and backtest differ by design; the skip keeps that visible in every run.
    [Fact(Skip = "live text pipeline (retweet/near-duplicate drops, transformer refinement) not yet applied in the StockNet backtest")]
    public async Task Replaying_a_ticker_through_the_grains_reproduces_the_backtest_probabilities()
    {
        var dir = Slice();
        var models = RepoPaths.Find("models");
        using var model = PriceModel.Load(Path.Combine(models, PriceModel.DefaultFileName));
        var lexicon = LexiconSentimentScorer.LoadShipped(models);

        var offline = new List<BacktestCall>();
        var data = StockNetData.Load(dir, lexicon, model.Card.SectorOf);
        StockNetEvaluation.Run(data, model, null, First, Last.AddDays(1), TextWriter.Null, onCall: offline.Add);
        Assert.True(offline.Count >= 20, $"{offline.Count} backtest days");

        var reader = new StockNetReader(dir);
        var bars = reader.ReadPrices(Symbol).ToList();
        var posts = reader.ReadTweets(Symbol).OrderBy(p => p.Time).ToList();
        var market = fixture.Grains.GetGrain<IMarketSourceGrain>("test-parity");
        var texts = fixture.Grains.GetGrain<ITextSourceGrain>("test-parity");
        var sentiment = fixture.Grains.GetGrain<ISentimentGrain>(Symbol);
        var ensemble = fixture.Grains.GetGrain<IEnsembleGrain>(Symbol);
        var sent = 0;
        for (var i = 0; i < bars.Count; i++)
        {
            // Texts first (everything posted before this close), then the day's bar, as a replay interleaves them.
            var close = ExchangeCalendar.UsEquities.CloseUtc(bars[i].Date);
            var batch = posts.Skip(sent).TakeWhile(p => p.Time < close).ToList();
            if (batch.Count > 0)
            {
                var r = await texts.IngestAsync(batch);
                Assert.Empty(r.Rejected);
                sent += batch.Count;
                await Until(async () => (await sentiment.GetSnapshotAsync()).PostsScored >= sent);
            }
            Assert.Empty((await market.IngestBarsAsync([bars[i]])).Rejected);
            var closes = i + 1;
            await Until(async () => (await ensemble.GetSnapshotAsync()).ClosesSeen >= closes);
        }

        var live = (await ensemble.GetPredictionsAsync(null, null, null)).ToList();
        var compared = 0;
        foreach (var call in offline)
        {
            var price = Assert.Single(live, r => r.Prediction.Signal == "price" && r.Prediction.BasisDay == call.Basis).Prediction;
            var mix = Assert.Single(live, r => r.Prediction.Signal == "ensemble" && r.Prediction.BasisDay == call.Basis).Prediction;
            Assert.Equal(call.Price, price.ProbabilityUp, 9);
            Assert.Equal(call.Ensemble, mix.ProbabilityUp, 9);
            var s = live.SingleOrDefault(r => r.Prediction.Signal == "sentiment" && r.Prediction.BasisDay == call.Basis);
            if (double.IsNaN(call.Sentiment)) Assert.Null(s);
            else Assert.Equal(call.Sentiment, s!.Prediction.ProbabilityUp, 9);
            compared++;
        }
        Assert.Equal(offline.Count, compared);
    }

    private static async Task Until(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the cluster did not catch up");
            await Task.Delay(20);
        }
    }
}
