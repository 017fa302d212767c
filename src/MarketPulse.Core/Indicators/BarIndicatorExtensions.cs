using MarketPulse.Core.Market;

namespace MarketPulse.Core.Indicators;

public static class BarIndicatorExtensions
{
    public static bool Update(this IBarIndicator indicator, in Bar bar) =>
        indicator.Update(bar.High, bar.Low, bar.Close, bar.Volume);
}
