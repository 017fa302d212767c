using System.CommandLine;
using System.Text.Json;
using MarketPulse.Cli;
using MarketPulse.Cli.Commands;

namespace MarketPulse.Cli.Tests;

public sealed class ReplayAndBenchCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([ReplayCommand.Create(), BenchCommands.Create()], args);

    [Theory]
    [InlineData("--data", "/nonexistent/dir", "does not exist")]
    [InlineData("--data", ".", "neither a StockNet directory")]
    public async Task Replay_refuses_a_directory_it_cannot_read_with_exit_2(string option, string value, string message)
    {
        var (exit, stdout, stderr) = await RunCliAsync("replay", option, value);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains(message, stderr);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("fast")]
    public async Task Replay_refuses_a_bad_speed_with_exit_2(string speed)
    {
        var sample = RepoPaths.Sample("stocknet");
        var (exit, _, stderr) = await RunCliAsync("replay", "--data", sample, "--speed", speed);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains("--speed", stderr);
    }

    [Fact]
    public void Replay_arguments_become_a_request_with_max_speed_and_a_day_range()
    {
        var sample = RepoPaths.Sample("stocknet");
        var request = ReplayCommand.BuildRequest(sample, "max", "aapl, msft", "2015-01-02", "2015-02-01", out var format);
        Assert.Equal(MarketPulse.Ingestion.Replay.ReplayTimeline.Format.StockNet, format);
        Assert.True(double.IsPositiveInfinity(request.Speed));
        Assert.Equal(["AAPL", "MSFT"], request.Symbols);
        Assert.Equal((new DateOnly(2015, 1, 2), new DateOnly(2015, 2, 1)), (request.From!.Value, request.To!.Value));
        Assert.Throws<CliInputException>(() => ReplayCommand.BuildRequest(sample, "1", null, "2015-02-01", "2015-01-02", out _));
        Assert.Throws<CliInputException>(() => ReplayCommand.BuildRequest(sample, "1", null, "02/01/2015", null, out _));
    }

    [Fact]
    public async Task Replay_without_a_running_cluster_says_so()
    {
        var sample = RepoPaths.Sample("stocknet");
        var (exit, _, stderr) = await RunCliAsync("replay", "--data", sample, "--gateway-port", "1", "--connect-timeout", "2");
        Assert.Equal(1, exit);
        Assert.Contains("no MarketPulse cluster reachable", stderr);
    }

    [Theory]
    [InlineData("--tickers", "0")]
    [InlineData("--seconds", "0")]
    [InlineData("--batch", "5")]
    [InlineData("--window", "0")]
    [InlineData("--day-ticks", "5")]
    public async Task Bench_pipeline_refuses_bad_arguments_with_exit_2(string option, string value)
    {
        var (exit, _, stderr) = await RunCliAsync("bench", "pipeline", option, value);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains(option, stderr);
    }

    [Fact]
    public async Task Bench_pipeline_drives_the_real_cluster_and_prints_the_contract_json_last()
    {
        var (exit, stdout, _) = await RunCliAsync("bench", "pipeline", "--tickers", "3", "--seconds", "1", "--batch", "300");
        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        foreach (var field in new[] { "ticks_per_sec", "latency_p50_ms", "latency_p99_ms", "working_set_mb" })
            Assert.True(json.GetProperty(field).GetDouble() > 0, field);
        Assert.True(json.GetProperty("latency_p99_ms").GetDouble() >= json.GetProperty("latency_p50_ms").GetDouble());
        Assert.Equal(3, json.GetProperty("tickers").GetInt32());
        Assert.True(json.GetProperty("ticks").GetInt64() >= 300);   // every tick sent was applied (the drain waits for it)
        Assert.True(json.GetProperty("latency_samples").GetInt32() >= 1);
    }

    [Fact]
    public async Task Bench_pipeline_with_short_days_reaches_the_ensembles()
    {
        var (exit, stdout, _) = await RunCliAsync("bench", "pipeline", "--tickers", "2", "--seconds", "1", "--batch", "400", "--day-ticks", "50");
        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        // Every 50 trades close a day: each ticker's ensemble saw (close to) one close per 50 ticks applied.
        Assert.True(json.GetProperty("daily_closes").GetInt64() >= json.GetProperty("ticks").GetInt64() / 50 - 4, stdout);
    }

    [Theory]
    [InlineData("--closes", "5")]
    [InlineData("--tickers", "0")]
    [InlineData("--bucket", "0")]
    public async Task Bench_ensemble_refuses_bad_arguments_with_exit_2(string option, string value)
    {
        var (exit, _, stderr) = await RunCliAsync("bench", "ensemble", option, value);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains(option, stderr);
    }

    [Fact]
    public async Task Bench_ensemble_reports_the_cost_per_close_by_history_size()
    {
        var (exit, stdout, _) = await RunCliAsync("bench", "ensemble", "--closes", "30", "--tickers", "2", "--bucket", "10");
        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.True(json.GetProperty("closes_per_sec").GetDouble() > 0);
        var buckets = json.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal([1, 11, 21], buckets.Select(b => b.GetProperty("closes_from").GetInt32()));
        Assert.Equal([0, 36, 76], buckets.Select(b => b.GetProperty("history_records").GetInt32()));
        Assert.All(buckets, b => Assert.True(b.GetProperty("us_per_close_p99").GetDouble() >= b.GetProperty("us_per_close_p50").GetDouble()));
    }
}
