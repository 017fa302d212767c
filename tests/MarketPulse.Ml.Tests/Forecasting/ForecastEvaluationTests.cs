using MarketPulse.Core.Forecasting;
using MarketPulse.Ml.Forecasting;
using MarketPulse.Ml.Tests.Price;
using MarketPulse.Ml.Training.Evaluation;
using MarketPulse.Ml.Training.Forecasting;

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

        // Five days: the sample runs past June, so every June day has its five sessions and all three forecasts.
        Assert.All(records, r =>
        {
            Assert.True(r.FiveDayVarianceForecast is > 1e-6 and < 1e-2, $"{r.Symbol} {r.TargetDay}: five-day variance {r.FiveDayVarianceForecast}");
            Assert.True(r.FiveDayVarianceHar is > 1e-6 and < 1e-2);
            Assert.True(r.FiveDayRealizedVariance > 0);
        });
        var five = result.Volatility5d!;
        Assert.Equal(records.Count, five.N);
        Assert.Equal(22, five.Days);
        // Each number recomputable from the records: QLIKE on the mean variance, EWMA's variance as a flat forecast.
        static double Qlike(double realized, double forecast) => realized / forecast - Math.Log(realized / forecast) - 1;
        Assert.Equal(records.Average(r => Qlike(r.FiveDayRealizedVariance!.Value, r.FiveDayVarianceForecast!.Value)), five.Qlike.Model!.Value, 1e-5);
        Assert.Equal(records.Average(r => Qlike(r.FiveDayRealizedVariance!.Value, r.FiveDayVarianceHar!.Value)), five.Qlike.Har!.Value, 1e-5);
        Assert.Equal(records.Average(r => Qlike(r.FiveDayRealizedVariance!.Value, r.VarianceEwma)), five.Qlike.Ewma!.Value, 1e-5);
        Assert.Equal(1 - five.Qlike.Model!.Value / five.Qlike.Har!.Value, five.QlikeGainVsHar!.Value, 1e-4);
        Assert.InRange(five.QlikeGainVsHar!.Value, five.QlikeGainVsHarCi95![0], five.QlikeGainVsHarCi95[1]);
        Assert.InRange(five.QlikeGainVsHar!.Value, five.QlikeGainVsHarCi95Weeks![0], five.QlikeGainVsHarCi95Weeks[1]);

        // The JSON keeps the next-day fields and adds the five-day block.
        using var json = System.Text.Json.JsonDocument.Parse(result.ToJson());
        var root = json.RootElement;
        foreach (var key in new[] { "n", "days", "volatility", "volume", "direction", "from", "to", "model", "har_refits", "volatility_5d" })
            Assert.True(root.TryGetProperty(key, out _), key);
        var block = root.GetProperty("volatility_5d");
        Assert.Equal(five.N, block.GetProperty("n").GetInt32());
        foreach (var who in new[] { "model", "har", "ewma" }) Assert.True(block.GetProperty("qlike").GetProperty(who).GetDouble() > 0, who);
        Assert.Equal(2, block.GetProperty("qlike_gain_vs_har_ci95_days").GetArrayLength());
    }

    [Fact]
    public void The_last_four_days_of_the_data_have_no_five_day_target_and_are_not_scored()
    {
        // The sample ends on 2015-09-30: the targets from 2015-09-25 on lack sessions after it.
        var records = Evaluate(RepoPaths.Path("data", "sample", "stocknet"), new DateOnly(2015, 9, 1), new DateOnly(2015, 10, 1), out var result);
        var incomplete = records.Where(r => string.CompareOrdinal(r.TargetDay, "2015-09-25") >= 0).ToList();
        Assert.Equal(8 * 4, incomplete.Count);
        Assert.All(incomplete, r =>
        {
            Assert.Null(r.FiveDayRealizedVariance);
            Assert.NotNull(r.FiveDayVarianceForecast); // the forecast is issued all the same
        });
        Assert.All(records.Except(incomplete), r => Assert.NotNull(r.FiveDayRealizedVariance));
        Assert.Equal(records.Count - incomplete.Count, result.Volatility5d!.N);
        Assert.Equal(incomplete.Count, result.Volatility5d.SkippedIncomplete);
    }

    [Fact]
    public void A_five_day_fit_at_a_cutoff_trains_only_on_targets_that_ended_before_it()
    {
        using var price = Repo.ShippedPriceModel();
        var data = StockNetData.Load(RepoPaths.Path("data", "sample", "stocknet"), Repo.Scorer, price.Card.SectorOf, new DateOnly(2015, 5, 1), new DateOnly(2015, 7, 1));
        var all = ForecastPanel.From(data).Samples(DateOnly.MinValue, new DateOnly(2015, 7, 1));
        var cutoff = new DateOnly(2015, 6, 1);
        var set = ForecastEvaluation.FiveDayTrainingSet(all, cutoff);
        Assert.NotEmpty(set);
        Assert.All(set, s => Assert.True(s.FiveDay!.Value.End < cutoff, $"{s.Symbol} {s.Target}: ends {s.FiveDay.Value.End}"));
        // 22 May's window ends on 29 May (25 May is Memorial Day): in. 26 May's ends on 1 June: out, though it starts before the cutoff.
        Assert.Contains(set, s => s.Target == new DateOnly(2015, 5, 22));
        Assert.DoesNotContain(set, s => s.Target >= new DateOnly(2015, 5, 26));
        Assert.Contains(all, s => s.Target == new DateOnly(2015, 5, 26) && s.FiveDay is not null);
    }

    [Fact]
    public void The_trained_five_day_model_is_the_same_whether_or_not_the_data_holds_the_sessions_after_training()
    {
        // Training to 2015-06-01 on the full sample would see the windows of 26–29 May complete (they end in June); it must not use them.
        var full = RepoPaths.Path("data", "sample", "stocknet");
        var truncated = Directory.CreateTempSubdirectory("mp-forecast-train5-").FullName;
        try
        {
            CopyTruncated(full, truncated, new DateOnly(2015, 5, 31));
            ForecastModel Train(string dir)
            {
                using var price = Repo.ShippedPriceModel();
                var data = StockNetData.Load(dir, Repo.Scorer, price.Card.SectorOf, new DateOnly(2015, 1, 1), new DateOnly(2015, 6, 1));
                return MarketPulse.Ml.Training.Forecasting.ForecastTrainer.Train(ForecastPanel.From(data), new DateOnly(2015, 2, 1),
                    new DateOnly(2015, 6, 1), MarketPulse.Ml.Training.Forecasting.ForecastRecipe.Default, "test");
            }
            var a = Train(full);
            var b = Train(truncated);
            Assert.NotNull(a.Volatility5d);
            Assert.Equal(a.Volatility5d.Intercept, b.Volatility5d!.Intercept, 1e-12);
            Assert.Equal(a.Volatility5d.Coefficients, b.Volatility5d.Coefficients);
            Assert.Equal(a.Volatility.Coefficients, b.Volatility.Coefficients);
        }
        finally
        {
            Directory.Delete(truncated, true);
        }
    }

    [Fact]
    public void A_model_file_without_the_five_day_section_still_loads_and_evaluates()
    {
        var path = Path.GetTempFileName();
        try
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.Path("models", ForecastModelFile.DefaultFileName)))!.AsObject();
            Assert.True(node.Remove("volatility5d"));
            File.WriteAllText(path, node.ToJsonString());
            var old = ForecastModelFile.Load(path);
            Assert.Null(old.Volatility5d);
            using var price = Repo.ShippedPriceModel();
            var data = StockNetData.Load(RepoPaths.Path("data", "sample", "stocknet"), Repo.Scorer, price.Card.SectorOf, From.AddDays(-10), To);
            var records = new List<ForecastRecord>();
            var result = ForecastEvaluation.Run(ForecastPanel.From(data), _ => old, From, To, TextWriter.Null, onRecord: records.Add);
            Assert.All(records, r => Assert.Null(r.FiveDayVarianceForecast));
            Assert.Null(result.Volatility5d!.Qlike.Model);
            Assert.Null(result.Volatility5d.QlikeGainVsHar);
            Assert.True(result.Volatility5d.Qlike.Har > 0);
            Assert.Contains("\"volatility_5d\"", result.ToJson());
        }
        finally
        {
            File.Delete(path);
        }
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
                Assert.Equal(a[i].FiveDayVarianceForecast!.Value, b[i].FiveDayVarianceForecast!.Value, 1e-9);
                Assert.Equal(a[i].FiveDayVarianceHar!.Value, b[i].FiveDayVarianceHar!.Value, 1e-9);
                Assert.NotNull(a[i].FiveDayRealizedVariance);
                Assert.Null(b[i].FiveDayRealizedVariance); // its sessions after the day are not in the truncated copy
            }
        }
        finally
        {
            Directory.Delete(truncated, true);
        }
    }

    [Fact]
    public void The_five_day_har_refit_at_a_month_start_is_the_same_whether_or_not_the_data_holds_anything_after_it()
    {
        // At 1 June the windows of 26–29 May are incomplete (they end in June): with the full data they are complete,
        // and a refit that used them would give different forecasts from the copy truncated on 1 June.
        var full = RepoPaths.Path("data", "sample", "stocknet");
        var day = new DateOnly(2015, 6, 1);
        var truncated = Directory.CreateTempSubdirectory("mp-forecast-causality5-").FullName;
        try
        {
            CopyTruncated(full, truncated, day);
            var a = Evaluate(full, day, To, out _).Where(r => r.TargetDay == "2015-06-01").ToList();
            var b = Evaluate(truncated, day, day.AddDays(1), out _).Where(r => r.TargetDay == "2015-06-01").ToList();
            Assert.Equal(8, a.Count);
            Assert.Equal(a.Select(r => r.Symbol), b.Select(r => r.Symbol));
            for (var i = 0; i < a.Count; i++)
            {
                Assert.Equal(a[i].FiveDayVarianceHar!.Value, b[i].FiveDayVarianceHar!.Value, 1e-9);
                Assert.Equal(a[i].FiveDayVarianceForecast!.Value, b[i].FiveDayVarianceForecast!.Value, 1e-9);
                Assert.Equal(a[i].VarianceHar, b[i].VarianceHar, 1e-9);
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
