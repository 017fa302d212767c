using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Ingestion.Lean;
using MarketPulse.Ingestion.Replay;
using MarketPulse.Ingestion.Validation;

namespace MarketPulse.Grains.Tests;

/// <summary>
/// A LEAN SPY tick day replayed through the real cluster (replay grain → source grain → stream → ticker), read back
/// as 1-minute bars, the regular-session daily bar and its indicators, and checked against a plain batch computation
/// over the same file.
/// </summary>
[Collection(ClusterCollection.Name)]
public class MarketReplayTests(ClusterFixture fixture)
{
    private static readonly DateOnly Day = new(2013, 10, 7);
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly IGrainFactory _grains = fixture.Grains;

    [SharedDataFact("lean")]
    public async Task A_SPY_tick_day_replays_into_minute_bars_a_daily_bar_and_indicators_that_match_a_batch_computation()
    {
        var usa = SharedData.Path("lean", "Data", "equity", "usa");

        // The replay sends the 60 end-of-day bars before the tick day first (raw prices, as the ticks are).
        List<DailyBar> history;
        using (var reader = LeanDailyBarReader.Open(Path.Combine(usa, "daily", "spy.zip"), _ => { }))
            history = reader.ReadAll().Where(b => b.Date < Day).TakeLast(60).ToList();

        // The batch reference: the same file through the reader and the service's validation, aggregated by plain LINQ.
        var validator = new MarketValidator();
        var accepted = new List<MarketTick>();
        foreach (var e in LeanTickTimeline.Read(Path.Combine(usa, "tick"), ["SPY"], _ => { }, Day, Day.AddDays(1), dailyWarmUpBars: 0))
            if (validator.Check(e.Tick!, out var t) is null) accepted.Add(t);
        var expectedMinutes = accepted.GroupBy(t => new DateTime(t.Time.Ticks - t.Time.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc))
            .Select(g => (Start: g.Key, Open: (double)g.First().Price, High: (double)g.Max(t => t.Price), Low: (double)g.Min(t => t.Price),
                Close: (double)g.Last().Price, Volume: (double)g.Sum(t => t.Size), Trades: g.Count()))
            .ToList();
        var regular = accepted.Where(t => TimeZoneInfo.ConvertTimeFromUtc(t.Time, NewYork).TimeOfDay is var tod
            && tod >= new TimeSpan(9, 30, 0) && tod < new TimeSpan(16, 0, 0)).ToList();

        var replay = _grains.GetGrain<IReplayGrain>("lean-spy-test");
        var started = await replay.StartAsync(new ReplayRequest(SharedData.Path("lean"), double.PositiveInfinity, TimeSpan.Zero, ["SPY"], false, Day, Day.AddDays(1)));
        Assert.Equal("LeanTicks", started.Format);
        var status = await Eventually.Value(replay.GetStatusAsync, s => s.State == "finished", "the replay to finish", TimeSpan.FromSeconds(60));
        Assert.Equal(60 + accepted.Count + 7, status.EventsPublished);   // history bars, ticks, and 7 spikes the source grain rejects
        Assert.Equal(status.EventsPublished, status.EventsTotal);
        var source = await _grains.GetGrain<IMarketSourceGrain>("replay:lean-spy-test").GetStatsAsync();
        Assert.Equal(60 + accepted.Count, source.Accepted);
        Assert.Equal(7, source.RejectedByReason[RejectReasons.Spike]);

        var ticker = _grains.GetGrain<ITickerGrain>("SPY");
        var snap = await Eventually.Value(ticker.GetSnapshotAsync, s => s.TicksApplied == accepted.Count && s.LastClosedDay == Day, "all ticks applied and the day closed", TimeSpan.FromSeconds(60));

        // 1-minute bars: every trade of the day, extended hours included, exactly as the batch grouping has them.
        var minutes = (await ticker.GetBarsAsync("1m", null, null)).Where(b => b.TradingDay == Day).ToList();
        Assert.Equal(expectedMinutes.Count, minutes.Count);
        for (var i = 0; i < minutes.Count; i++)
        {
            var (m, x) = (minutes[i], expectedMinutes[i]);
            Assert.Equal((x.Start, x.Open, x.High, x.Low, x.Close, x.Volume, x.Trades), (m.Start, m.Open, m.High, m.Low, m.Close, m.Volume, m.Trades));
        }

        // The daily bar is the regular session only (09:30–16:00 New York), closed by the first post-market print.
        var daily = (await ticker.GetBarsAsync("1d", null, null)).Single(b => b.TradingDay == Day);
        Assert.Equal(((double)regular[0].Price, (double)regular.Max(t => t.Price), (double)regular.Min(t => t.Price), (double)regular[^1].Price,
            (double)regular.Sum(t => t.Size), regular.Count), (daily.Open, daily.High, daily.Low, daily.Close, daily.Volume, daily.Trades));

        // Daily indicators over the 60 history closes plus the tick-built day, by their textbook definitions.
        var closes = history.Select(b => (double)b.Close).Append(daily.Close).ToArray();
        var ind = snap.Indicators;
        Assert.Equal(61, ind.DailyBars);
        Assert.Equal(history.Select(b => b.Date), (await ticker.GetBarsAsync("1d", null, null)).Select(b => b.TradingDay).SkipLast(1));
        var last20 = closes[^20..];
        var mean = last20.Average();
        var sd = Math.Sqrt(last20.Sum(c => (c - mean) * (c - mean)) / 20);
        Assert.Equal(mean, ind.Sma20!.Value, 9);
        Assert.Equal(mean, ind.BollingerMiddle!.Value, 9);
        Assert.Equal(mean + 2 * sd, ind.BollingerUpper!.Value, 9);
        Assert.Equal((daily.Close - (mean - 2 * sd)) / (4 * sd), ind.BollingerPercentB!.Value, 9);
        Assert.Equal((daily.Close - mean) / sd, ind.ZScore20!.Value, 9);
        Assert.Equal(Math.Log(daily.Close / closes[^2]), ind.Return1d!.Value, 12);
        Assert.NotNull(ind.MacdLine);
        Assert.Equal(ind.MacdLine!.Value - ind.MacdSignal!.Value, ind.MacdHistogram!.Value, 12);
        Assert.NotNull(ind.Atr14);
        Assert.InRange(ind.StochasticK!.Value, 0, 100);

        // Session VWAP of the regular session, from the trades.
        var vwap = regular.Sum(t => (double)t.Price * (double)t.Size) / regular.Sum(t => (double)t.Size);
        Assert.Equal(vwap, ind.SessionVwap!.Value, 9);
        Assert.Equal(Day, ind.SessionVwapDay);
        Assert.Equal("us-equities", snap.Calendar);
    }

    [Fact]
    public async Task The_session_close_timer_closes_the_day_without_another_trade()
    {
        const string symbol = "CLOSER";
        // A past trading day; the last prints come two seconds before the 16:00 close (New York, EDT = UTC−4).
        var close = new DateTime(2015, 7, 1, 20, 0, 0, DateTimeKind.Utc);
        var ticks = new List<MarketTick>
        {
            new(symbol, close.AddHours(-6), 20m, 100),
            new(symbol, close.AddMinutes(-30), 21m, 100),
            new(symbol, close.AddSeconds(-2), 20.5m, 100),
        };
        var result = await _grains.GetGrain<IMarketSourceGrain>("test-close").IngestTicksAsync(ticks);
        Assert.Equal(3, result.Accepted);
        var ticker = _grains.GetGrain<ITickerGrain>(symbol);
        var open = await Eventually.Value(ticker.GetSnapshotAsync, s => s.TicksApplied == 3, "3 ticks", TimeSpan.FromSeconds(10));
        Assert.Null(open.LastClosedDay);
        Assert.Equal("open", open.MarketSession);
        Assert.Equal(close, open.NextCloseUtc);

        // No further trade: the feed clock passes 16:00 and the timer closes the day.
        var closed = await Eventually.Value(ticker.GetSnapshotAsync, s => s.LastClosedDay == new DateOnly(2015, 7, 1), "the day closed by the timer", TimeSpan.FromSeconds(15));
        Assert.Equal("post", closed.MarketSession);
        var day = Assert.Single(await ticker.GetBarsAsync("1d", null, null));
        Assert.Equal((20.0, 21.0, 20.0, 20.5, 300.0), (day.Open, day.High, day.Low, day.Close, day.Volume));
        Assert.Equal(3, (await ticker.GetBarsAsync("1m", null, null)).Count);   // the last minute closed too
    }

    [Fact]
    public async Task The_prediction_time_timer_issues_the_next_days_call_without_another_event()
    {
        const string symbol = "ISSUER";
        // Wednesday 2015-07-01 closes at 20:00 UTC; Thursday's prediction time is 00:00 UTC. The last print is a
        // post-market one two seconds before it; then nothing: the feed clock passes 00:00 and the timer issues the call.
        var close = new DateTime(2015, 7, 1, 20, 0, 0, DateTimeKind.Utc);
        var predictionTime = new DateTime(2015, 7, 2, 0, 0, 0, DateTimeKind.Utc);
        var source = _grains.GetGrain<IMarketSourceGrain>("test-issue");
        Assert.Equal(2, (await source.IngestTicksAsync([new(symbol, close.AddHours(-6), 20m, 100), new(symbol, close.AddSeconds(-2), 21m, 100)])).Accepted);
        var ticker = _grains.GetGrain<ITickerGrain>(symbol);
        await Eventually.Value(ticker.GetSnapshotAsync, s => s.LastClosedDay == new DateOnly(2015, 7, 1), "the day closed by the timer", TimeSpan.FromSeconds(15));
        var ensemble = _grains.GetGrain<IEnsembleGrain>(symbol);
        Assert.Equal(1, (await ensemble.GetSnapshotAsync()).ClosesSeen);
        Assert.Null((await ensemble.GetSnapshotAsync()).Latest);   // closed, but Thursday's call is not due before 00:00 UTC

        Assert.Equal(1, (await source.IngestTicksAsync([new(symbol, predictionTime.AddSeconds(-2), 21.2m, 50)])).Accepted);
        var issued = await Eventually.Value(ensemble.GetSnapshotAsync, s => s.Latest is not null, "the call issued by the timer", TimeSpan.FromSeconds(15));
        Assert.Equal(new DateOnly(2015, 7, 1), issued.Latest!.Prediction.BasisDay);
        Assert.Equal(predictionTime, issued.Latest.Prediction.MadeAt);
        Assert.Null(issued.Latest.Outcome);
    }

    [Fact]
    public async Task A_crypto_pair_uses_the_24_7_calendar_with_UTC_days()
    {
        const string symbol = "ETH-USD";
        var t = new DateTime(2024, 12, 25, 23, 59, 0, DateTimeKind.Utc);   // a US holiday, late evening UTC
        var ticks = new List<MarketTick> { new(symbol, t, 3400m, 1), new(symbol, t.AddSeconds(30), 3410m, 2), new(symbol, t.AddMinutes(1), 3405m, 1) };
        Assert.Equal(3, (await _grains.GetGrain<IMarketSourceGrain>("test-crypto").IngestTicksAsync(ticks)).Accepted);
        var ticker = _grains.GetGrain<ITickerGrain>(symbol);
        var snap = await Eventually.Value(ticker.GetSnapshotAsync, s => s.TicksApplied == 3, "3 ticks", TimeSpan.FromSeconds(10));
        Assert.Equal("crypto", snap.Calendar);
        Assert.Equal("open", snap.MarketSession);
        Assert.Equal(new DateOnly(2024, 12, 25), snap.LastClosedDay);   // midnight UTC closed the 25th
        var day = Assert.Single(await ticker.GetBarsAsync("1d", null, null), b => b.TradingDay == new DateOnly(2024, 12, 25));
        Assert.Equal((3400.0, 3410.0, 3.0), (day.Open, day.Close, day.Volume));
    }
}
