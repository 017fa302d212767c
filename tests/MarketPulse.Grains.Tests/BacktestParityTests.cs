using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Market;
using MarketPulse.Core.Sentiment;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Ingestion.Replay;
using MarketPulse.Ingestion.StockNet;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Sentiment;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Grains.Tests;

/// <summary>
/// The StockNet backtest and the live grains are the same code path: the same bars and tweets, replayed into the cluster
/// in the replay's own timeline day by day, give the same text-pipeline drops and the same price-model, sentiment, Hedge
/// and stacked-ensemble probabilities as <see cref="StockNetEvaluation"/> computes offline (which starts its market-wide
/// stacker from the live pool's state, so both learn from the same outcomes). Both issue each call at the target day's
/// prediction time (00:00 UTC), so posts after the basis close and before that time count in both.
/// </summary>
[Collection(ClusterCollection.Name)]
public class BacktestParityTests(ClusterFixture fixture)
{
    private const string Symbol = "AAPL";
    // Spans the Independence Day holiday (Friday 2015-07-03): the live target day must skip it as the backtest does.
    private static readonly DateOnly First = new(2015, 6, 15);
    private static readonly DateOnly Last = new(2015, 7, 31);

    /// <summary>The basis day of the after-hours posts: Tuesday 2015-07-07, closing 20:00 UTC; its call (for 07-08) is issued at 00:00 UTC.</summary>
    private static readonly DateOnly AfterHoursBasis = new(2015, 7, 7);

    /// <summary>
    /// Negative posts between the basis close and the prediction time (21:00–23:59 UTC), each by its own author and with its
    /// own words (so the text pipeline keeps them all), filed under their UTC date as StockNet files tweets: the protocol's
    /// window reads them, a window cut at the close would not.
    /// </summary>
    private static readonly string[] AfterHoursPosts = MakeAfterHoursPosts();

    private static string[] MakeAfterHoursPosts()
    {
        string[] openers = ["terrible", "awful", "horrible", "disappointing", "ugly", "weak"];
        string[] subjects = ["earnings", "guidance", "margins", "iphone sales", "outlook"];
        var posts = new List<string>();
        for (var i = 0; i < openers.Length * subjects.Length; i++)
        {
            var (o, subject) = (openers[i % openers.Length], subjects[i / openers.Length % subjects.Length]);
            var words = new[] { "$", "aapl" }.Concat($"{o} {subject} after the bell , selling my shares".Split(' '));
            var time = new DateTime(2015, 7, 7, 21, 0, 0).AddMinutes(5 * i);
            var text = string.Join(", ", words.Select(w => "\"" + w + "\""));
            posts.Add("{\"text\": [" + text + "], \"created_at\": \"" + time.ToString("ddd MMM dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
                      + " +0000 2015\", \"user_id_str\": \"" + (900000000 + i) + "\"}");
        }
        return [.. posts];
    }

    /// <summary>One ticker's bars in [First, Last] and its tweets from five days before (every line, duplicates included).</summary>
    private static string Slice(bool afterHoursPosts = true)
    {
        var sample = Path.Combine(RepoPaths.Path("data"), "sample", "stocknet");
        var dir = Directory.CreateTempSubdirectory("mp-parity").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "price", "raw"));
        var lines = File.ReadAllLines(Path.Combine(sample, "price", "raw", Symbol + ".csv"));
        File.WriteAllLines(Path.Combine(dir, "price", "raw", Symbol + ".csv"),
            lines.Take(1).Concat(lines.Skip(1).Where(l => string.CompareOrdinal(l[..10], $"{First:yyyy-MM-dd}") >= 0 && string.CompareOrdinal(l[..10], $"{Last:yyyy-MM-dd}") <= 0)));
        var tweets = Path.Combine(dir, "tweet", "preprocessed", Symbol);
        Directory.CreateDirectory(tweets);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(sample, "tweet", "preprocessed", Symbol)).Order(StringComparer.Ordinal))
        {
            var day = DateOnly.ParseExact(Path.GetFileName(file), "yyyy-MM-dd");
            // Tweets from five days before the first bar: the sentiment grain keeps ~6 days, so at the first close it
            // still holds all of them, as the backtest does (the live model keeps what it saw at later closes itself).
            if (day < First.AddDays(-5) || day > Last) continue;
            var tweetLines = File.ReadAllLines(file).AsEnumerable();
            if (afterHoursPosts && day == AfterHoursBasis) tweetLines = tweetLines.Concat(AfterHoursPosts);
            File.WriteAllLines(Path.Combine(tweets, Path.GetFileName(file)), tweetLines);
        }
        return dir;
    }

    [Fact]
    public async Task Replaying_a_ticker_through_the_grains_reproduces_the_backtest_probabilities()
    {
        var dir = Slice();
        var models = RepoPaths.Models;
        using var model = PriceModel.Load(Path.Combine(models, PriceModel.DefaultFileName));
        var lexicon = LexiconSentimentScorer.LoadShipped(models);
        using var transformer = TransformerSentimentScorer.LoadShipped(models);
        var pool = fixture.Grains.GetGrain<IEnsemblePoolGrain>("market");
        var poolBefore = await pool.GetStateAsync();

        // Offline: the backtest, its sentiment signal scored by the production transformer as the live grain refines it.
        var offline = new List<BacktestCall>();
        var data = StockNetData.Load(dir, lexicon, model.Card.SectorOf, signalScorer: transformer);
        StockNetEvaluation.Run(data, model, null, First, Last.AddDays(1), TextWriter.Null, onCall: offline.Add,
            stacking: EnsemblePoolGrain.ToCore(poolBefore));
        Assert.True(offline.Count >= 25, $"{offline.Count} backtest days");
        Assert.True(data.TextDrops.Values.Sum() > 0, "the slice must contain tweets the text pipeline drops, or the check proves nothing");

        // The after-hours posts (after the basis close, before 00:00 UTC of the target) move the backtest's call for the
        // next day: without them the price and sentiment probabilities differ, so the live comparison below covers them.
        var without = new List<BacktestCall>();
        var dataWithout = StockNetData.Load(Slice(afterHoursPosts: false), lexicon, model.Card.SectorOf, signalScorer: transformer);
        StockNetEvaluation.Run(dataWithout, model, null, First, Last.AddDays(1), TextWriter.Null, onCall: without.Add,
            stacking: EnsemblePoolGrain.ToCore(poolBefore));
        Assert.Equal(dataWithout.TweetCount + AfterHoursPosts.Length, data.TweetCount);
        var target = AfterHoursBasis.AddDays(1);
        float[] fWith = new float[PriceFeatures.Count], fWithout = new float[PriceFeatures.Count];
        PriceFeatures.TryCompute(data.Inputs(Symbol, target), fWith);
        PriceFeatures.TryCompute(dataWithout.Inputs(Symbol, target), fWithout);
        Assert.True(fWith[25] > fWithout[25], "the last-24-h count includes the after-hours posts");
        var withPosts = Assert.Single(offline, c => c.Basis == AfterHoursBasis);
        var withoutPosts = Assert.Single(without, c => c.Basis == AfterHoursBasis);
        Assert.True(withPosts.Sentiment < withoutPosts.Sentiment, $"the after-hours posts must reach the sentiment signal ({withPosts.Sentiment} vs {withoutPosts.Sentiment})");
        Assert.True(withPosts.EnsembleHedge < withoutPosts.EnsembleHedge, "and through it the Hedge mix");
        // The price model reads them too (its text features above differ); whether its probability moves depends on the
        // shipped trees' split points — the GBM reacts to text counts only in steps (docs/models/price.md, "v3"), so
        // that is not asserted here. Its probability is compared with the backtest's for every call below either way.
        Assert.Equal(without.Where(c => c.Basis < AfterHoursBasis).Select(c => c.Price), offline.Where(c => c.Basis < AfterHoursBasis).Select(c => c.Price));

        // Live: the replay's own timeline of the slice, texts before each close, then the bar.
        var reader = new StockNetReader(dir);
        var timeline = ReplayTimeline.LoadStockNet(reader);
        var posts = timeline.Where(e => e.Post is not null).Select(e => e.Post!).ToList();
        var bars = timeline.Where(e => e.Bar is not null).Select(e => e.Bar!).ToList();
        var market = fixture.Grains.GetGrain<IMarketSourceGrain>("test-parity");
        var texts = fixture.Grains.GetGrain<ITextSourceGrain>("test-parity");
        var sentiment = fixture.Grains.GetGrain<ISentimentGrain>(Symbol);
        var ensemble = fixture.Grains.GetGrain<IEnsembleGrain>(Symbol);
        var sent = 0;
        var accepted = 0;
        var drops = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < bars.Count; i++)
        {
            var close = ExchangeCalendar.UsEquities.CloseUtc(bars[i].Date);
            var batch = posts.Skip(sent).TakeWhile(p => p.Time < close).ToList();
            if (batch.Count > 0)
            {
                var r = await texts.IngestAsync(batch);
                foreach (var rejection in r.Rejected) drops[rejection.Reason] = drops.GetValueOrDefault(rejection.Reason) + 1;
                sent += batch.Count;
                accepted += r.Accepted;
                // Scored, and refined by the transformer, before the close reads the sentiment.
                await Until(async () => await sentiment.GetSnapshotAsync() is var s && s.PostsScored >= accepted
                                        && s.PostsRefined + s.PostsLexiconOnly >= s.PostsScored);
            }
            Assert.Empty((await market.IngestBarsAsync([bars[i]])).Rejected);
            var closes = i + 1;
            await Until(async () => (await ensemble.GetSnapshotAsync()).ClosesSeen >= closes);
        }
        Assert.Equal(data.TweetCount, accepted);
        Assert.Equal(data.TextDrops.OrderBy(kv => kv.Key), drops.OrderBy(kv => kv.Key));

        var live = (await ensemble.GetPredictionsAsync(null, null, null)).ToList();
        var compared = 0;
        foreach (var call in offline)
        {
            SignalPrediction Live(string signal) => Assert.Single(live, r => r.Prediction.Signal == signal && r.Prediction.BasisDay == call.Basis).Prediction;
            // The price model sees identical inputs: bit-level agreement up to float formatting.
            Assert.True(Math.Abs(call.Price - Live("price").ProbabilityUp) < 5e-10,
                $"price call for {call.Target} (basis {call.Basis}): backtest {call.Price}, live {Live("price").ProbabilityUp}");
            // Issued at the prediction time of the target day (00:00 UTC), live as in the backtest.
            Assert.Equal(PriceFeatures.PredictionTimeUtc(call.Target), Live("price").MadeAt);
            Assert.Equal(PriceFeatures.PredictionTimeUtc(call.Target), Live("ensemble").MadeAt);
            // The sentiment signal's transformer scores come from batches of another size live (padding changes the
            // float sums in the last bits), hence 1e-6 — far below any real divergence (one post more or less moves it ≥ 1e-3).
            var s = live.SingleOrDefault(r => r.Prediction.Signal == "sentiment" && r.Prediction.BasisDay == call.Basis);
            if (double.IsNaN(call.Sentiment)) Assert.Null(s);
            else
            {
                Assert.Equal(call.Sentiment, s!.Prediction.ProbabilityUp, 6);
                // Labelled with what scored it: the production transformer, as the backtest's sentiment scorer is.
                Assert.Equal("model", s.Prediction.Kind);
                Assert.StartsWith("minilm-", s.Prediction.ModelVersion);
            }
            Assert.Equal(call.EnsembleHedge, Live("ensemble_hedge").ProbabilityUp, 6);
            Assert.Equal(call.Ensemble, Live("ensemble").ProbabilityUp, 6);
            compared++;
        }
        Assert.Equal(offline.Count, compared);
        // The pool learnt from this ticker's outcomes exactly as the backtest's stacker did.
        var poolAfter = await pool.GetCurrentAsync();
        Assert.True(poolAfter.Outcomes > poolBefore.Used.Count, "the pool must have learnt from the replayed outcomes");
    }

    private static Task Until(Func<Task<bool>> done) =>
        Eventually.True(done, "the cluster to catch up", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
}
