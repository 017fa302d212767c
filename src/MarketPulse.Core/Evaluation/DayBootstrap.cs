namespace MarketPulse.Core.Evaluation;

/// <summary>
/// Cluster bootstrap of a loss ratio between two forecasts scored on the same samples: gain = 1 − ΣL_A / ΣL_B, resampling
/// whole target days jointly for A and B (paired), as <see cref="ClusterBootstrap"/> does for accuracy and MCC. On one
/// day the tickers' volatility surprises are shared, so the days are the independent units.
/// </summary>
public static class DayBootstrap
{
    /// <param name="days">Per target day: the summed loss of A and of B over that day's samples.</param>
    public static BootstrapInterval Gain(IReadOnlyList<(double A, double B)> days,
        int resamples = ClusterBootstrap.DefaultResamples, int seed = ClusterBootstrap.DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        double totalA = 0, totalB = 0;
        foreach (var (a, b) in days) { totalA += a; totalB += b; }
        if (days.Count == 0 || totalB <= 0) return new BootstrapInterval(double.NaN, double.NaN, double.NaN);
        var random = new Random(seed);
        var values = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double sa = 0, sb = 0;
            for (var k = 0; k < days.Count; k++)
            {
                var (a, b) = days[random.Next(days.Count)];
                sa += a;
                sb += b;
            }
            values[r] = sb > 0 ? 1 - sa / sb : 0;
        }
        return ClusterBootstrap.Interval(1 - totalA / totalB, values);
    }
}
