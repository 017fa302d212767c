namespace MarketPulse.Core.Market;

/// <summary>
/// Maps UTC instants to an exchange's local trading day and its regular close.
/// US equities by default (America/New_York, close 16:00). Holidays and half days are the calendar issue's work;
/// here a "day" is any local date that has data.
/// </summary>
public sealed class ExchangeCalendar
{
    public static ExchangeCalendar UsEquities { get; } = new(FindZone("America/New_York"), new TimeOnly(16, 0));

    public ExchangeCalendar(TimeZoneInfo zone, TimeOnly close)
    {
        Zone = zone;
        Close = close;
    }

    public TimeZoneInfo Zone { get; }
    public TimeOnly Close { get; }

    public DateOnly TradingDay(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone));

    /// <summary>The UTC instant of the regular close on <paramref name="day"/>.</summary>
    public DateTime CloseUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(Close, DateTimeKind.Unspecified), Zone);

    public DateTime StartOfDayUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), Zone);

    private static TimeZoneInfo FindZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException)
        {
            // Containers without tzdata: fall back to a fixed EST/EDT rule set so times stay correct.
            var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 2, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 11, 1, DayOfWeek.Sunday));
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(-5), id, "EST", "EDT", [rule]);
        }
    }
}
