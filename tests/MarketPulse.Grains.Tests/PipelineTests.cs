using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Ensemble;
using MarketPulse.Core.Market;
using MarketPulse.Ingestion.Validation;
using MarketPulse.Ml.Price;

namespace MarketPulse.Grains.Tests;

/// <summary>Source grain → stream → ticker → ensemble, and text source → stream → sentiment, on a real cluster.</summary>
[Collection(ClusterCollection.Name)]
public class PipelineTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    /// <summary>30 weekdays from 2015-03-02 with closes 100, 101, …, 129 (a straight line: EMAs have closed forms).</summary>
    private static List<DailyBar> LinearBars(string symbol)
    {
        var bars = new List<DailyBar>();
        var day = new DateOnly(2015, 3, 2);
        for (var i = 0; i < 30; i++)
        {
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
            var close = 100m + i;
            bars.Add(new DailyBar(symbol, day, close - 0.5m, close + 1, close - 1, close, 1_000_000));
            day = day.AddDays(1);
        }
        return bars;
    }

    [Fact]
    public async Task Daily_bars_produce_hand_checkable_indicators_and_a_price_prediction()
    {
        const string symbol = "LINE";
        var result = await _grains.GetGrain<IMarketSourceGrain>("test-bars").IngestBarsAsync(LinearBars(symbol));
        Assert.Equal(30, result.Accepted);
        Assert.Empty(result.Rejected);

        var ticker = _grains.GetGrain<ITickerGrain>(symbol);
        var snap = await Eventually.Value(ticker.GetSnapshotAsync, s => s.BarsApplied == 30, "30 bars");
        var ind = snap.Indicators;
        Assert.Equal(129, snap.LastPrice);
        Assert.Equal(119.5, ind.Sma20!.Value, 9);          // mean of 110..129
        Assert.Equal(129 - 5.5, ind.Ema12!.Value, 9);      // a linear series' EMA lags by (n−1)/2 steps, SMA seed included
        Assert.Equal(129 - 12.5, ind.Ema26!.Value, 9);
        Assert.Equal(100, ind.Rsi14!.Value, 9);            // no down day
        Assert.Equal(Math.Log(129.0 / 128), ind.Return1d!.Value, 12);
        Assert.Equal(Math.Log(129.0 / 124), ind.Return5d!.Value, 12);
        var returns = Enumerable.Range(109, 20).Select(c => Math.Log((c + 1.0) / c)).ToArray();
        var mean = returns.Average();
        var vol = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / 19);
        Assert.Equal(vol, ind.Volatility20d!.Value, 12);

        // The price signal is the shipped model, and live it computes exactly what the offline path computes from the same
        // bars: same features, same ONNX session maths (no texts here; the market context is this ticker alone).
        using var model = PriceModel.Load(Path.Combine(RepoPaths.Models, PriceModel.DefaultFileName));
        var dayBars = LinearBars(symbol).Select(b => new DayBar(b.Date, (double)b.Open, (double)b.High, (double)b.Low, (double)b.Close, (double)b.Volume)).ToList();
        MarketDay? Own(DateOnly day)
        {
            var i = dayBars.FindIndex(b => b.Date == day);
            if (i < 1) return null;
            var r1 = Math.Log(dayBars[i].Close / dayBars[i - 1].Close);
            return new MarketDay(r1, i >= 5 ? Math.Log(dayBars[i].Close / dayBars[i - 5].Close) : 0, r1);
        }
        var expected = model.Predict(new PriceInputs(new DateOnly(2015, 4, 13), dayBars, [], Own, model.Card.SectorOf(symbol)))!;
        var ensemble = _grains.GetGrain<IEnsembleGrain>(symbol);
        var es = await Eventually.Value(ensemble.GetSnapshotAsync, s => s.ClosesSeen == 30, "30 closes");
        // Friday's close settles Friday's call; Monday's waits for its prediction time, 00:00 UTC on Monday by the feed's
        // clock. Until then the latest call shown is Friday's, with its outcome.
        var friday = Assert.Single(es.LatestBySignal, r => r.Prediction.Signal == "price");
        Assert.Equal(new DateOnly(2015, 4, 9), friday.Prediction.BasisDay);
        Assert.Equal(new DateOnly(2015, 4, 10), friday.TargetDay);
        Assert.Equal(new DateTime(2015, 4, 10, 0, 0, 0, DateTimeKind.Utc), friday.Prediction.MadeAt);
        // The feed's next event after that time (a Monday pre-market trade) issues Monday's call first, from the bars before it.
        var monday = new DateTime(2015, 4, 13, 12, 0, 0, DateTimeKind.Utc);
        Assert.Empty((await _grains.GetGrain<IMarketSourceGrain>("test-bars").IngestTicksAsync([new MarketTick(symbol, monday, 129.5m, 10)])).Rejected);
        es = await Eventually.Value(ensemble.GetSnapshotAsync, s => s.Latest?.Prediction.BasisDay == new DateOnly(2015, 4, 10), "Monday's call");
        var price = Assert.Single(es.LatestBySignal, r => r.Prediction.Signal == "price").Prediction;
        Assert.Equal(new DateTime(2015, 4, 13, 0, 0, 0, DateTimeKind.Utc), price.MadeAt);
        Assert.Equal(expected.ProbabilityUp, price.ProbabilityUp, 12);
        Assert.Equal(expected.Direction, price.Direction);
        Assert.Equal("model", price.Kind);
        Assert.Equal(model.Version, price.ModelVersion);
        Assert.Equal(new DateOnly(2015, 4, 10), price.BasisDay);
        Assert.Equal("1d", price.Horizon);
        Assert.Equal(5, price.TopFeatures!.Count);

        var stats = es.Signals.ToDictionary(s => s.Signal);
        Assert.Equal(29, stats["price"].Scored);             // the model speaks from the first close, scored at 2..30
        Assert.Equal(28, stats["persistence"].Scored);       // needs a previous close: issued from close 2
        Assert.Equal(29, stats["ensemble"].Scored);
        Assert.Equal(29, stats["ensemble_hedge"].Scored);
        Assert.Equal(0, stats["sentiment"].Scored);          // no texts: it abstained
        // Hedge (the per-ticker baseline): of the two signals that always spoke, the one with the lower Brier loss holds
        // the larger weight, and its mix is the weighted mean (contributions sum to p − 0.5).
        var hedge = Assert.Single(es.LatestBySignal, r => r.Prediction.Signal == "ensemble_hedge");
        var hedgeWeights = hedge.Explanation!.ToDictionary(c => c.Signal, c => c.Weight);
        var (better, worse) = stats["price"].Brier < stats["persistence"].Brier ? ("price", "persistence") : ("persistence", "price");
        Assert.True(hedgeWeights[better] > hedgeWeights[worse], $"{better} (lower Brier) should outweigh {worse}");
        Assert.Equal(hedge.Prediction.ProbabilityUp - 0.5, hedge.Explanation!.Sum(c => c.Contribution), 12);
        // The experts' weights are their shares of the market-wide stacking coefficients.
        Assert.Equal(1.0, es.Signals.Where(s => s.Signal is "price" or "sentiment" or "persistence").Sum(s => s.Weight), 9);
        Assert.All(es.Signals.Where(s => s.Signal is "price" or "sentiment" or "persistence"), s => Assert.NotNull(s.Coefficient));

        // The ensemble is the stacking model: σ(logit(base rate) + Σ coefficient·logit(p)) over the signals that spoke, explained per signal.
        var latest = es.Latest!;
        Assert.Equal("ensemble", latest.Prediction.Signal);
        Assert.Contains(latest.Explanation!, c => c.Signal == "price");
        Assert.Equal(1.0, latest.Explanation!.Sum(c => c.Weight), 9);
        var z = LogisticStacking.Logit(SignalMix.AlwaysRise) + latest.Explanation!.Sum(c => c.Coefficient!.Value * LogisticStacking.Feature(c.ProbabilityUp));
        Assert.Equal(LogisticStacking.Sigmoid(z), latest.Prediction.ProbabilityUp, 12);
        Assert.Equal(price.TopFeatures, latest.Prediction.TopFeatures);   // the ensemble's explanation carries the model's features

        var history = await ensemble.GetPredictionsAsync(null, null, "price");
        Assert.Equal(30, history.Count);
        Assert.All(history.SkipLast(1), h => Assert.Equal(h.Prediction.ProbabilityUp >= 0.5, h.Hit)); // every close rose
        Assert.Null(history[^1].Hit);                         // the last one waits for tomorrow
        Assert.Contains(symbol, await _grains.GetGrain<IMarketDirectoryGrain>(0).GetSymbolsAsync());
    }

    [Fact]
    public async Task A_bad_tick_in_a_batch_is_reported_and_the_good_ones_are_all_applied()
    {
        const string symbol = "TICKS";
        var t0 = new DateTime(2015, 7, 1, 14, 30, 0, DateTimeKind.Utc);
        var ticks = new List<MarketTick>
        {
            new(symbol, t0, 10.00m, 100),
            new(symbol, t0.AddSeconds(10), 10.50m, 50),
            new(symbol, t0.AddSeconds(20), -1m, 10),          // bad price
            new(symbol, t0.AddSeconds(5), 10.20m, 10),        // older than the last accepted
            new(symbol, t0.AddSeconds(70), 10.10m, 25),
        };
        var result = await _grains.GetGrain<IMarketSourceGrain>("test-ticks").IngestTicksAsync(ticks);
        Assert.Equal(3, result.Accepted);
        Assert.Equal([new Rejection(2, RejectReasons.Price), new Rejection(3, RejectReasons.OutOfOrder)], result.Rejected);

        var ticker = _grains.GetGrain<ITickerGrain>(symbol);
        var snap = await Eventually.Value(ticker.GetSnapshotAsync, s => s.TicksApplied == 3, "3 ticks");
        Assert.Equal(10.10, snap.LastPrice);
        var minutes = await ticker.GetBarsAsync("1m", null, null);
        Assert.Equal(2, minutes.Count);
        Assert.Equal((10.0, 10.5, 10.0, 10.5, 150.0), (minutes[0].Open, minutes[0].High, minutes[0].Low, minutes[0].Close, minutes[0].Volume));
        Assert.Equal(10.10, minutes[1].Close);

        var stats = await _grains.GetGrain<IMarketSourceGrain>("test-ticks").GetStatsAsync();
        Assert.Equal(5, stats.Received);
        Assert.Equal(3, stats.Accepted);
        Assert.Equal(1, stats.RejectedByReason[RejectReasons.Price]);
        Assert.Equal(1, stats.RejectedByReason[RejectReasons.OutOfOrder]);
    }

    [Fact]
    public async Task Sentiment_is_scored_per_post_and_the_signal_never_looks_ahead()
    {
        const string symbol = "TEXT";
        var close = ExchangeCalendar.UsEquities.CloseUtc(new DateOnly(2015, 3, 3));
        var posts = new List<TextPost>
        {
            new("test", "a", close.AddHours(-5), "great quarter, strong growth and a fantastic outlook", [symbol]),
            new("test", "b", close.AddHours(-3), "good results, love it", [symbol]),
            new("test", "c", close.AddHours(2), "terrible disaster, awful losses, horrible fraud", [symbol]),
            new("test", "a", close.AddHours(-5), "duplicate id", [symbol]),
        };
        var result = await _grains.GetGrain<ITextSourceGrain>("test").IngestAsync(posts);
        Assert.Equal(3, result.Accepted);
        Assert.Equal(3, Assert.Single(result.Rejected).Index);

        var sentiment = _grains.GetGrain<ISentimentGrain>(symbol);
        var snap = await Eventually.Value(sentiment.GetSnapshotAsync, s => s.PostsScored == 3, "3 scored posts");
        Assert.Equal(3, snap.PostsInWindow);

        var atClose = await sentiment.GetSignalAsync(close);
        Assert.Equal(2, atClose.Posts);
        Assert.True(atClose.Score > 0.3, $"only the two positive posts count at the close, got {atClose.Score}");
        Assert.True(atClose.ProbabilityUp > 0.5);
        var later = await sentiment.GetSignalAsync(close.AddHours(3));
        Assert.True(later.Score < atClose.Score, "the later negative post counts only after it was written");

        var recent = await sentiment.GetPostsAsync(2);
        Assert.Equal(["c", "b"], recent.Select(p => p.Id));
        Assert.Equal("negative", recent[0].Label);
    }
}
