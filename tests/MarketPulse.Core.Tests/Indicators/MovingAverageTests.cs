using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>SMA, EMA and WMA against their window-by-window definitions on real closes.</summary>
public sealed class MovingAverageTests
{
    public static TheoryData<string> Series() => RealSeries.All();

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void SimpleMovingAverage_matches_the_window_mean(string series)
    {
        var x = RealSeries.Closes(series);
        foreach (var n in new[] { 1, 5, 20, 200 })
            SeriesAssert.Matches($"SMA({n}) {series}", BatchReference.Sma(x, n), Run.Over(new SimpleMovingAverage(n), x));
    }

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void ExponentialMovingAverage_matches_the_SMA_seeded_recursion(string series)
    {
        var x = RealSeries.Closes(series);
        foreach (var n in new[] { 1, 12, 26, 50 })
            SeriesAssert.Matches($"EMA({n}) {series}", BatchReference.Ema(x, n), Run.Over(new ExponentialMovingAverage(n), x));
        SeriesAssert.Matches($"EMA(14, Wilder) {series}", BatchReference.Ema(x, 14, 1.0 / 14),
            Run.Over(new ExponentialMovingAverage(14, 1.0 / 14), x));
    }

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void WeightedMovingAverage_matches_the_linearly_weighted_window(string series)
    {
        var x = RealSeries.Closes(series);
        foreach (var n in new[] { 1, 2, 10, 30 })
            SeriesAssert.Matches($"WMA({n}) {series}", BatchReference.Wma(x, n), Run.Over(new WeightedMovingAverage(n), x));
    }

    /// <summary>
    /// Hundreds of thousands of updates at a high price level: where running sums drift, the periodic exact re-sum
    /// must keep the error at the level of a fresh computation.
    /// </summary>
    [Fact]
    public void Running_sums_do_not_drift_over_a_long_series()
    {
        var x = LongWalk.Prices(300_000, start: 200_000);
        var sma = Run.Over(new SimpleMovingAverage(20), x);
        var wma = Run.Over(new WeightedMovingAverage(20), x);
        var tail = x.Length - 5_000;
        SeriesAssert.Matches("SMA tail", BatchReference.Sma(x, 20)[tail..], sma[tail..], 1e-10);
        SeriesAssert.Matches("WMA tail", BatchReference.Wma(x, 20)[tail..], wma[tail..], 1e-10);
    }
}
