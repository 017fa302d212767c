using System.Text.Json;
using MarketPulse.Cli;
using MarketPulse.Cli.Commands;

namespace MarketPulse.Cli.Tests;

public sealed class EvalIntradayCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([EvalCommands.Create()], args);

    [SharedDataFact("lean")]
    public async Task Evaluates_next_30_minute_variance_walk_forward_on_the_lean_minute_data_and_writes_every_forecast()
    {
        var outFile = Path.GetTempFileName();
        try
        {
            var (exit, stdout, stderr) = await RunCliAsync("eval", "intraday-volatility", "--data", SharedData.Path("lean"), "--out", outFile);
            Assert.True(exit == 0, stderr);
            using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
            var root = json.RootElement;
            var n = root.GetProperty("n").GetInt32();
            Assert.InRange(n, 100, 31 * 13);   // at most every slot of the 31 symbol-days
            Assert.InRange(root.GetProperty("days").GetInt32(), 3, 13);
            Assert.Equal(31, root.GetProperty("symbol_days").GetInt32());
            foreach (var loss in new[] { "qlike", "mse_log" })
                foreach (var who in new[] { "model", "seasonal_har", "previous_slot" })
                    Assert.True(root.GetProperty(loss).GetProperty(who).GetDouble() > 0, $"{loss}.{who}");
            foreach (var (gainName, baseline) in new[] { ("qlike_gain_vs_seasonal_har", "seasonal_har"), ("qlike_gain_vs_previous_slot", "previous_slot") })
            {
                var gain = root.GetProperty(gainName).GetDouble();
                var ci = root.GetProperty(gainName + "_ci95_days").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Assert.True(ci[0] <= gain && gain <= ci[1], $"{gainName} {gain} outside [{ci[0]}, {ci[1]}]");
                Assert.Equal(1 - root.GetProperty("qlike").GetProperty("model").GetDouble() / root.GetProperty("qlike").GetProperty(baseline).GetDouble(), gain, 3);
            }

            // One line per forecast slot; the scored ones recompute the reported QLIKE.
            var records = File.ReadAllLines(outFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(n + root.GetProperty("no_model_yet").GetInt32() + root.GetProperty("skipped_zero_variance").GetInt32(), records.Count);
            var scored = records.Where(r => r.GetProperty("var_forecast").ValueKind == JsonValueKind.Number && r.GetProperty("realized_var").GetDouble() > 0).ToList();
            Assert.Equal(n, scored.Count);
            var qlike = scored.Average(r => Qlike(r.GetProperty("realized_var").GetDouble(), r.GetProperty("var_forecast").GetDouble()));
            Assert.Equal(root.GetProperty("qlike").GetProperty("model").GetDouble(), qlike, 5);
            Assert.All(records, r => Assert.InRange(r.GetProperty("slot").GetInt32(), 0, 12));
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    [SharedDataFact("lean")]
    public async Task A_forecast_is_the_same_whether_or_not_the_folder_holds_later_days()
    {
        const string last = "20140606";
        var minute = SharedData.Path("lean", "Data", "equity", "usa", "minute");
        var truncated = Directory.CreateTempSubdirectory("lean-truncated-");
        var (full, cut) = (Path.GetTempFileName(), Path.GetTempFileName());
        try
        {
            foreach (var file in Directory.EnumerateFiles(minute, "*_trade.zip", SearchOption.AllDirectories))
            {
                if (string.CompareOrdinal(Path.GetFileName(file)[..8], last) > 0) continue;
                var target = Path.Combine(truncated.FullName, Path.GetRelativePath(minute, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            Assert.Equal(0, (await RunCliAsync("eval", "intraday-volatility", "--data", SharedData.Path("lean"), "--out", full)).Exit);
            Assert.Equal(0, (await RunCliAsync("eval", "intraday-volatility", "--data", truncated.FullName, "--out", cut)).Exit);
            var upTo = File.ReadAllLines(full).Where(l => string.CompareOrdinal(JsonDocument.Parse(l).RootElement.GetProperty("day").GetString()!.Replace("-", ""), last) <= 0).ToList();
            var cutLines = File.ReadAllLines(cut);
            Assert.Equal(upTo, cutLines);
            Assert.Contains(cutLines, l => l.Contains("\"day\":\"2014-06-06\"") && !l.Contains("\"var_forecast\":null"));
        }
        finally
        {
            truncated.Delete(recursive: true);
            File.Delete(full);
            File.Delete(cut);
        }
    }

    [Fact]
    public async Task Bad_input_exits_2_with_a_message()
    {
        var empty = Directory.CreateTempSubdirectory("lean-empty-");
        var broken = Directory.CreateTempSubdirectory("lean-broken-");
        try
        {
            var (exit, _, stderr) = await RunCliAsync("eval", "intraday-volatility", "--data", "/no/such/dir");
            Assert.Equal(CliRunner.BadInput, exit);
            Assert.Contains("does not exist", stderr);

            (exit, _, stderr) = await RunCliAsync("eval", "intraday-volatility", "--data", empty.FullName);
            Assert.Equal(CliRunner.BadInput, exit);
            Assert.Contains("no LEAN minute trade files", stderr);

            var bad = Path.Combine(broken.FullName, "equity", "usa", "minute", "xyz", "20131004_trade.zip");
            Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
            File.WriteAllText(bad, "not a zip");
            (exit, _, stderr) = await RunCliAsync("eval", "intraday-volatility", "--data", broken.FullName);
            Assert.Equal(CliRunner.BadInput, exit);
            Assert.Contains("20131004_trade.zip", stderr);

            (exit, _, stderr) = await RunCliAsync("eval", "intraday-volatility");
            Assert.Equal(CliRunner.BadInput, exit);
            Assert.Contains("--data", stderr);
        }
        finally
        {
            empty.Delete(recursive: true);
            broken.Delete(recursive: true);
        }
    }

    private static double Qlike(double realized, double forecast) => realized / forecast - Math.Log(realized / forecast) - 1;
}
