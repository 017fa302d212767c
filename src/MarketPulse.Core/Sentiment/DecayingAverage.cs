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
}
