using System.CommandLine;
using System.Text.Json;
using MarketPulse.Cli;
using MarketPulse.Cli.Commands;

namespace MarketPulse.Cli.Tests;

public sealed class EvalStockNetCommandTests
{
    private static readonly string Sample = RepoPaths.Sample("stocknet");
    private static readonly string Model = RepoPaths.Path("models", "price.onnx");

    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([EvalCommands.Create()], args);

    [Fact]
    public async Task Evaluates_the_shipped_sample_and_prints_one_json_object_last()
    {
        var (exit, stdout, stderr) = await RunCliAsync("eval", "stocknet", "--data", Sample, "--from", "2015-08-01", "--to", "2015-10-01", "--model", Model);
        Assert.True(exit == 0, stderr);
        var last = stdout.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        var n = root.GetProperty("n").GetInt64();
        Assert.InRange(n, 150, 400);   // 8 tickers × ~41 trading days, about 60 % outside the flat band
        foreach (var key in new[] { "accuracy", "mcc", "brier" }) Assert.True(root.GetProperty(key).ValueKind == JsonValueKind.Number, key);
        var bySignal = root.GetProperty("by_signal");
        foreach (var signal in new[] { "price", "sentiment", "ensemble", "ensemble_hedge", "always_rise", "yesterday", "price_only" })
            Assert.True(bySignal.TryGetProperty(signal, out _), signal);
        Assert.Equal(n, bySignal.GetProperty("ensemble").GetProperty("n").GetInt64());
        Assert.Equal(n, bySignal.GetProperty("ensemble_hedge").GetProperty("n").GetInt64());
        // The stacking model the run ended with learnt from the realised outcomes of the period; its bias stays the base rate's.
        var stacking = root.GetProperty("stacking");
        Assert.True(stacking.GetProperty("outcomes").GetDouble() >= n, "every scored sample's outcome reached the stacker");
        Assert.Equal(Math.Round(Core.Ensemble.LogisticStacking.Logit(Core.Ensemble.SignalMix.AlwaysRise), 4), stacking.GetProperty("bias").GetDouble());
        // The sentiment signal comes from the shipped transformer, whichever version models/ holds.
        using var sentimentCard = JsonDocument.Parse(File.ReadAllText(RepoPaths.Path("models", "sentiment-minilm.json")));
        Assert.Equal(sentimentCard.RootElement.GetProperty("version").GetString(), root.GetProperty("sentiment_scorer").GetString());
        var texts = root.GetProperty("texts");
        Assert.True(texts.GetProperty("kept").GetInt64() > 0 && texts.GetProperty("kept").GetInt64() <= texts.GetProperty("posts").GetInt64());
        Assert.Contains("evaluated", stderr);

        // Day-clustered intervals: the sample's ~41 target days are the clusters; all 8 tickers of a day share the
        // market's move, so resampling days gives a wider accuracy interval than the binomial one over ticker-days.
        Assert.InRange(root.GetProperty("days").GetInt32(), 35, 42);
        var price = bySignal.GetProperty("price");
        var binomial = price.GetProperty("accuracy_ci95").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var byDay = price.GetProperty("accuracy_ci95_days").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var mcc = price.GetProperty("mcc_ci95_days").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(byDay[1] - byDay[0] > binomial[1] - binomial[0], $"day interval [{byDay[0]}, {byDay[1]}] vs binomial [{binomial[0]}, {binomial[1]}]");
        Assert.InRange(price.GetProperty("mcc").GetDouble(), mcc[0], mcc[1]);
        var textHelps = root.GetProperty("comparisons").GetProperty("price-price_only");
        Assert.Equal(n, textHelps.GetProperty("n").GetInt64());
        var diff = textHelps.GetProperty("mcc_diff").GetDouble();
        Assert.Equal(price.GetProperty("mcc").GetDouble() - bySignal.GetProperty("price_only").GetProperty("mcc").GetDouble(), diff, 3);
        var diffCi = textHelps.GetProperty("mcc_diff_ci95_days").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(diffCi[0] <= diff + 1e-4 && diff - 1e-4 <= diffCi[1], $"{diff} outside [{diffCi[0]}, {diffCi[1]}]");
        foreach (var pair in new[] { "ensemble-price", "ensemble-ensemble_hedge", "price-yesterday" })
            Assert.True(root.GetProperty("comparisons").TryGetProperty(pair, out _), pair);
    }

    [Fact]
    public async Task A_stacking_variant_or_sentiment_scorer_outside_the_list_exits_2()
    {
        var (exit, _, stderr) = await RunCliAsync("eval", "stocknet", "--data", Sample, "--from", "2015-08-01", "--to", "2015-10-01", "--model", Model, "--stacking", "magic");
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains("magic", stderr);
        (exit, _, stderr) = await RunCliAsync("eval", "stocknet", "--data", Sample, "--from", "2015-08-01", "--to", "2015-10-01", "--model", Model, "--sentiment", "vibes");
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains("vibes", stderr);
    }

    [Fact]
    public async Task A_period_the_data_does_not_cover_reports_zero_samples()
    {
        var (exit, stdout, stderr) = await RunCliAsync("eval", "stocknet", "--data", Sample, "--from", "2016-01-01", "--to", "2016-04-01", "--model", Model);
        Assert.Equal(0, exit);
        Assert.Equal(0, JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("n").GetInt64());
        Assert.Contains("no StockNet samples", stderr);
    }

    [Theory]
    [InlineData("2015-13-01", "2015-10-01", "--from")]
    [InlineData("2015-10-01", "2015-08-01", "must be after")]
    public async Task Bad_dates_exit_2_with_a_message(string from, string to, string message)
    {
        var (exit, _, stderr) = await RunCliAsync("eval", "stocknet", "--data", Sample, "--from", from, "--to", to, "--model", Model);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public async Task A_directory_without_the_stocknet_layout_exits_2()
    {
        var empty = Directory.CreateTempSubdirectory("mp-empty-").FullName;
        var (exit, _, stderr) = await RunCliAsync("eval", "stocknet", "--data", empty, "--from", "2015-08-01", "--to", "2015-10-01", "--model", Model);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains("price/raw", stderr);
        (exit, _, stderr) = await RunCliAsync("eval", "stocknet", "--data", Path.Combine(empty, "nope"), "--from", "2015-08-01", "--to", "2015-10-01", "--model", Model);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public async Task A_missing_model_exits_2()
    {
        var (exit, _, stderr) = await RunCliAsync("eval", "stocknet", "--data", Sample, "--from", "2015-08-01", "--to", "2015-10-01", "--model", "/nonexistent/price.onnx");
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains("price model not found", stderr);
    }
}
