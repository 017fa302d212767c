using System.Text.RegularExpressions;

namespace MarketPulse.Ingestion.Validation;

public static partial class Symbols
{
    // Exchange tickers (BRK.B, BF-B), crypto pairs (BTC-USD): upper-case letters first, at most 12 characters.
    [GeneratedRegex("^[A-Z][A-Z0-9]{0,9}([.\\-][A-Z0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolPattern();

    /// <summary>Trims and upper-cases; returns null when the result is not a well-formed symbol.</summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var s = raw.Trim().TrimStart('$').ToUpperInvariant();
        return SymbolPattern().IsMatch(s) ? s : null;
    }
}
