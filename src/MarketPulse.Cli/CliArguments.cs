using System.Globalization;

namespace MarketPulse.Cli;

/// <summary>Option values shared by several commands.</summary>
internal static class CliArguments
{
    /// <summary>A day option (<c>YYYY-MM-DD</c>); anything else is bad input naming the option.</summary>
    public static DateOnly ParseDay(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new CliInputException($"{option}: '{text}' is not a date (YYYY-MM-DD)");
}
