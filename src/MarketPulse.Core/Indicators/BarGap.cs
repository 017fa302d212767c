namespace MarketPulse.Core.Indicators;

/// <summary>The bar form of the missing-data policy in <see cref="IBarIndicator"/>.</summary>
internal static class BarGap
{
    public static bool Is(double high, double low, double close, double volume) =>
        !double.IsFinite(high) || !double.IsFinite(low) || !double.IsFinite(close) || !double.IsFinite(volume);
}
