using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Indicators;

namespace MarketPulse.Server.Api;

/// <summary>
/// One closed trading day's RSI and MACD, as the ticker's snapshot shows them for its last closed day (null while the
/// indicator warms up).
/// </summary>
public sealed record IndicatorPoint(DateOnly TradingDay, double? Rsi14, double? MacdLine, double? MacdSignal, double? MacdHistogram);

/// <summary>
/// The per-day series of the indicators the ticker grain keeps only as of its last closed day: its retained daily bars
/// run through the same Core indicators with the same parameters (RSI 14 Wilder, MACD 12/26/9), so that the last point
/// is the snapshot's value and the chart's panes draw the server's numbers rather than a second implementation's.
/// </summary>
public static class IndicatorSeries
{
    public static IReadOnlyList<IndicatorPoint> Compute(IEnumerable<BarDto> dailyBars, DateOnly? from = null, DateOnly? to = null)
    {
        var rsi = new RelativeStrengthIndex(14);
        var macd = new MovingAverageConvergenceDivergence(12, 26, 9);
        var points = new List<IndicatorPoint>();
        foreach (var bar in dailyBars)
        {
            rsi.Update(bar.Close);
            macd.Update(bar.Close);
            if ((from is { } f && bar.TradingDay < f) || (to is { } t && bar.TradingDay >= t)) continue;
            points.Add(new IndicatorPoint(bar.TradingDay, N(rsi.Current), N(macd.Line), N(macd.Signal), N(macd.Histogram)));
        }
        return points;
    }

    private static double? N(double v) => double.IsFinite(v) ? v : null;
}
