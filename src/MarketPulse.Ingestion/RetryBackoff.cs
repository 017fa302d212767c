namespace MarketPulse.Ingestion;

/// <summary>The retry delay every live adapter (market feeds, text sources) uses after a failure.</summary>
public static class RetryBackoff
{
    /// <summary>The delay before retry <paramref name="attempt"/> (0-based): doubling from <paramref name="initialSeconds"/>, capped at <paramref name="maxSeconds"/>, ±20 % jitter.</summary>
    public static TimeSpan Exponential(int attempt, double initialSeconds, double maxSeconds, Random? random = null)
    {
        var seconds = Math.Min(maxSeconds, initialSeconds * Math.Pow(2, Math.Min(attempt, 30)));
        var jitter = 0.8 + 0.4 * (random ?? Random.Shared).NextDouble();
        return TimeSpan.FromSeconds(Math.Min(maxSeconds, seconds * jitter));
    }
}
