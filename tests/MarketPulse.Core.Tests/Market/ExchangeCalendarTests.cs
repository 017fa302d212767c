using System.Globalization;
using MarketPulse.Core.Market;

namespace MarketPulse.Core.Tests.Market;

/// <summary>The NYSE rules against the exchange's published holiday and early-close lists, and the 24/7 crypto calendar.</summary>
public class ExchangeCalendarTests
{
    private static readonly ExchangeCalendar Us = ExchangeCalendar.UsEquities;

    private static DateTime Utc(string s) => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static DateOnly[] Dates(params string[] s) => [.. s.Select(d => DateOnly.Parse(d, CultureInfo.InvariantCulture))];

    private static IEnumerable<DateOnly> Weekdays(int year)
    {
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) yield return d;
    }

    public static TheoryData<int, string[], string[]> PublishedCalendars => new()
    {
        // NYSE published holidays, then early (13:00) closes.
        { 2013, ["2013-01-01", "2013-01-21", "2013-02-18", "2013-03-29", "2013-05-27", "2013-07-04", "2013-09-02", "2013-11-28", "2013-12-25"],
            ["2013-07-03", "2013-11-29", "2013-12-24"] },
        { 2015, ["2015-01-01", "2015-01-19", "2015-02-16", "2015-04-03", "2015-05-25", "2015-07-03", "2015-09-07", "2015-11-26", "2015-12-25"],
            ["2015-11-27", "2015-12-24"] },
        { 2021, ["2021-01-01", "2021-01-18", "2021-02-15", "2021-04-02", "2021-05-31", "2021-07-05", "2021-09-06", "2021-11-25", "2021-12-24"],
            ["2021-11-26"] },
        { 2022, ["2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05", "2022-11-24", "2022-12-26"],
            ["2022-11-25"] },
        { 2024, ["2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"],
            ["2024-07-03", "2024-11-29", "2024-12-24"] },
        { 2025, ["2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"],
            ["2025-07-03", "2025-11-28", "2025-12-24"] },
    };

    [Theory]
    [MemberData(nameof(PublishedCalendars))]
    public void Holidays_and_early_closes_match_the_published_NYSE_calendar(int year, string[] holidays, string[] halfDays)
    {
        Assert.Equal(Dates(holidays), Weekdays(year).Where(d => !Us.IsTradingDay(d)));
        Assert.Equal(Dates(halfDays), Weekdays(year).Where(Us.IsHalfDay));
    }

    [Fact]
    public void Holidays_are_named_and_a_Saturday_New_Year_is_not_moved_to_Friday()
    {
        Assert.Equal("Good Friday", Us.ClosedReason(new DateOnly(2015, 4, 3)));
        Assert.Equal("Independence Day", Us.ClosedReason(new DateOnly(2015, 7, 3)));   // 4 July on a Saturday
        Assert.Equal("Juneteenth", Us.ClosedReason(new DateOnly(2027, 6, 18)));        // 19 June 2027 is a Saturday
        Assert.Null(Us.ClosedReason(new DateOnly(2021, 12, 31)));                       // 1 Jan 2022 is a Saturday
        Assert.Null(Us.ClosedReason(new DateOnly(2021, 6, 18)));                        // Juneteenth only from 2022
        Assert.Equal("weekend", Us.ClosedReason(new DateOnly(2024, 6, 22)));
    }

    [Fact]
    public void Sessions_follow_daylight_saving_and_early_closes()
    {
        // Winter (EST, UTC−5), an ordinary day.
        var s = Us.Sessions(new DateOnly(2024, 1, 10))!.Value;
        Assert.Equal((Utc("2024-01-10T09:00"), Utc("2024-01-10T14:30"), Utc("2024-01-10T21:00"), Utc("2024-01-11T01:00"), false),
            (s.ExtendedOpenUtc, s.OpenUtc, s.CloseUtc, s.ExtendedCloseUtc, s.HalfDay));
        // Summer (EDT, UTC−4), a half day: 13:00 close, post-market until 17:00.
        var h = Us.Sessions(new DateOnly(2024, 7, 3))!.Value;
        Assert.Equal((Utc("2024-07-03T13:30"), Utc("2024-07-03T17:00"), Utc("2024-07-03T21:00"), true),
            (h.OpenUtc, h.CloseUtc, h.ExtendedCloseUtc, h.HalfDay));
        Assert.Equal(Utc("2024-07-03T17:00"), Us.CloseUtc(new DateOnly(2024, 7, 3)));
        Assert.Null(Us.Sessions(new DateOnly(2024, 7, 4)));
    }

    [Theory]
    [InlineData("2024-01-10T08:59:59", MarketSession.Closed)]
    [InlineData("2024-01-10T09:00:00", MarketSession.PreMarket)]
    [InlineData("2024-01-10T14:29:59", MarketSession.PreMarket)]
    [InlineData("2024-01-10T14:30:00", MarketSession.Regular)]
    [InlineData("2024-01-10T20:59:59", MarketSession.Regular)]
    [InlineData("2024-01-10T21:00:00", MarketSession.PostMarket)]
    [InlineData("2024-01-11T00:59:59", MarketSession.PostMarket)]  // 19:59:59 New York, still 10 January there
    [InlineData("2024-01-11T01:00:00", MarketSession.Closed)]
    [InlineData("2024-07-03T17:30:00", MarketSession.PostMarket)]  // half day: 13:30 New York is after the close
    [InlineData("2024-07-04T15:00:00", MarketSession.Closed)]      // Independence Day
    [InlineData("2024-06-22T15:00:00", MarketSession.Closed)]      // Saturday
    public void The_session_of_an_instant(string utc, MarketSession expected) => Assert.Equal(expected, Us.SessionAt(Utc(utc)));

    [Fact]
    public void Next_close_skips_weekends_and_holidays()
    {
        Assert.Equal(Utc("2024-07-03T17:00"), Us.NextCloseUtc(Utc("2024-07-03T14:00")));
        Assert.Equal(Utc("2024-07-05T20:00"), Us.NextCloseUtc(Utc("2024-07-03T17:00:01")));   // over Independence Day
        Assert.Equal(Utc("2015-04-06T20:00"), Us.NextCloseUtc(Utc("2015-04-02T21:00")));      // over Good Friday and the weekend
        Assert.Equal(new DateOnly(2015, 12, 28), Us.NextTradingDay(new DateOnly(2015, 12, 24)));
    }

    [Fact]
    public void Crypto_trades_every_UTC_day_around_the_clock()
    {
        var c = ExchangeCalendar.Crypto;
        Assert.True(c.IsTradingDay(new DateOnly(2024, 12, 25)));
        Assert.True(c.IsTradingDay(new DateOnly(2024, 6, 22)));
        Assert.Equal(MarketSession.Regular, c.SessionAt(Utc("2024-12-25T03:00")));
        Assert.Equal(new DateOnly(2024, 1, 10), c.TradingDay(Utc("2024-01-10T23:59:59")));
        Assert.Equal(Utc("2024-01-11T00:00"), c.CloseUtc(new DateOnly(2024, 1, 10)));
        Assert.Same(ExchangeCalendar.Crypto, ExchangeCalendar.ForSymbol("BTC-USD"));
        Assert.Same(ExchangeCalendar.Crypto, ExchangeCalendar.ForSymbol("ETH-USDT"));
        Assert.Same(ExchangeCalendar.UsEquities, ExchangeCalendar.ForSymbol("BF-B"));
        Assert.Same(ExchangeCalendar.UsEquities, ExchangeCalendar.ForSymbol("SPY"));
    }

    [Theory]
    [InlineData(2013, "2013-03-31")]
    [InlineData(2015, "2015-04-05")]
    [InlineData(2019, "2019-04-21")]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2038, "2038-04-25")]
    public void Easter_dates(int year, string easter) =>
        Assert.Equal(DateOnly.Parse(easter, CultureInfo.InvariantCulture), ExchangeCalendar.EasterSunday(year));
}
