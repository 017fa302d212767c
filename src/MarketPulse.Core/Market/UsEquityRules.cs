namespace MarketPulse.Core.Market;

/// <summary>
/// NYSE holiday and early-close rules (NYSE Rule 7.2 and the exchange's published calendars): a holiday on a Saturday
/// is observed the Friday before, except New Year's Day (the year-end accounting close keeps 31 December open); on a
/// Sunday the Monday after. Early closes at 13:00: 3 July when Independence Day falls Tuesday–Friday, the Friday after
/// Thanksgiving, and 24 December when it is Monday–Thursday.
/// </summary>
internal static class UsEquityRules
{
    /// <summary>One-off full-day closures the rules cannot know (national days of mourning, weather, 9/11).</summary>
    private static readonly Dictionary<DateOnly, string> SpecialClosures = new()
    {
        [new(2001, 9, 11)] = "September 11 attacks",
        [new(2001, 9, 12)] = "September 11 attacks",
        [new(2001, 9, 13)] = "September 11 attacks",
        [new(2001, 9, 14)] = "September 11 attacks",
        [new(2004, 6, 11)] = "National Day of Mourning (Reagan)",
        [new(2007, 1, 2)] = "National Day of Mourning (Ford)",
        [new(2012, 10, 29)] = "Hurricane Sandy",
        [new(2012, 10, 30)] = "Hurricane Sandy",
        [new(2018, 12, 5)] = "National Day of Mourning (G. H. W. Bush)",
        [new(2025, 1, 9)] = "National Day of Mourning (Carter)",
    };

    /// <summary>The holiday's name when a weekday is an exchange holiday; null otherwise.</summary>
    public static string? ClosedReason(DateOnly day)
    {
        var y = day.Year;
        if (SpecialClosures.TryGetValue(day, out var special)) return special;
        if (day == ObservedNewYear(y)) return "New Year's Day";
        if (y >= 1998 && day == NthWeekday(y, 1, DayOfWeek.Monday, 3)) return "Martin Luther King Jr. Day";
        if (day == NthWeekday(y, 2, DayOfWeek.Monday, 3)) return "Washington's Birthday";
        if (day == Easter(y).AddDays(-2)) return "Good Friday";
        if (day == LastWeekday(y, 5, DayOfWeek.Monday)) return "Memorial Day";
        if (y >= 2022 && day == Observed(new DateOnly(y, 6, 19))) return "Juneteenth";
        if (day == Observed(new DateOnly(y, 7, 4))) return "Independence Day";
        if (day == NthWeekday(y, 9, DayOfWeek.Monday, 1)) return "Labor Day";
        if (day == Thanksgiving(y)) return "Thanksgiving Day";
        if (day == Observed(new DateOnly(y, 12, 25))) return "Christmas Day";
        return null;
    }

    public static bool IsHalfDay(DateOnly day)
    {
        var weekdayMonToThu = day.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Thursday;
        if (day.Month == 7 && day.Day == 3 && weekdayMonToThu) return true;
        if (day.Month == 12 && day.Day == 24 && weekdayMonToThu) return true;
        return day == Thanksgiving(day.Year).AddDays(1);
    }

    private static DateOnly ObservedNewYear(int year)
    {
        var d = new DateOnly(year, 1, 1);
        return d.DayOfWeek == DayOfWeek.Sunday ? d.AddDays(1) : d; // Saturday: not observed (see the class comment)
    }

    private static DateOnly Observed(DateOnly holiday) => holiday.DayOfWeek switch
    {
        DayOfWeek.Saturday => holiday.AddDays(-1),
        DayOfWeek.Sunday => holiday.AddDays(1),
        _ => holiday,
    };

    private static DateOnly Thanksgiving(int year) => NthWeekday(year, 11, DayOfWeek.Thursday, 4);

    private static DateOnly NthWeekday(int year, int month, DayOfWeek weekday, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)weekday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + 7 * (n - 1));
    }

    private static DateOnly LastWeekday(int year, int month, DayOfWeek weekday)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)weekday + 7) % 7));
    }

    /// <summary>Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).</summary>
    internal static DateOnly Easter(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }
}
