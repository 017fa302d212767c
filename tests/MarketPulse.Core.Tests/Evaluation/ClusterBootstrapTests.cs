using MarketPulse.Core.Evaluation;

namespace MarketPulse.Core.Tests.Evaluation;

public class ClusterBootstrapTests
{
    private static Confusion Day(int right, int wrong) => new Confusion(right, 0, wrong, 0) + new Confusion(0, right, 0, wrong);

    [Fact]
    public void Singleton_clusters_give_about_the_binomial_interval()
    {
        // 2,400 independent calls, 60 % right (half predicted up, half down): binomial half-width 1.96·√(0.24/2400) ≈ 0.0196.
        var clusters = Enumerable.Range(0, 2400).Select(i => i % 5 < 3
            ? (i % 2 == 0 ? new Confusion(1, 0, 0, 0) : new Confusion(0, 1, 0, 0))
            : (i % 2 == 0 ? new Confusion(0, 0, 1, 0) : new Confusion(0, 0, 0, 1))).ToList();
        var (accuracy, _) = ClusterBootstrap.Intervals(clusters);
        Assert.Equal(0.6, accuracy.Estimate, 12);
        var half = (accuracy.High - accuracy.Low) / 2;
        Assert.InRange(half, 0.0196 * 0.85, 0.0196 * 1.15);
    }

    [Fact]
    public void Days_whose_calls_succeed_or_fail_together_widen_the_interval()
    {
        // The same 2,400 calls, 60 % right, but on 40 days of 60 tickers that are all right or all wrong together: the
        // evidence is 40 days, not 2,400 calls (half-width ≈ 1.96·√(0.24/40) ≈ 0.15), seven times the binomial one.
        var days = Enumerable.Range(0, 40).Select(d => d % 5 < 3 ? Day(30, 0) : Day(0, 30)).ToList();
        var (accuracy, mcc) = ClusterBootstrap.Intervals(days);
        Assert.Equal(0.6, accuracy.Estimate, 12);
        Assert.True((accuracy.High - accuracy.Low) / 2 > 5 * 0.0196, $"half-width {(accuracy.High - accuracy.Low) / 2}");
        Assert.True(mcc.Low < 0, $"MCC interval [{mcc.Low}, {mcc.High}] should include values at or below zero on 40 days");
    }

    [Fact]
    public void Identical_signals_differ_by_exactly_zero()
    {
        var days = Enumerable.Range(0, 30).Select(d => Day(d % 7, 3)).Select(c => (c, c)).ToList();
        var (accuracy, mcc) = ClusterBootstrap.Difference(days);
        Assert.Equal((0.0, 0.0, 0.0), (accuracy.Estimate, accuracy.Low, accuracy.High));
        Assert.Equal((0.0, 0.0), (mcc.Low, mcc.High));
        Assert.Equal(1.0, mcc.ShareAtOrBelowZero);
    }

    [Fact]
    public void A_signal_better_on_every_day_has_a_positive_paired_interval()
    {
        var rng = new Random(3);
        var days = Enumerable.Range(0, 40).Select(_ =>
        {
            var right = rng.Next(5, 15);
            return (Day(right + 3, 17 - right), Day(right, 20 - right));
        }).ToList();
        var (accuracy, mcc) = ClusterBootstrap.Difference(days);
        Assert.True(accuracy.Low > 0, $"accuracy difference interval [{accuracy.Low}, {accuracy.High}]");
        Assert.True(mcc.Low > 0, $"MCC difference interval [{mcc.Low}, {mcc.High}]");
        Assert.Equal(0.0, accuracy.ShareAtOrBelowZero);
    }

    [Fact]
    public void A_seeded_run_is_reproducible_and_the_seed_matters()
    {
        var days = Enumerable.Range(0, 25).Select(d => Day(d % 9 + 1, 10 - d % 9)).ToList();
        Assert.Equal(ClusterBootstrap.Intervals(days, seed: 5), ClusterBootstrap.Intervals(days, seed: 5));
        Assert.NotEqual(ClusterBootstrap.Intervals(days, seed: 5).Accuracy.Low, ClusterBootstrap.Intervals(days, seed: 6).Accuracy.Low);
    }

    [Fact]
    public void No_calls_give_no_interval()
    {
        var (accuracy, mcc) = ClusterBootstrap.Intervals([]);
        Assert.True(double.IsNaN(accuracy.Estimate) && double.IsNaN(mcc.Low));
    }
}
