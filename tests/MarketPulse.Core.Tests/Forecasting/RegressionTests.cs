using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Forecasting;

namespace MarketPulse.Core.Tests.Forecasting;

public class RegressionTests
{
    [Fact]
    public void Ridge_with_no_penalty_recovers_a_noise_free_linear_model()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 200).Select(_ => new[] { random.NextDouble() * 10, random.NextDouble() - 3 }).ToList();
        var y = x.Select(r => 1.5 + 2 * r[0] - 0.7 * r[1]).ToList();
        var (b, beta) = RidgeRegression.Fit(x, y, 0);
        Assert.Equal(1.5, b, 6);
        Assert.Equal(2, beta[0], 6);
        Assert.Equal(-0.7, beta[1], 6);
    }

    [Fact]
    public void A_ridge_penalty_shrinks_the_coefficients()
    {
        var random = new Random(4);
        var x = Enumerable.Range(0, 200).Select(_ => new[] { random.NextDouble() }).ToList();
        var y = x.Select(r => 3 * r[0] + 0.1 * (random.NextDouble() - 0.5)).ToList();
        var (_, free) = RidgeRegression.Fit(x, y, 0);
        var (_, shrunk) = RidgeRegression.Fit(x, y, 1);
        Assert.True(Math.Abs(shrunk[0]) < Math.Abs(free[0]) * 0.7);
    }

    [Fact]
    public void Qlike_fit_targets_the_mean_of_the_variance_not_its_median()
    {
        // σ² = h · ε with E[ε] = 1 but a skewed ε (a chi-square with 1 degree of freedom): the log fit's exp() is the
        // median, far below the mean; the QLIKE fit recovers h itself.
        var random = new Random(5);
        var x = new List<double[]>();
        var v = new List<double>();
        for (var i = 0; i < 20_000; i++)
        {
            var xi = random.NextDouble() * 2 - 1;
            var h = Math.Exp(-9 + 0.8 * xi);
            var z = Normal(random);
            x.Add([xi]);
            v.Add(h * z * z);
        }
        var (b, beta) = RidgeRegression.FitQlike(x, v, 0);
        Assert.Equal(-9, b, 1);
        Assert.Equal(0.8, beta[0], 1);
        var (bLog, _) = RidgeRegression.Fit(x, v.Select(e => Math.Log(e)).ToList(), 0);
        Assert.True(bLog < -10, $"the log fit's intercept {bLog} should sit near −9 + E[ln χ²₁] ≈ −10.27");
    }

    [Fact]
    public void Har_within_estimator_gives_each_ticker_its_own_intercept()
    {
        var random = new Random(6);
        var rows = new List<PanelRow>();
        foreach (var (group, level) in new[] { ("A", -8.0), ("B", -10.0) })
            for (var i = 0; i < 500; i++)
            {
                double[] x = [level + random.NextDouble() - 0.5, level + random.NextDouble() - 0.5, level + random.NextDouble() - 0.5];
                rows.Add(new PanelRow(group, x, 0.3 * level + 0.4 * x[0] + 0.2 * x[1] + 0.1 * x[2]));
            }
        var har = HarModel.Fit(HarModel.VarianceInputs, rows);
        Assert.Equal(0.4, har.Slopes[0], 6);
        Assert.Equal(0.2, har.Slopes[1], 6);
        Assert.Equal(0.1, har.Slopes[2], 6);
        var features = new double[ForecastFeatures.Count];
        features[ForecastFeatures.IndexOf("lv_d")] = features[ForecastFeatures.IndexOf("lv_w")] = features[ForecastFeatures.IndexOf("lv_m")] = -9;
        Assert.Equal(0.3 * -8 + 0.7 * -9, har.PredictLog("A", features), 6);
        Assert.Equal(0.3 * -10 + 0.7 * -9, har.PredictLog("B", features), 6);
        Assert.Equal(0.3 * -9 + 0.7 * -9, har.PredictLog("unseen", features), 6);
    }

    [Fact]
    public void Ewma_follows_the_riskmetrics_recursion()
    {
        var bars = new List<DailyOhlcv>();
        var day = new DateOnly(2015, 1, 1);
        double[] closes = [.. Enumerable.Range(0, 40).Select(i => 100 * Math.Exp(0.01 * Math.Sin(i)))];
        for (var i = 0; i < closes.Length; i++) bars.Add(new DailyOhlcv(day.AddDays(i), closes[i], closes[i], closes[i], closes[i], 1));
        var target = day.AddDays(40);
        var r2 = Enumerable.Range(1, 39).Select(i => Math.Pow(Math.Log(closes[i] / closes[i - 1]), 2)).ToList();
        var s = r2.Take(22).Average();
        foreach (var x in r2) s = 0.94 * s + 0.06 * x;
        Assert.Equal(s, EwmaVariance.Forecast(bars, target), 15);
    }

    [Fact]
    public void Day_bootstrap_gain_is_one_minus_the_loss_ratio_with_an_interval_around_it()
    {
        var random = new Random(8);
        var days = Enumerable.Range(0, 60).Select(_ => { var b = 1 + random.NextDouble(); return (A: 0.9 * b + 0.05 * random.NextDouble(), B: b); }).ToList();
        var gain = DayBootstrap.Gain(days);
        Assert.Equal(1 - days.Sum(d => d.A) / days.Sum(d => d.B), gain.Estimate, 12);
        Assert.True(gain.Low < gain.Estimate && gain.Estimate < gain.High);
        Assert.True(gain.Low > 0.05, "a consistent 10 % lower loss is clearly a gain");
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
