namespace MarketPulse.Core.Tests.Indicators;

/// <summary>
/// A long seeded random walk in cents: the real files are too short (≤ 6,000 bars) to expose drift in running
/// sums, which only shows after tens of thousands of updates.
/// </summary>
public static class LongWalk
{
    public static double[] Prices(int length, double start)
    {
        var random = new Random(20131007);
        var x = new double[length];
        var p = start;
        for (var i = 0; i < length; i++)
        {
            p = Math.Max(0.01, Math.Round(p + (random.NextDouble() - 0.5) * start * 0.002, 2));
            x[i] = p;
        }
        return x;
    }
}
