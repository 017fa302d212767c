using MarketPulse.Core.Forecasting;
using MarketPulse.Ml.Evaluation;
using MarketPulse.Ml.Forecasting;
using MarketPulse.Ml.Tests.Price;

namespace MarketPulse.Ml.Tests.Forecasting;

/// <summary>The forecasts' evaluation on the shipped sample (in the repository, so these run on any clone).</summary>
public class ForecastEvaluationTests
{
    private static readonly DateOnly From = new(2015, 6, 1);
    private static readonly DateOnly To = new(2015, 7, 1);

    private static List<ForecastRecord> Evaluate(string dir, DateOnly from, DateOnly to, out ForecastEvalResult result)
    {
        using var price = Repo.ShippedPriceModel();
        var data = StockNetData.Load(dir, Repo.Scorer, price.Card.SectorOf, from.AddDays(-10), to);
        var model = ForecastModelFile.Load(RepoPaths.Path("models", ForecastModelFile.DefaultFileName));
        var records = new List<ForecastRecord>();
        result = ForecastEvaluation.Run(ForecastPanel.From(data), _ => model, from, to, TextWriter.Null, onRecord: records.Add);
        return records;
    }

    [Fact]
    public void The_shipped_model_forecasts_every_traded_day_and_scores_it()
    {
        var records = Evaluate(RepoPaths.Path("data", "sample", "stocknet"), From, To, out var result);
        Assert.Equal(8 * 22, records.Count); // 8 tickers × the 22 trading days of June 2015
        Assert.Equal(records.Count - result.Volatility.SkippedNoRange, result.N);
        Assert.All(records, r =>
        {
            Assert.True(r.VarianceForecast is > 1e-6 and < 1e-2, $"{r.Symbol} {r.TargetDay}: variance {r.VarianceForecast}");
            Assert.True(r.Band95[0] < r.Band80[0] && r.Band80[0] < 0 && 0 < r.Band80[1] && r.Band80[1] < r.Band95[1]);
            Assert.True(Math.Abs(r.LogVolumeForecast - r.LogVolume!.Value) < 2, $"{r.Symbol} {r.TargetDay}: ln volume {r.LogVolumeForecast} vs {r.LogVolume}");
            Assert.True(double.IsFinite(r.VarianceHar) && r.VarianceHar > 0);
        });
        // Bands cover roughly what they claim even on one month of 8 tickers.
        Assert.InRange(result.Volatility.Band80Coverage, 0.6, 0.95);
        Assert.InRange(result.Volatility.Band95Coverage, 0.85, 1.0);
        Assert.Equal(1, result.HarRefits);
    }

    [Fact]
    public void A_forecast_is_the_same_whether_or_not_the_directory_holds_anything_after_its_day()
    {
        var full = RepoPaths.Path("data", "sample", "stocknet");
        var day = new DateOnly(2015, 6, 17);
        var truncated = Directory.CreateTempSubdirectory("mp-forecast-causality-").FullName;
        try
        {
            CopyTruncated(full, truncated, day);
            var a = Evaluate(full, From, To, out _).Where(r => r.TargetDay == "2015-06-17").ToList();
            var b = Evaluate(truncated, From, day.AddDays(1), out _).Where(r => r.TargetDay == "2015-06-17").ToList();
            Assert.Equal(8, a.Count);
            Assert.Equal(a.Select(r => r.Symbol), b.Select(r => r.Symbol));
            for (var i = 0; i < a.Count; i++)
            {
                Assert.Equal(a[i].VarianceForecast, b[i].VarianceForecast, 1e-9);
                Assert.Equal(a[i].VarianceHar, b[i].VarianceHar, 1e-9);
                Assert.Equal(a[i].VarianceEwma, b[i].VarianceEwma, 1e-9);
                Assert.Equal(a[i].Band80, b[i].Band80);
                Assert.Equal(a[i].Band95, b[i].Band95);
                Assert.Equal(a[i].LogVolumeForecast, b[i].LogVolumeForecast, 1e-9);
                Assert.Equal(a[i].LogVolumeHar, b[i].LogVolumeHar, 1e-9);
            }
        }
        finally
        {
            Directory.Delete(truncated, true);
        }
    }

    [Fact]
    public void The_forecasts_read_the_days_before_the_target()
    {
        // The counterpart of the causality test: a wild basis day moves the next day's forecast.
        var full = RepoPaths.Path("data", "sample", "stocknet");
        var changed = Directory.CreateTempSubdirectory("mp-forecast-basis-").FullName;
        try
        {
            CopyTruncated(full, changed, new DateOnly(2015, 12, 31));
            var csv = Path.Combine(changed, "price", "raw", "AAPL.csv");
            var lines = File.ReadAllLines(csv).Select(l => l.StartsWith("2015-06-16", StringComparison.Ordinal)
                ? "2015-06-16,127.0,140.0,115.0,127.5,127.5,150000000" : l);
            File.WriteAllLines(csv, lines);
            var a = Evaluate(full, From, To, out _).Single(r => r.Symbol == "AAPL" && r.TargetDay == "2015-06-17");
            var b = Evaluate(changed, From, To, out _).Single(r => r.Symbol == "AAPL" && r.TargetDay == "2015-06-17");
            Assert.True(b.VarianceForecast > 1.5 * a.VarianceForecast, $"{b.VarianceForecast} vs {a.VarianceForecast}");
            Assert.True(b.LogVolumeForecast > a.LogVolumeForecast);
        }
        finally
        {
            Directory.Delete(changed, true);
        }
    }

    [Fact]
    public void A_model_file_naming_an_unknown_input_is_refused()
    {
        var model = ForecastModelFile.Load(RepoPaths.Path("models", ForecastModelFile.DefaultFileName));
        var path = Path.GetTempFileName();
        try
        {
            ForecastModelFile.Save(model with { Volume = model.Volume with { Features = ["lvol_d", "no_such_input"], Coefficients = [1, 2] } }, path);
            var ex = Assert.Throws<InvalidDataException>(() => ForecastModelFile.Load(path));
            Assert.Contains("no_such_input", ex.Message);
            File.WriteAllText(path, "{ not json");
            Assert.Throws<InvalidDataException>(() => ForecastModelFile.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Copies a StockNet-layout directory without any price row or tweet file dated after <paramref name="last"/>.</summary>
    private static void CopyTruncated(string from, string to, DateOnly last)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var name = Path.GetFileName(file);
            if (DateOnly.TryParseExact(name, "yyyy-MM-dd", out var fileDay))
            {
                if (fileDay <= last) File.Copy(file, target);
            }
            else if (relative.StartsWith(Path.Combine("price", "raw"), StringComparison.Ordinal))
            {
                File.WriteAllLines(target, File.ReadLines(file).Where(l => !DateOnly.TryParseExact(l.Split(',')[0], "yyyy-MM-dd", out var d) || d <= last));
            }
            else File.Copy(file, target);
        }
    }
}
