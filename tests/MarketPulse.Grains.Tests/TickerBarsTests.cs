using MarketPulse.Core.Market;
using MarketPulse.Grains.Market;
using MarketPulse.Ml.Price;
using Microsoft.Extensions.Time.Testing;

namespace MarketPulse.Grains.Tests;

/// <summary>The ticker's plain parts, without a cluster: bars and calls, the feed's clock, the batch de-duplication.</summary>
public class TickerBarsTests
{
    // Regular hours 14:30–21:00 UTC in early March (New York on standard time).
    private static readonly DateOnly Mon = new(2024, 3, 4), Tue = new(2024, 3, 5);

    private static DateTime At(DateOnly day, int hour, int minute) => day.ToDateTime(new TimeOnly(hour, minute), DateTimeKind.Utc);

    private static TickerBars Bars(TickerState? state = null) => new(state ?? new TickerState(), ExchangeCalendar.ForSymbol("AAPL"));

    [Fact]
    public void A_trade_of_the_next_day_closes_the_day_and_its_next_day_call_waits_for_the_prediction_time()
    {
        var state = new TickerState();
        var bars = Bars(state);
        bars.AddTrade(At(Mon, 15, 0), 100, 10);
        bars.AddTrade(At(Mon, 16, 0), 104, 5);
        bars.AddTrade(At(Mon, 20, 59), 102, 5);
        Assert.False(bars.HasClosedDays);

        bars.AddTrade(At(Tue, 14, 31), 101, 1);
        Assert.True(bars.HasClosedDays);
        var day = Assert.Single(bars.TakeClosedDays());
        Assert.Equal((Mon, 100.0, 104.0, 100.0, 102.0, 20.0), (day.Date, day.Open, day.High, day.Low, day.Close, day.Volume));
        Assert.Null(bars.UnissuedCall);

        Assert.Null(bars.CommitDay(day));
        Assert.Equal(Mon, state.DailyBars.Single().TradingDay);
        Assert.Equal((Mon, Tue, PriceFeatures.PredictionTimeUtc(Tue)), bars.UnissuedCall);
        Assert.Equal(bars.UnissuedCall, bars.TakeUnissuedCall(closingDay: null));
        Assert.Null(bars.UnissuedCall);
        Assert.Null(state.UnissuedBasis);
    }

    [Fact]
    public void The_snapshot_measures_the_change_from_the_last_close_and_shows_the_session()
    {
        var bars = Bars();
        bars.AddTrade(At(Mon, 15, 0), 100, 10);
        bars.AddTrade(At(Tue, 15, 0), 110, 10);
        foreach (var d in bars.TakeClosedDays()) bars.CommitDay(d);

        var snapshot = bars.Snapshot("AAPL", At(Tue, 15, 1));
        Assert.Equal(100, snapshot.PreviousClose);
        Assert.Equal(10, snapshot.ChangePercent!.Value, 9);
        Assert.Equal("open", snapshot.MarketSession);
        Assert.Equal(110, snapshot.Indicators.SessionVwap);
        Assert.Equal("post", bars.Snapshot("AAPL", At(Tue, 22, 30)).MarketSession);
        Assert.Equal("pre", bars.Snapshot("AAPL", At(Tue, 13, 0)).MarketSession);
    }

    [Fact]
    public void The_live_call_reads_the_forming_day_and_the_rule_call_the_closed_days_only()
    {
        var bars = Bars();
        var day = Mon;
        var price = 100.0;
        for (var i = 0; i < 40; i++, day = ExchangeCalendar.ForSymbol("AAPL").NextTradingDay(day))
        {
            price *= i % 3 == 0 ? 0.99 : 1.012;
            bars.AddTrade(At(day, 15, 0), price, 100);
            foreach (var d in bars.TakeClosedDays()) bars.CommitDay(d);
        }
        // The last day is still forming: a jump in its price moves the live call, not the rule's call on the closed days.
        var rule = bars.RuleSignal(At(day, 0, 0), Mon)!;
        bars.AddTrade(At(day, 15, 30), price * 1.10, 100);
        bars.Save();
        Assert.Equal(rule.ProbabilityUp, bars.RuleSignal(At(day, 0, 0), Mon)!.ProbabilityUp, 15);
        Assert.True(bars.LiveSignal()!.ProbabilityUp > rule.ProbabilityUp);
    }

    [Fact]
    public void Restored_from_its_state_it_shows_the_same_indicators_and_the_same_session_vwap()
    {
        var state = new TickerState();
        var bars = Bars(state);
        var day = Mon;
        for (var i = 0; i < 30; i++, day = ExchangeCalendar.ForSymbol("AAPL").NextTradingDay(day))
        {
            bars.AddTrade(At(day, 15, 0), 100 + i, 100);
            bars.AddTrade(At(day, 15, 2), 101 + i, 300);
            foreach (var d in bars.TakeClosedDays()) bars.CommitDay(d);
        }
        bars.TakeClosedDays();
        bars.Save();
        var restored = Bars(state);
        Assert.Equal(bars.Values(), restored.Values());
        Assert.Equal(bars.Get("1d", null, null), restored.Get("1d", null, null));
    }

    [Fact]
    public void The_feed_clock_runs_from_the_last_event_at_wall_speed_and_ignores_an_older_source_clock()
    {
        var wall = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var clock = new FeedClock(wall, lastEvent: null);
        Assert.Equal(wall.GetUtcNow().UtcDateTime, clock.Now);

        clock.Arrived(At(Mon, 15, 0));
        wall.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(At(Mon, 15, 0).AddSeconds(3), clock.Now);

        Assert.True(clock.Advance(At(Mon, 16, 0)));
        Assert.Equal(At(Mon, 16, 0), clock.Now);
        Assert.False(clock.Advance(At(Mon, 15, 30)));
        Assert.Equal(At(Mon, 16, 0), clock.FeedTime);
    }

    [Fact]
    public void A_redelivered_batch_is_refused_and_the_remembered_ids_are_bounded()
    {
        var kept = new List<Guid>();
        var recent = new RecentBatches(kept, capacity: 3);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        Assert.True(recent.FirstDelivery(ids[0]));
        Assert.False(recent.FirstDelivery(ids[0]));
        foreach (var id in ids[1..]) Assert.True(recent.FirstDelivery(id));
        Assert.Equal(ids[2..], kept);
        Assert.True(recent.FirstDelivery(ids[0]), "forgotten after the capacity: a very late redelivery is applied again");
        Assert.True(recent.FirstDelivery(Guid.Empty));
        Assert.True(recent.FirstDelivery(Guid.Empty));
    }
}
