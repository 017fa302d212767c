namespace MarketPulse.Core.Sentiment;

/// <summary>
/// A time-decayed weighted mean: each observation's weight halves every <c>halfLife</c>.
/// Computed as of any instant from the observations before it, so it never looks ahead.
/// </summary>
public static class DecayingAverage
{
    /// <returns>The decayed mean and the effective (decayed) weight; mean is 0 when nothing is in range.</returns>
    public static (double Mean, double Weight) Compute<T>(IEnumerable<T> items, Func<T, DateTime> time, Func<T, double> value,
        DateTime asOf, TimeSpan halfLife, TimeSpan window)
    {
        double num = 0, den = 0;
        var lambda = Math.Log(2) / halfLife.TotalSeconds;
        foreach (var item in items)
        {
            var t = time(item);
            if (t >= asOf || t < asOf - window) continue;
            var w = Math.Exp(-lambda * (asOf - t).TotalSeconds);
            num += w * value(item);
            den += w;
        }
        return den == 0 ? (0, 0) : (num / den, den);
    }

    /// <summary>
    /// The items that move the decayed mean most: largest |weight × value| share of the total, as of <paramref name="asOf"/>
    /// (same window and causality as <see cref="Compute"/>). Returns each item with its signed share of the mean.
    /// </summary>
    public static IReadOnlyList<(T Item, double Share)> TopContributors<T>(IEnumerable<T> items, Func<T, DateTime> time,
        Func<T, double> value, DateTime asOf, TimeSpan halfLife, TimeSpan window, int count)
    {
        var lambda = Math.Log(2) / halfLife.TotalSeconds;
        var weighted = new List<(T Item, double W, double V)>();
        double den = 0;
        foreach (var item in items)
        {
            var t = time(item);
            if (t >= asOf || t < asOf - window) continue;
            var w = Math.Exp(-lambda * (asOf - t).TotalSeconds);
            weighted.Add((item, w, value(item)));
            den += w;
        }
        if (den == 0) return [];
        return [.. weighted.Select(x => (x.Item, Share: x.W * x.V / den)).OrderByDescending(x => Math.Abs(x.Share)).Take(count)];
    }
}
