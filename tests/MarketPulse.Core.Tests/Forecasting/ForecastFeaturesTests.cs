using MarketPulse.Core.Forecasting;

namespace MarketPulse.Core.Tests.Forecasting;

public class ForecastFeaturesTests
{
    private static List<DailyOhlcv> Bars(int count, DateOnly start, int seed = 1)
    {
        var random = new Random(seed);
        var bars = new List<DailyOhlcv>();
        var close = 100.0;
        for (var day = start; bars.Count < count; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            var open = close * (1 + 0.005 * (random.NextDouble() - 0.5));
            var next = open * (1 + 0.02 * (random.NextDouble() - 0.5));
            var high = Math.Max(open, next) * (1 + 0.01 * random.NextDouble());
            var low = Math.Min(open, next) * (1 - 0.01 * random.NextDouble());
            bars.Add(new DailyOhlcv(day, open, high, low, next, 1e6 * (1 + random.NextDouble())));
            close = next;
        }
        return bars;
    }

    private static double LogGk(DailyOhlcv b) => RealizedMeasures.LogVariance(RealizedMeasures.GarmanKlass(b.Open, b.High, b.Low, b.Close));

    [Fact]
    public void Har_inputs_are_the_basis_day_and_the_5_and_22_day_means_of_log_variance()
    {
        var bars = Bars(60, new DateOnly(2015, 1, 1));
        var target = bars[40].Date;
        var f = new double[ForecastFeatures.Count];
        Assert.True(ForecastFeatures.TryCompute(bars, target, [], null, f));
        Assert.Equal(LogGk(bars[39]), f[ForecastFeatures.IndexOf("lv_d")], 12);
        Assert.Equal(bars.Skip(35).Take(5).Average(LogGk), f[ForecastFeatures.IndexOf("lv_w")], 12);
        Assert.Equal(bars.Skip(18).Take(22).Average(LogGk), f[ForecastFeatures.IndexOf("lv_m")], 12);
        Assert.Equal(Math.Log(bars[39].Volume), f[ForecastFeatures.IndexOf("lvol_d")], 12);
    }

    [Fact]
    public void Nothing_on_or_after_the_target_day_changes_the_features()
    {
        var bars = Bars(80, new DateOnly(2015, 1, 1));
        var target = bars[50].Date;
        var cut = ForecastFeatures.PredictionTimeUtc(target);
        var posts = Enumerable.Range(0, 400).Select(i => new PostObservation(cut.AddHours(-200 + i), Math.Sin(i))).ToList();
        var all = new double[ForecastFeatures.Count];
        var truncated = new double[ForecastFeatures.Count];
        Assert.True(ForecastFeatures.TryCompute(bars, target, posts, null, all));
        Assert.True(ForecastFeatures.TryCompute(bars.Take(50).ToList(), target, posts.Where(p => p.TimeUtc < cut).ToList(), null, truncated));
        Assert.Equal(truncated, all);
    }

    [Fact]
    public void Post_activity_counts_posts_per_day_before_the_prediction_time()
    {
        var bars = Bars(40, new DateOnly(2015, 3, 2));
        var target = bars[30].Date; // a weekday after a weekday basis day
        var basisStart = bars[29].Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var cut = ForecastFeatures.PredictionTimeUtc(target);
        var posts = new List<PostObservation>
        {
            new(basisStart.AddDays(-2), 0.1),
            new(basisStart.AddHours(3), 0.8),
            new(basisStart.AddHours(20), -0.2),
            new(cut.AddMinutes(1), 1), // after the prediction time: must not count
        };
        var f = new double[ForecastFeatures.Count];
        Assert.True(ForecastFeatures.TryCompute(bars, target, posts, null, f));
        var days = (cut - basisStart).TotalDays;
        Assert.Equal(Math.Log(1 + 2 / days), f[ForecastFeatures.IndexOf("posts_1d")], 12);
        Assert.Equal(Math.Log(1 + 3 / 5.0), f[ForecastFeatures.IndexOf("posts_5d")], 12);
        Assert.Equal(0.3, f[ForecastFeatures.IndexOf("sent_1d")], 12);
        Assert.Equal(0.5, f[ForecastFeatures.IndexOf("sent_ext_1d")], 12);
    }

    [Fact]
    public void Too_little_history_gives_no_features()
    {
        var bars = Bars(30, new DateOnly(2015, 1, 1));
        Assert.False(ForecastFeatures.TryCompute(bars, bars[20].Date, [], null, new double[ForecastFeatures.Count]));
    }

    [Fact]
    public void Calendar_inputs_know_half_days_and_the_third_friday()
    {
        var bars = Bars(300, new DateOnly(2014, 1, 1));
        var f = new double[ForecastFeatures.Count];
        // 2014-11-28: the day after Thanksgiving closes early; 2014-12-19: third Friday of a quarter-end month.
        Assert.True(ForecastFeatures.TryCompute(bars, new DateOnly(2014, 11, 28), [], null, f));
        Assert.Equal(1, f[ForecastFeatures.IndexOf("half_day")]);
        Assert.True(ForecastFeatures.TryCompute(bars, new DateOnly(2014, 12, 19), [], null, f));
        Assert.Equal(1, f[ForecastFeatures.IndexOf("quad_witching")]);
        Assert.Equal(1, f[ForecastFeatures.IndexOf("opex")]);
        Assert.Equal(0, f[ForecastFeatures.IndexOf("half_day")]);
    }
}
