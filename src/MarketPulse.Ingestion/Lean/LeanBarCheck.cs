namespace MarketPulse.Ingestion.Lean;

/// <summary>What makes a LEAN OHLCV row (deci-cents, shares) not a bar; null when it is one.</summary>
internal static class LeanBarCheck
{
    public static string? Problem(long open, long high, long low, long close, long volume)
    {
        if (open <= 0 || high <= 0 || low <= 0 || close <= 0) return "non-positive price";
        if (low > high) return "low above high";
        if (open < low || open > high || close < low || close > high) return "open or close outside the high-low range";
        if (volume < 0) return "negative volume";
        return null;
    }
}
