namespace MarketPulse.Core.Evaluation;

public static class Quantile
{
    /// <summary>The <paramref name="q"/>-quantile of sorted values by linear interpolation between order statistics (numpy's default).</summary>
    public static double Interpolated(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
