using System.Text.Json;
using MarketPulse.Cli;
using MarketPulse.Cli.Commands;

namespace MarketPulse.Cli.Tests;

public sealed class EvalForecastsCommandTests
{
    private static readonly string Sample = RepoPaths.Sample("stocknet");

    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([EvalCommands.Create()], args);

    [Fact]
    public async Task Evaluates_the_shipped_forecasts_on_the_sample_against_har_and_ewma_and_writes_every_forecast()
    {
        var outFile = Path.GetTempFileName();
        try
        {
            var (exit, stdout, stderr) = await RunCliAsync("eval", "forecasts", "--data", Sample, "--from", "2015-08-01", "--to", "2015-10-01",
                "--out", outFile, "--direction", "lexicon");
            Assert.True(exit == 0, stderr);
            using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
            var root = json.RootElement;
            var n = root.GetProperty("n").GetInt32();
            Assert.InRange(n, 8 * 40, 8 * 42);   // 8 tickers × the 42 trading days of Aug–Sep 2015 with range
            Assert.InRange(root.GetProperty("days").GetInt32(), 40, 42);
            var vol = root.GetProperty("volatility");
            foreach (var loss in new[] { "qlike", "mse_log" })
                foreach (var who in new[] { "model", "har", "ewma" })
                    Assert.True(vol.GetProperty(loss).GetProperty(who).GetDouble() > 0, $"{loss}.{who}");
            var gain = vol.GetProperty("qlike_gain_vs_har").GetDouble();
            var ci = vol.GetProperty("qlike_gain_vs_har_ci95_days").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.True(ci[0] <= gain && gain <= ci[1], $"{gain} outside [{ci[0]}, {ci[1]}]");
            Assert.Equal(1 - vol.GetProperty("qlike").GetProperty("model").GetDouble() / vol.GetProperty("qlike").GetProperty("har").GetDouble(), gain, 3);
            Assert.InRange(vol.GetProperty("band80_coverage").GetDouble(), 0.5, 1);
            Assert.InRange(vol.GetProperty("band95_coverage").GetDouble(), vol.GetProperty("band80_coverage").GetDouble(), 1);
            var volume = root.GetProperty("volume");
            Assert.True(volume.GetProperty("mse_log").GetProperty("model").GetDouble() > 0);
            Assert.Equal(2, volume.GetProperty("gain_vs_har_ci95_days").GetArrayLength());
            var brier = root.GetProperty("direction").GetProperty("brier");
            Assert.InRange(brier.GetProperty("ensemble").GetDouble(), 0.15, 0.35);
            Assert.InRange(brier.GetProperty("always_rise").GetDouble(), 0.15, 0.35);
            // The five-day horizon beside the next-day fields: the sample ends on 30 September, so the last four days have
            // no complete window and are not scored.
            var five = root.GetProperty("volatility_5d");
            var n5 = five.GetProperty("n").GetInt32();
            Assert.InRange(n5, 8 * 36, 8 * 38);
            foreach (var who in new[] { "model", "har", "ewma" })
                Assert.True(five.GetProperty("qlike").GetProperty(who).GetDouble() > 0, $"volatility_5d.qlike.{who}");
            var gain5 = five.GetProperty("qlike_gain_vs_har").GetDouble();
            var ci5 = five.GetProperty("qlike_gain_vs_har_ci95_days").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.True(ci5[0] <= gain5 && gain5 <= ci5[1], $"{gain5} outside [{ci5[0]}, {ci5[1]}]");
            Assert.Equal(1 - five.GetProperty("qlike").GetProperty("model").GetDouble() / five.GetProperty("qlike").GetProperty("har").GetDouble(), gain5, 1e-3);

            // One line per (symbol, target day), each number recomputable: the band is about the realised close-to-close return.
            var lines = File.ReadAllLines(outFile);
            Assert.Equal(n + vol.GetProperty("skipped_no_range").GetInt32(), lines.Length);
            using var first = JsonDocument.Parse(lines[0]);
            foreach (var key in new[] { "symbol", "target_day", "realized_var", "realized_return", "var_forecast", "var_har", "band80", "band95",
                         "log_volume", "logvol_forecast", "logvol_har", "p_up", "var5_forecast", "var5_har", "realized_var5" })
                Assert.True(first.RootElement.TryGetProperty(key, out _), key);
            var qlike = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.GetProperty("realized_var").GetDouble() > 0)
                .Average(r => r.GetProperty("realized_var").GetDouble() / r.GetProperty("var_forecast").GetDouble()
                    - Math.Log(r.GetProperty("realized_var").GetDouble() / r.GetProperty("var_forecast").GetDouble()) - 1);
            Assert.Equal(vol.GetProperty("qlike").GetProperty("model").GetDouble(), qlike, 5);
            // The five-day QLIKE from the lines; realized_var5 is null where the five sessions are not all in the data.
            var rows = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Contains(rows, r => r.GetProperty("target_day").GetString() == "2015-09-30" && r.GetProperty("realized_var5").ValueKind == JsonValueKind.Null);
            var scored5 = rows.Where(r => r.GetProperty("realized_var5").ValueKind == JsonValueKind.Number).ToList();
            Assert.Equal(n5, scored5.Count);
            var qlike5 = scored5.Average(r => r.GetProperty("realized_var5").GetDouble() / r.GetProperty("var5_forecast").GetDouble()
                - Math.Log(r.GetProperty("realized_var5").GetDouble() / r.GetProperty("var5_forecast").GetDouble()) - 1);
            Assert.Equal(five.GetProperty("qlike").GetProperty("model").GetDouble(), qlike5, 1e-5);
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    [Theory]
    [InlineData("--data", "/no/such/dir", "--from", "2015-08-01", "--to", "2015-10-01", "does not exist")]
    [InlineData("--data", "SAMPLE", "--from", "2015-10-01", "--to", "2015-08-01", "must be after")]
    [InlineData("--data", "SAMPLE", "--from", "2015-13-01", "--to", "2015-10-01", "--from")]
    [InlineData("--data", "SAMPLE", "--from", "2015-08-01", "--to", "2015-10-01", "--walk-forward", "magic", "magic")]
    public async Task Bad_arguments_exit_2_with_a_message(params string[] args)
    {
        var argv = new List<string> { "eval", "forecasts" };
        argv.AddRange(args[..^1].Select(a => a == "SAMPLE" ? Sample : a));
        argv.AddRange(["--direction", "none"]);
        var (exit, _, stderr) = await RunCliAsync([.. argv]);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains(args[^1], stderr);
    }
}
