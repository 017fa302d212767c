using System.Globalization;

namespace MarketPulse.Ingestion.Live;

/// <summary>ISO-8601 UTC timestamps as providers send them, with up to nine fractional digits (.NET parses seven).</summary>
internal static class IsoTime
{
    public static bool TryParseUtc(string? s, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrEmpty(s)) return false;
        var dot = s.IndexOf('.');
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
            if (end - dot - 1 > 7) s = string.Concat(s.AsSpan(0, dot + 8), s.AsSpan(end));
        }
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto)) return false;
        utc = dto.UtcDateTime;
        return true;
    }
}
