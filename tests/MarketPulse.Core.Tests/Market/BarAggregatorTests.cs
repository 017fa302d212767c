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

        // 03:00Z on 07-02 is still 23:00 on 07-01 in New York: same trading day.
        agg.AddTrade(Utc("2015-07-02T03:00:00"), 98, 1);
        Assert.Empty(days);
        agg.AddTrade(Utc("2015-07-02T13:30:00"), 97, 1);
        Assert.Single(days);
        var d = days[0];
        Assert.Equal(new DateOnly(2015, 7, 1), d.Date);
        Assert.Equal((100.0, 102.0, 98.0, 98.0, 19.0, 5), (d.Open, d.High, d.Low, d.Close, d.Volume, d.Trades));
        Assert.Equal(new DateOnly(2015, 7, 1), agg.LastClosedDay);
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
