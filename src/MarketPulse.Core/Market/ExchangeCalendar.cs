namespace MarketPulse.Core.Market;

/// <summary>Where an instant falls in a market's day.</summary>
public enum MarketSession
{
    Closed,
    PreMarket,
    Regular,
    PostMarket,
}

/// <summary>
/// One exchange-local calendar day as an interval of UTC, with its sessions (null when it does not trade): what a
/// per-tick caller keeps so that most ticks need two comparisons instead of time-zone conversions.
/// </summary>
public readonly record struct CalendarDay(DateOnly Day, DateTime StartUtc, DateTime EndUtc, TradingSessions? Sessions)
{
    public bool Contains(DateTime utc) => utc >= StartUtc && utc < EndUtc;

    public MarketSession SessionAt(DateTime utc, bool alwaysOpen)
    {
        if (alwaysOpen) return MarketSession.Regular;
        if (Sessions is not { } s || utc < s.ExtendedOpenUtc || utc >= s.ExtendedCloseUtc) return MarketSession.Closed;
        if (utc < s.OpenUtc) return MarketSession.PreMarket;
        return utc < s.CloseUtc ? MarketSession.Regular : MarketSession.PostMarket;
    }
}

/// <summary>One trading day's session boundaries, all UTC. Extended hours equal the regular ones where a market has none.</summary>
public readonly record struct TradingSessions(DateOnly Day, DateTime ExtendedOpenUtc, DateTime OpenUtc, DateTime CloseUtc, DateTime ExtendedCloseUtc, bool HalfDay);

/// <summary>
/// A market's trading calendar: the local trading day of an instant, which days trade, the regular and extended
/// sessions of each, and so whether an instant is pre-market, regular, post-market or closed.
/// <see cref="UsEquities"/> follows the NYSE rules (holidays computed by rule with weekend observance, 13:00 early closes);
/// <see cref="Crypto"/> trades around the clock with UTC days.
/// </summary>
/// <remarks>
/// Written here rather than taken from a package: the .NET options (Nager.Date, QuantConnect's market-hours database)
/// are either public-holiday lists without exchange half days or pull in a whole engine; the NYSE rule set is small and
/// is pinned by tests against the exchange's published 2013, 2015 and 2024 calendars.
/// </remarks>
public sealed class ExchangeCalendar
{
    private static readonly TimeOnly Midnight = TimeOnly.MinValue;

    /// <summary>NYSE / Nasdaq: extended 04:00–20:00, regular 09:30–16:00 New York time; early close 13:00 (extended to 17:00).</summary>
    public static ExchangeCalendar UsEquities { get; } = new("us-equities", FindNewYork(), new TimeOnly(4, 0), new TimeOnly(9, 30),
        new TimeOnly(16, 0), new TimeOnly(20, 0), new TimeOnly(13, 0), new TimeOnly(17, 0), UsEquityRules.ClosedReason, UsEquityRules.IsHalfDay);

    /// <summary>24/7 markets: every UTC day trades from midnight to midnight; always the regular session.</summary>
    public static ExchangeCalendar Crypto { get; } = new("crypto", TimeZoneInfo.Utc, Midnight, Midnight, Midnight, Midnight,
        Midnight, Midnight, static _ => null, static _ => false, alwaysOpen: true);

    private readonly Func<DateOnly, string?> _closedReason;
    private readonly Func<DateOnly, bool> _isHalfDay;
    private readonly TimeOnly _extendedOpen, _open, _close, _extendedClose, _halfDayClose, _halfDayExtendedClose;

    private ExchangeCalendar(string name, TimeZoneInfo zone, TimeOnly extendedOpen, TimeOnly open, TimeOnly close, TimeOnly extendedClose,
        TimeOnly halfDayClose, TimeOnly halfDayExtendedClose, Func<DateOnly, string?> closedReason, Func<DateOnly, bool> isHalfDay, bool alwaysOpen = false)
    {
        Name = name;
        Zone = zone;
        _extendedOpen = extendedOpen;
        _open = open;
        _close = close;
        _extendedClose = extendedClose;
        _halfDayClose = halfDayClose;
        _halfDayExtendedClose = halfDayExtendedClose;
        _closedReason = closedReason;
        _isHalfDay = isHalfDay;
        AlwaysOpen = alwaysOpen;
    }

    public string Name { get; }
    public TimeZoneInfo Zone { get; }

    /// <summary>True for 24/7 markets: every day trades, every instant is in the regular session.</summary>
    public bool AlwaysOpen { get; }

    /// <summary>The calendar for a symbol: crypto pairs (<c>BTC-USD</c>, <c>ETH-USDT</c>) trade 24/7, everything else is a US equity.</summary>
    public static ExchangeCalendar ForSymbol(string symbol)
    {
        var dash = symbol.LastIndexOf('-');
        if (dash <= 0) return UsEquities;
        return symbol[(dash + 1)..] is "USD" or "USDT" or "USDC" or "EUR" or "GBP" or "BTC" or "ETH" ? Crypto : UsEquities;
    }

    /// <summary>The exchange-local calendar date of an instant (the trading day its trades belong to).</summary>
    public DateOnly TradingDay(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone));

    /// <summary>Why the market does not trade on <paramref name="day"/> ("weekend", a holiday's name), or null on a trading day.</summary>
    public string? ClosedReason(DateOnly day)
    {
        if (AlwaysOpen) return null;
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return "weekend";
        return _closedReason(day);
    }

    public bool IsTradingDay(DateOnly day) => ClosedReason(day) is null;

    /// <summary>True on a trading day with an early (13:00) close.</summary>
    public bool IsHalfDay(DateOnly day) => IsTradingDay(day) && _isHalfDay(day);

    /// <summary>The session boundaries of <paramref name="day"/>, or null when it does not trade.</summary>
    public TradingSessions? Sessions(DateOnly day)
    {
        if (!IsTradingDay(day)) return null;
        if (AlwaysOpen)
        {
            var start = day.ToDateTime(Midnight, DateTimeKind.Utc);
            return new TradingSessions(day, start, start, start.AddDays(1), start.AddDays(1), false);
        }
        var half = _isHalfDay(day);
        return new TradingSessions(day, Utc(day, _extendedOpen), Utc(day, _open), Utc(day, half ? _halfDayClose : _close),
            Utc(day, half ? _halfDayExtendedClose : _extendedClose), half);
    }

    /// <summary>The session an instant falls in.</summary>
    public MarketSession SessionAt(DateTime utc) => AlwaysOpen ? MarketSession.Regular : DayOf(utc).SessionAt(utc, false);

    /// <summary>The local day containing <paramref name="utc"/>, as a UTC interval with its sessions.</summary>
    public CalendarDay DayOf(DateTime utc)
    {
        var day = TradingDay(utc);
        return new CalendarDay(day, StartOfDayUtc(day), StartOfDayUtc(day.AddDays(1)), Sessions(day));
    }

    /// <summary>
    /// The UTC instant of the regular close on <paramref name="day"/> (13:00 on half days). For a day that does not
    /// trade (end-of-day data can still name one), the time the close would have had.
    /// </summary>
    public DateTime CloseUtc(DateOnly day)
    {
        if (AlwaysOpen) return day.ToDateTime(Midnight, DateTimeKind.Utc).AddDays(1);
        return Utc(day, IsHalfDay(day) ? _halfDayClose : _close);
    }

    public DateTime StartOfDayUtc(DateOnly day) => Utc(day, Midnight);

    /// <summary>The first trading day after <paramref name="day"/>.</summary>
    public DateOnly NextTradingDay(DateOnly day)
    {
        do day = day.AddDays(1);
        while (!IsTradingDay(day));
        return day;
    }

    /// <summary>The first regular close at or after <paramref name="utc"/>.</summary>
    public DateTime NextCloseUtc(DateTime utc)
    {
        var day = TradingDay(utc);
        if (!IsTradingDay(day)) day = NextTradingDay(day);
        var close = CloseUtc(day);
        return close >= utc ? close : CloseUtc(NextTradingDay(day));
    }

    /// <summary>Gregorian Easter Sunday (Good Friday is two days before).</summary>
    public static DateOnly EasterSunday(int year) => UsEquityRules.Easter(year);

    private DateTime Utc(DateOnly day, TimeOnly local) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(local, DateTimeKind.Unspecified), Zone);

    private static TimeZoneInfo FindNewYork()
    {
        const string id = "America/New_York";
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException)
        {
            // Containers without tzdata: the US rules in force since 2007 keep times correct for the data we have.
            var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 2, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 11, 1, DayOfWeek.Sunday));
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(-5), id, "EST", "EDT", [rule]);
        }
    }
}
