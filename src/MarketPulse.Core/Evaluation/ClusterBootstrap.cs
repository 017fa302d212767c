namespace MarketPulse.Core.Evaluation;

/// <summary>A percentile interval of a bootstrapped statistic, and the statistic on the data itself.</summary>
public readonly record struct BootstrapInterval(double Estimate, double Low, double High)
{
    /// <summary>Share of the resamples at or below zero (for a difference: how often the first signal did not beat the second).</summary>
    public double ShareAtOrBelowZero { get; init; }
}

/// <summary>
/// Cluster (block) bootstrap of accuracy and MCC, resampling whole clusters with replacement — here the target days.
/// Why: on one day most tickers move with the market, so a day's calls succeed or fail together; the binomial interval
/// (which treats every ticker-day as independent) is then far too narrow. Resampling days keeps that dependence. The
/// intervals are percentile intervals; the generator is seeded, so a run is reproducible.
/// </summary>
public static class ClusterBootstrap
{
    public const int DefaultResamples = 2000;
    public const int DefaultSeed = 20150801;

    /// <summary>Intervals of accuracy and MCC over clusters given as their confusion counts.</summary>
    public static (BootstrapInterval Accuracy, BootstrapInterval Mcc) Intervals(IReadOnlyList<Confusion> clusters,
        int resamples = DefaultResamples, int seed = DefaultSeed) =>
        Run([.. clusters.Select(c => (c, default(Confusion)))], (a, _) => a.Accuracy, (a, _) => a.Mcc, resamples, seed);

    /// <summary>
    /// Intervals of metric(A) − metric(B) for two signals' calls on the same samples, clusters resampled jointly (paired),
    /// for accuracy and MCC.
    /// </summary>
    public static (BootstrapInterval Accuracy, BootstrapInterval Mcc) Difference(IReadOnlyList<(Confusion A, Confusion B)> clusters,
        int resamples = DefaultResamples, int seed = DefaultSeed) =>
        Run(clusters, (a, b) => a.Accuracy - b.Accuracy, (a, b) => a.Mcc - b.Mcc, resamples, seed);

    /// <summary>Both statistics over the same resamples: one pass draws the clusters once.</summary>
    private static (BootstrapInterval, BootstrapInterval) Run(IReadOnlyList<(Confusion A, Confusion B)> clusters,
        Func<Confusion, Confusion, double> first, Func<Confusion, Confusion, double> second, int resamples, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var totalA = default(Confusion);
        var totalB = default(Confusion);
        foreach (var (a, b) in clusters) { totalA += a; totalB += b; }
        if (clusters.Count == 0 || totalA.Count == 0)
        {
            var none = new BootstrapInterval(double.NaN, double.NaN, double.NaN);
            return (none, none);
        }
        var random = new Random(seed);
        var values = (First: new double[resamples], Second: new double[resamples]);
        for (var r = 0; r < resamples; r++)
        {
            var sumA = default(Confusion);
            var sumB = default(Confusion);
            for (var k = 0; k < clusters.Count; k++)
            {
                var (a, b) = clusters[random.Next(clusters.Count)];
                sumA += a;
                sumB += b;
            }
            // A resample of only empty clusters has no statistic; it counts as no evidence either way (0).
            values.First[r] = sumA.Count == 0 ? 0 : first(sumA, sumB);
            values.Second[r] = sumA.Count == 0 ? 0 : second(sumA, sumB);
        }
        return (Interval(first(totalA, totalB), values.First), Interval(second(totalA, totalB), values.Second));
    }

    internal static BootstrapInterval Interval(double estimate, double[] values)
    {
        var atOrBelowZero = values.Count(v => v <= 0);
        Array.Sort(values);
        return new BootstrapInterval(estimate, Quantile.Interpolated(values, 0.025), Quantile.Interpolated(values, 0.975))
        {
            ShareAtOrBelowZero = (double)atOrBelowZero / values.Length,
        };
    }
}
