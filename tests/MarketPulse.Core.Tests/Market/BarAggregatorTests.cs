using MarketPulse.Core.Market;

namespace MarketPulse.Core.Tests.Market;

public class BarAggregatorTests
{
    private static DateTime Utc(string s) => DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    [Fact]
    public void Trades_roll_into_minute_bars_and_the_trading_day_closes_on_the_next_days_first_trade()
    {
        var agg = new BarAggregator(ExchangeCalendar.UsEquities);
        var minutes = new List<Bar>();
        var days = new List<Bar>();
        agg.MinuteClosed += minutes.Add;
        agg.DayClosed += days.Add;

        // 2015-07-01 is EDT (UTC-4): 14:30Z is 10:30 New York.
        agg.AddTrade(Utc("2015-07-01T14:30:05"), 100, 10);
        agg.AddTrade(Utc("2015-07-01T14:30:40"), 102, 5);
        agg.AddTrade(Utc("2015-07-01T14:30:59"), 99, 1);
        agg.AddTrade(Utc("2015-07-01T14:31:00"), 101, 2);
        Assert.Single(minutes);
        Assert.Equal(new Bar(Utc("2015-07-01T14:30:00"), BarAggregator.Minute, new DateOnly(2015, 7, 1), 100, 102, 99, 99, 16, 3), minutes[0]);
        Assert.Empty(days);

        // 19:00Z is 15:00 New York: still the regular session.
        agg.AddTrade(Utc("2015-07-01T19:00:00"), 98, 1);
        Assert.Empty(days);
        // 03:00Z on 07-02 is 23:00 on 07-01 in New York: after the close, so the day closes without the next day's trade.
        agg.AddTrade(Utc("2015-07-02T03:00:00"), 97, 1);
        var d = Assert.Single(days);
        Assert.Equal(new DateOnly(2015, 7, 1), d.Date);
        Assert.Equal((100.0, 102.0, 98.0, 98.0, 19.0, 5), (d.Open, d.High, d.Low, d.Close, d.Volume, d.Trades));
        Assert.Equal(new DateOnly(2015, 7, 1), agg.LastClosedDay);
        Assert.Null(agg.OpenDay);   // the 23:00 print is outside every session: minute bar only
    }

    [Fact]
    public void Extended_hours_trades_make_minute_bars_but_not_the_regular_daily_bar()
    {
        var agg = new BarAggregator(ExchangeCalendar.UsEquities);
        var minutes = new List<Bar>();
        var days = new List<Bar>();
        agg.MinuteClosed += minutes.Add;
        agg.DayClosed += days.Add;
        agg.AddTrade(Utc("2013-10-07T08:00:10"), 167.0, 100);   // 04:00 New York, pre-market
        agg.AddTrade(Utc("2013-10-07T13:30:00"), 168.0, 10);    // 09:30, the open
        agg.AddTrade(Utc("2013-10-07T19:59:59"), 169.0, 20);    // 15:59:59
        agg.AddTrade(Utc("2013-10-07T20:00:00"), 170.0, 30);    // 16:00, post-market: closes the day
        var d = Assert.Single(days);
        Assert.Equal((168.0, 169.0, 168.0, 169.0, 30.0, 2), (d.Open, d.High, d.Low, d.Close, d.Volume, d.Trades));
        Assert.Equal(3, minutes.Count);
        Assert.Equal(167.0, minutes[0].Open);
        Assert.Equal(170.0, agg.OpenMinute!.Value.Close);
    }

    [Fact]
    public void The_clock_closes_a_half_day_at_13_00_without_another_trade()
    {
        var agg = new BarAggregator(ExchangeCalendar.UsEquities);
        var days = new List<Bar>();
        var minutes = new List<Bar>();
        agg.DayClosed += days.Add;
        agg.MinuteClosed += minutes.Add;
        agg.AddTrade(Utc("2024-07-03T16:59:30"), 50, 1);          // 12:59:30 New York on an early-close day
        Assert.False(agg.CloseDue(Utc("2024-07-03T16:59:50")));
        Assert.Empty(minutes);
        Assert.True(agg.CloseDue(Utc("2024-07-03T17:00:00")));
        Assert.Equal(new DateOnly(2024, 7, 3), Assert.Single(days).Date);
        Assert.Single(minutes);
        Assert.False(agg.CloseDue(Utc("2024-07-05T20:00:00")));   // nothing forming
    }

    [Fact]
    public void Crypto_days_roll_at_UTC_midnight_and_count_every_trade()
    {
        var agg = new BarAggregator(ExchangeCalendar.Crypto);
        var days = new List<Bar>();
        agg.DayClosed += days.Add;
        agg.AddTrade(Utc("2024-12-25T00:00:01"), 100, 1);   // a US holiday: crypto trades anyway
        agg.AddTrade(Utc("2024-12-25T23:59:59"), 101, 1);
        agg.AddTrade(Utc("2024-12-26T00:00:00"), 102, 1);
        var d = Assert.Single(days);
        Assert.Equal((new DateOnly(2024, 12, 25), 100.0, 101.0, 2), (d.Date, d.Open, d.Close, d.Trades));
        Assert.Equal(Utc("2024-12-25T00:00"), d.Start);
    }

    [Fact]
    public void End_of_day_bars_close_immediately_and_stale_days_are_refused()
    {
        var agg = new BarAggregator(ExchangeCalendar.UsEquities);
        var days = new List<Bar>();
        agg.DayClosed += days.Add;
        Assert.True(agg.AddDailyBar(new DateOnly(2015, 1, 2), 10, 11, 9, 10.5, 1000));
        Assert.False(agg.AddDailyBar(new DateOnly(2015, 1, 2), 10, 11, 9, 10.5, 1000));
        Assert.False(agg.AddDailyBar(new DateOnly(2015, 1, 1), 10, 11, 9, 10.5, 1000));
        Assert.True(agg.AddDailyBar(new DateOnly(2015, 1, 5), 10.5, 12, 10, 11, 900));
        Assert.Equal([new DateOnly(2015, 1, 2), new DateOnly(2015, 1, 5)], days.Select(d => d.Date));
    }

    [Fact]
    public void The_exchange_close_follows_daylight_saving()
    {
        Assert.Equal(Utc("2015-01-02T21:00:00"), ExchangeCalendar.UsEquities.CloseUtc(new DateOnly(2015, 1, 2)));
        Assert.Equal(Utc("2015-07-02T20:00:00"), ExchangeCalendar.UsEquities.CloseUtc(new DateOnly(2015, 7, 2)));
    }
}
