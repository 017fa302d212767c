using System.Text.Json;
using MarketPulse.Cli.Commands;

namespace MarketPulse.Cli.Tests;

/// <summary><c>eval walkforward</c> on the real StockNet data (one LightGbm seed per fold: about 10 s a run).</summary>
public sealed class EvalWalkForwardCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([EvalCommands.Create()], args);

    private static JsonElement LastJson(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    [SharedDataFact("stocknet")]
    public async Task Each_month_is_predicted_by_models_fitted_on_earlier_targets_only()
    {
        var data = SharedData.Path("stocknet");
        var (exit, stdout, stderr) = await RunCliAsync("eval", "walkforward", "--data", data, "--from", "2015-08-01", "--to", "2015-09-01", "--bag", "1", "--sentiment", "lexicon");
        Assert.True(exit == 0, stderr);
        var august = LastJson(stdout);
        // A second run that also loads and predicts September: August's fold must not change (September's samples are in
        // memory but must not reach a model that predicts August).
        var report = Path.Combine(Path.GetTempPath(), $"mp-walkforward-{Guid.NewGuid():N}.json");
        try
        {
            (exit, stdout, stderr) = await RunCliAsync("eval", "walkforward", "--data", data, "--from", "2015-08-01", "--to", "2015-10-01", "--bag", "1",
                "--sentiment", "lexicon", "--out", report);
            Assert.True(exit == 0, stderr);
            // --out writes what stdout's last line says (the report /api/models reads).
            Assert.Equal(stdout.TrimEnd().Split('\n')[^1], File.ReadAllText(report).TrimEnd());
        }
        finally
        {
            File.Delete(report);
        }
        var both = LastJson(stdout);

        var folds = both.GetProperty("folds").EnumerateArray().ToList();
        Assert.Equal(["2015-08", "2015-09"], folds.Select(f => f.GetProperty("month").GetString()));
        Assert.Equal(august.GetProperty("folds")[0].GetRawText(), folds[0].GetRawText());
        // August is fitted on targets before June and calibrated on June–July: the shipped model's split of the train period.
        Assert.Equal(18_052, folds[0].GetProperty("fit").GetInt32());
        Assert.Equal(2_293, folds[0].GetProperty("calibrate").GetInt32());
        // September's models learn from one more month (June) and calibrate on July–August.
        Assert.True(folds[1].GetProperty("fit").GetInt32() > 18_052);
        // Together the folds are the dev period: StockNet's 2,555 samples on 42 trading days.
        Assert.Equal(2_555, both.GetProperty("n").GetInt64());
        Assert.Equal(42, both.GetProperty("days").GetInt32());
        Assert.Equal(folds.Sum(f => f.GetProperty("n").GetInt32()), both.GetProperty("n").GetInt64());
        var bySignal = both.GetProperty("by_signal");
        foreach (var signal in new[] { "model", "price_only", "yesterday", "always_rise" })
            Assert.True(bySignal.TryGetProperty(signal, out var s) && s.TryGetProperty("mcc_ci95_days", out _), signal);
        Assert.Equal(both.GetProperty("mcc").GetDouble(), bySignal.GetProperty("model").GetProperty("mcc").GetDouble());
        Assert.True(both.GetProperty("comparisons").TryGetProperty("model-price_only", out _));
        Assert.Contains("2015-09: fit", stderr);

        // The service's backtest with the same monthly models gives the walk-forward's own price numbers (one model per
        // target month through the live code path), and adds the ensemble on top.
        var service = both.GetProperty("service");
        var servicePrice = service.GetProperty("by_signal").GetProperty("price");
        var model = bySignal.GetProperty("model");
        foreach (var key in new[] { "n", "accuracy", "mcc", "brier" })
            Assert.Equal(model.GetProperty(key).GetDouble(), servicePrice.GetProperty(key).GetDouble());
        Assert.Equal(bySignal.GetProperty("price_only").GetProperty("mcc").GetDouble(),
            service.GetProperty("by_signal").GetProperty("price_only").GetProperty("mcc").GetDouble());
        Assert.Equal(2_555, service.GetProperty("by_signal").GetProperty("ensemble").GetProperty("n").GetInt64());
        Assert.Equal("shipped walk-forward", service.GetProperty("price_model").GetString());
    }

    [SharedDataFact("stocknet")]
    public async Task A_candidate_recipe_is_compared_with_the_shipped_recipe_on_the_same_folds()
    {
        var data = SharedData.Path("stocknet");
        string[] month = ["--data", data, "--from", "2015-07-01", "--to", "2015-08-01", "--bag", "1", "--sentiment", "lexicon"];
        var (exit, stdout, stderr) = await RunCliAsync(["eval", "walkforward", .. month]);
        Assert.True(exit == 0, stderr);
        var shipped = LastJson(stdout).GetProperty("folds")[0];
        (exit, stdout, stderr) = await RunCliAsync(["eval", "walkforward", .. month, "--recipe", "calibration-6m"]);
        Assert.True(exit == 0, stderr);
        var candidate = LastJson(stdout);
        var fold = candidate.GetProperty("folds")[0];
        // Six months of calibration: the fit set ends in January instead of May.
        Assert.True(fold.GetProperty("calibrate").GetInt32() > 2 * shipped.GetProperty("calibrate").GetInt32());
        Assert.True(fold.GetProperty("fit").GetInt32() < shipped.GetProperty("fit").GetInt32());
        // The shipped recipe re-run inside the candidate's run is the plain run's model.
        Assert.Equal(shipped.GetProperty("mcc").GetDouble(), fold.GetProperty("shipped_mcc").GetDouble());
        Assert.Equal(shipped.GetProperty("mcc").GetDouble(), candidate.GetProperty("by_signal").GetProperty("shipped").GetProperty("mcc").GetDouble());
        var versus = candidate.GetProperty("comparisons").GetProperty("model-shipped");
        Assert.Equal(candidate.GetProperty("mcc").GetDouble() - shipped.GetProperty("mcc").GetDouble(), versus.GetProperty("mcc_diff").GetDouble(), 3);
        Assert.StartsWith("calibration-6m:", candidate.GetProperty("recipe").GetString());

        (exit, _, stderr) = await RunCliAsync(["eval", "walkforward", .. month, "--recipe", "magic"]);
        Assert.Equal(2, exit);
        Assert.Contains("magic", stderr);
        (exit, _, stderr) = await RunCliAsync("eval", "walkforward", "--data", data, "--sentiment", "vibes");
        Assert.Equal(2, exit);
        Assert.Contains("vibes", stderr);
    }

    [SharedDataFact("stocknet")]
    public async Task A_start_with_too_little_history_to_fit_on_exits_2()
    {
        var (exit, _, stderr) = await RunCliAsync("eval", "walkforward", "--data", SharedData.Path("stocknet"), "--from", "2014-03-01", "--to", "2014-04-01", "--bag", "1");
        Assert.Equal(2, exit);
        Assert.Contains("start the walk-forward later", stderr);
    }

    [Theory]
    [InlineData("--bag", "0", "--bag must be between 1 and 64")]
    [InlineData("--from", "2015-13-01", "--from")]
    [InlineData("--to", "2014-01-01", "must be after")]
    public async Task Bad_arguments_exit_2_before_any_training(string option, string value, string expected)
    {
        var (exit, _, stderr) = await RunCliAsync("eval", "walkforward", "--data", "/nonexistent", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [SharedDataFact("stocknet")]
    public async Task An_out_file_that_cannot_be_written_exits_2()
    {
        var (exit, _, stderr) = await RunCliAsync("eval", "walkforward", "--data", SharedData.Path("stocknet"), "--from", "2015-09-01", "--to", "2015-10-01",
            "--bag", "1", "--sentiment", "lexicon", "--out", "/nonexistent/dir/report.json");
        Assert.Equal(2, exit);
        Assert.Contains("--out /nonexistent/dir/report.json", stderr);
    }

    [Fact]
    public async Task A_directory_without_the_stocknet_layout_exits_2()
    {
        var (exit, _, stderr) = await RunCliAsync("eval", "walkforward", "--data", "/nonexistent", "--bag", "1");
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr);
    }
}
