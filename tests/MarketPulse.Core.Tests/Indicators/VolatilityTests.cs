using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>Bollinger Bands, z-score, realised volatility and ATR against two-pass window statistics.</summary>
public sealed class VolatilityTests
{
    public static TheoryData<string> Series() => RealSeries.All();

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void BollingerBands_match_the_window_mean_and_population_deviation(string series)
    {
        var x = RealSeries.Closes(series);
        const int n = 20;
        const double k = 2.0;
        var mean = BatchReference.Sma(x, n);
        var sd = BatchReference.PopulationStdDev(x, n);
        var upper = mean.Select((m, t) => m + k * sd[t]).ToArray();
        var lower = mean.Select((m, t) => m - k * sd[t]).ToArray();
        var percentB = x.Select((v, t) => sd[t] == 0 ? 0.5 : (v - lower[t]) / (upper[t] - lower[t])).ToArray();
        var bandwidth = mean.Select((m, t) => (upper[t] - lower[t]) / m).ToArray();

        // σ is a square root of a variance formed from deviations; a σ far below the price loses relative digits.
        var scale = 1e-12 * x.Max();
        SeriesAssert.Matches($"middle {series}", mean, Run.Over(new BollingerBands(n, k), x, b => b.Middle));
        SeriesAssert.Matches($"σ {series}", sd, Run.Over(new BollingerBands(n, k), x, b => b.StandardDeviation), 1e-9, scale);
        SeriesAssert.Matches($"upper {series}", upper, Run.Over(new BollingerBands(n, k), x, b => b.Upper));
        SeriesAssert.Matches($"lower {series}", lower, Run.Over(new BollingerBands(n, k), x, b => b.Lower));
        SeriesAssert.Matches($"%B {series}", percentB, Run.Over(new BollingerBands(n, k), x, b => b.PercentB), 1e-9, 1e-7);
        SeriesAssert.Matches($"bandwidth {series}", bandwidth, Run.Over(new BollingerBands(n, k), x, b => b.Bandwidth), 1e-9, 1e-10);
    }

    [Fact]
    public void BollingerBands_on_a_flat_window_collapse_onto_the_middle()
    {
        var bands = new BollingerBands(5);
        for (var i = 0; i < 5; i++) bands.Update(167.41);
        Assert.Equal(167.41, bands.Upper);
        Assert.Equal(167.41, bands.Lower);
        Assert.Equal(0.5, bands.PercentB);
        Assert.Equal(0, bands.Bandwidth);
    }

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void ZScore_matches_the_two_pass_standard_score(string series)
    {
        var x = RealSeries.Closes(series);
        foreach (var n in new[] { 2, 20, 60 })
        {
            // The O(1) sliding variance carries an absolute error of about ε × the variance of the windows just before,
            // so when a calm window follows a volatile one (n = 2 on one-tick moves) σ — and z = deviation/σ — keep only
            // ~8–9 digits. The bound is the conditioning of any sliding update, not a defect of this one.
            SeriesAssert.Matches($"Z({n}) {series}", BatchReference.ZScore(x, n), Run.Over(new ZScore(n), x), 1e-9, 1e-7);
        }
    }

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void RealizedVolatility_matches_the_sample_deviation_of_log_returns(string series)
    {
        var x = RealSeries.Closes(series);
        // Returns are ~1e-2, so 1e-11 absolute is 1e-9 of their scale; RV(2) of two near-equal returns is ~1e-9 and
        // has the calm-after-volatile conditioning described in the z-score test.
        foreach (var n in new[] { 2, 20, 60 })
            SeriesAssert.Matches($"RV({n}) {series}", BatchReference.RealizedVolatility(x, n), Run.Over(new RealizedVolatility(n), x), 1e-9, 1e-11);
    }

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void AverageTrueRange_matches_Wilder(string series)
    {
        var bars = RealSeries.Bars(series);
        foreach (var n in new[] { 1, 14, 30 })
        {
            SeriesAssert.Matches($"ATR({n}) {series}", BatchReference.Atr(bars, n), Run.OverBars(new AverageTrueRange(n), bars, a => a.Current), 1e-9, 1e-12);
        }
        SeriesAssert.Matches($"TR {series}", BatchReference.TrueRange(bars), Run.OverBars(new AverageTrueRange(14), bars, a => a.TrueRange));
    }

    [Fact]
    public void Window_statistics_do_not_drift_over_a_long_series()
    {
        var x = LongWalk.Prices(300_000, start: 200_000);
        var tail = x.Length - 5_000;
        SeriesAssert.Matches("σ tail", BatchReference.PopulationStdDev(x, 20)[tail..],
            Run.Over(new BollingerBands(20), x, b => b.StandardDeviation)[tail..], 1e-9);
        SeriesAssert.Matches("Z tail", BatchReference.ZScore(x, 20)[tail..], Run.Over(new ZScore(20), x)[tail..], 1e-9, 1e-9);
        SeriesAssert.Matches("RV tail", BatchReference.RealizedVolatility(x, 20)[tail..],
            Run.Over(new RealizedVolatility(20), x)[tail..], 1e-9);
    }
}
