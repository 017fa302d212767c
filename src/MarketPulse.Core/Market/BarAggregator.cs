namespace MarketPulse.Core.Market;

/// <summary>
/// Rolls trades into 1-minute bars and trading-day bars, and accepts finished daily bars from end-of-day feeds.
/// Completed bars are reported through the callbacks in time order; the bars still forming are exposed for snapshots.
/// </summary>
public sealed class BarAggregator(ExchangeCalendar calendar)
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

    /// <summary>Applies one trade. Trades must arrive in time order per symbol (the source grains enforce it).</summary>
    public void AddTrade(DateTime utc, double price, double size)
    {
        var day = calendar.TradingDay(utc);
        if (OpenDay is { } openDay && day > openDay.Date) CloseDay();

        var minuteStart = new DateTime(utc.Ticks - utc.Ticks % Minute.Ticks, DateTimeKind.Utc);
        if (OpenMinute is { } m && m.Start != minuteStart)
        {
            MinuteClosed?.Invoke(m);
            OpenMinute = null;
        }
        OpenMinute = OpenMinute is { } cur ? cur.With(price, size) : Bar.FromTrade(minuteStart, Minute, day, price, size);
        OpenDay = OpenDay is { } d ? d.With(price, size) : Bar.FromTrade(calendar.StartOfDayUtc(day), Day, day, price, size);
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
