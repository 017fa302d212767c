namespace MarketPulse.Core.Market;

/// <summary>
/// Rolls trades into 1-minute bars and trading-day bars, and accepts finished daily bars from end-of-day feeds.
/// Completed bars are reported through the callbacks in time order; the bars still forming are exposed for snapshots.
/// Minute bars take every trade, extended hours included; the daily bar takes only the regular session (as exchanges'
/// official daily bars do) unless <paramref name="dailyIncludesExtendedHours"/>. A day closes at its regular close:
/// on the first trade at or after it, or when <see cref="CloseDue"/> is called with a clock past it.
/// </summary>
public sealed class BarAggregator(ExchangeCalendar calendar, bool dailyIncludesExtendedHours = false)
{
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public Bar? OpenMinute { get; private set; }
    public Bar? OpenDay { get; private set; }
    public DateOnly? LastClosedDay { get; private set; }

    public event Action<Bar>? MinuteClosed;
    public event Action<Bar>? DayClosed;

    /// <summary>Restores the forming bars after a grain re-activation.</summary>
    public void Restore(Bar? openMinute, Bar? openDay, DateOnly? lastClosedDay)
    {
        OpenMinute = openMinute;
        OpenDay = openDay;
        LastClosedDay = lastClosedDay;
    }

    private CalendarDay _day = new(DateOnly.MinValue, DateTime.MinValue, DateTime.MinValue, null);
    private DateOnly _closeOf = DateOnly.MinValue;
    private DateTime _closeUtc;

    public ExchangeCalendar Calendar => calendar;

    /// <summary>The calendar day of an instant, cached: consecutive trades mostly fall in the same day.</summary>
    public CalendarDay DayOf(DateTime utc)
    {
        if (!_day.Contains(utc)) _day = calendar.DayOf(utc);
        return _day;
    }

    /// <summary>The session of an instant (cached per day, see <see cref="DayOf"/>).</summary>
    public MarketSession SessionAt(DateTime utc) => DayOf(utc).SessionAt(utc, calendar.AlwaysOpen);

    private DateTime CloseOf(DateOnly day)
    {
        if (day != _closeOf)
        {
            _closeUtc = calendar.CloseUtc(day);
            _closeOf = day;
        }
        return _closeUtc;
    }

    /// <summary>Applies one trade. Trades must arrive in time order per symbol (the source grains enforce it).</summary>
    public void AddTrade(DateTime utc, double price, double size)
    {
        var calendarDay = DayOf(utc);
        var day = calendarDay.Day;
        if (OpenDay is { } openDay && (day > openDay.Date || utc >= CloseOf(openDay.Date))) CloseDay();

        var minuteStart = new DateTime(utc.Ticks - utc.Ticks % Minute.Ticks, DateTimeKind.Utc);
        if (OpenMinute is { } m && m.Start != minuteStart)
        {
            MinuteClosed?.Invoke(m);
            OpenMinute = null;
        }
        OpenMinute = OpenMinute is { } cur ? cur.With(price, size) : Bar.FromTrade(minuteStart, Minute, day, price, size);

        var session = calendarDay.SessionAt(utc, calendar.AlwaysOpen);
        var countsForDay = session == MarketSession.Regular || (dailyIncludesExtendedHours && session != MarketSession.Closed);
        if (!countsForDay || (LastClosedDay is { } closed && day <= closed)) return;
        OpenDay = OpenDay is { } d ? d.With(price, size) : Bar.FromTrade(calendarDay.StartUtc, Day, day, price, size);
    }

    /// <summary>
    /// Closes what the clock says is over without waiting for another trade: the forming minute once its end has passed,
    /// and the forming day once its regular close has. Returns true when a day closed.
    /// </summary>
    public bool CloseDue(DateTime nowUtc)
    {
        if (OpenMinute is { } m && m.End <= nowUtc)
        {
            MinuteClosed?.Invoke(m);
            OpenMinute = null;
        }
        if (OpenDay is not { } d || nowUtc < CloseOf(d.Date)) return false;
        CloseDay();
        return true;
    }

    /// <summary>Applies a finished daily bar (end-of-day data). Returns false when the day is not after the last closed one.</summary>
    public bool AddDailyBar(DateOnly day, double open, double high, double low, double close, double volume)
    {
        if (LastClosedDay is { } last && day <= last) return false;
        if (OpenDay is { } openDay && openDay.Date < day) CloseDay();
        OpenDay = null;
        if (OpenMinute is { } m && m.Date <= day)
        {
            MinuteClosed?.Invoke(m);
            OpenMinute = null;
        }
        var bar = new Bar(calendar.StartOfDayUtc(day), Day, day, open, high, low, close, volume, 0);
        LastClosedDay = day;
        DayClosed?.Invoke(bar);
        return true;
    }

    /// <summary>Closes the forming day, e.g. when the next day's first trade arrives or the session ends.</summary>
    public void CloseDay()
    {
        if (OpenMinute is { } m)
        {
            MinuteClosed?.Invoke(m);
            OpenMinute = null;
        }
        if (OpenDay is { } d)
        {
            OpenDay = null;
            LastClosedDay = d.Date;
            DayClosed?.Invoke(d);
        }
    }
}
