namespace MarketPulse.Ingestion.Lean;

/// <summary>
/// Turns LEAN's "time since New York midnight" into UTC for one trading day. The offset is looked up once per day;
/// only on the two daylight-saving switch days (never trading days, but files can exist) is each row converted
/// on its own, and a local time that does not exist on such a day is refused rather than guessed.
/// </summary>
internal sealed class NewYorkClock
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly DateTime _midnight;
    private readonly long _utcMidnightTicks;
    private readonly bool _switchDay;

    public NewYorkClock(DateOnly day)
    {
        _midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var offsetAtMidnight = NewYork.GetUtcOffset(_midnight);
        _switchDay = offsetAtMidnight != NewYork.GetUtcOffset(_midnight.AddDays(1).AddTicks(-1));
        _utcMidnightTicks = (_midnight - offsetAtMidnight).Ticks;
    }

    public bool TryToUtc(long ticksSinceMidnight, out DateTime utc)
    {
        if (!_switchDay)
        {
            utc = new DateTime(_utcMidnightTicks + ticksSinceMidnight, DateTimeKind.Utc);
            return true;
        }
        var local = _midnight.AddTicks(ticksSinceMidnight);
        if (NewYork.IsInvalidTime(local))
        {
            utc = default;
            return false;
        }
        utc = TimeZoneInfo.ConvertTimeToUtc(local, NewYork);
        return true;
    }
}
