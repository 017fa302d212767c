using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>RSI, MACD and the stochastic oscillator against their definitions on real series.</summary>
public sealed class OscillatorTests
{
    public static TheoryData<string> Series() => RealSeries.All();

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void RelativeStrengthIndex_matches_Wilder(string series)
    {
        var x = RealSeries.Closes(series);
        foreach (var n in new[] { 2, 14, 30 })
            SeriesAssert.Matches($"RSI({n}) {series}", BatchReference.Rsi(x, n), Run.Over(new RelativeStrengthIndex(n), x));
    }

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void MovingAverageConvergenceDivergence_matches_its_three_EMAs(string series)
    {
        var x = RealSeries.Closes(series);
        var (line, signal, histogram) = BatchReference.Macd(x, 12, 26, 9);
        // The line is a difference of two EMAs of the price, so its error is relative to the price, not to itself.
        var scale = 1e-12 * x.Max();
        SeriesAssert.Matches($"MACD line {series}", line, Run.Over(new MovingAverageConvergenceDivergence(), x, m => m.Line), 1e-9, scale);
        SeriesAssert.Matches($"MACD current {series}", line, Run.Over(new MovingAverageConvergenceDivergence(), x), 1e-9, scale);
        SeriesAssert.Matches($"MACD signal {series}", signal, Run.Over(new MovingAverageConvergenceDivergence(), x, m => m.Signal), 1e-9, scale);
        SeriesAssert.Matches($"MACD histogram {series}", histogram, Run.Over(new MovingAverageConvergenceDivergence(), x, m => m.Histogram), 1e-9, scale);
    }

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void Stochastic_matches_the_window_extremes(string series)
    {
        var bars = RealSeries.Bars(series);
        foreach (var (k, d) in new[] { (14, 3), (5, 1), (1, 3), (50, 5) })
        {
            var (expectedK, expectedD) = BatchReference.Stochastic(bars, k, d);
            SeriesAssert.Matches($"%K({k},{d}) {series}", expectedK, Run.OverBars(new Stochastic(k, d), bars, s => s.PercentK), 1e-9, 1e-9);
            SeriesAssert.Matches($"%D({k},{d}) {series}", expectedD, Run.OverBars(new Stochastic(k, d), bars, s => s.PercentD), 1e-9, 1e-9);
        }
    }

    [Fact]
    public void Stochastic_tracks_extremes_that_leave_the_window_in_a_monotonic_run()
    {
        // A falling then rising run makes every bar the window maximum and then none of them: the deque's hardest case.
        var bars = Enumerable.Range(0, 400)
            .Select(i => 100 + Math.Abs(200 - i) * 0.25)
            .Select(p => new TestBar(default, p, p + 0.5, p - 0.5, p, 100)).ToArray();
        var (expectedK, _) = BatchReference.Stochastic(bars, 10, 1);
        SeriesAssert.Matches("%K", expectedK, Run.OverBars(new Stochastic(10, 1), bars, s => s.PercentK), 1e-12, 1e-12);
    }
}
