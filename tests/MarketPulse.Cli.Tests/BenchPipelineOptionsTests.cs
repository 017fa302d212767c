using System.Text.Json;
using System.Xml.Linq;
using MarketPulse.Cli;
using MarketPulse.Cli.Commands;

namespace MarketPulse.Cli.Tests;

/// <summary>
/// Runs only where <c>redis-server</c> (Debian's redis-server) and <c>azurite-queue</c> (npm's azurite) are installed;
/// skipped with that reason otherwise, unless CI is set (then it runs and fails without them).
/// </summary>
public sealed class ClusterBackendsFactAttribute : FactAttribute
{
    public ClusterBackendsFactAttribute()
    {
        var missing = new[] { "redis-server", "azurite-queue" }.Where(b => ClusterBackends.Find(b) is null).ToList();
        if (missing.Count > 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = $"bench pipeline --profile Cluster test skipped: {string.Join(", ", missing)} not installed (apt-get install redis-server; npm install -g azurite)";
    }
}

public sealed class BenchPipelineOptionsTests
{
    private static readonly string[] Contract = ["ticks_per_sec", "latency_p50_ms", "latency_p99_ms", "working_set_mb"];

    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([BenchCommands.Create()], args);

    private static List<JsonElement> JsonLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.TrimStart().StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Theory]
    [InlineData("--tickers", "1,x")]
    [InlineData("--tickers", "100,0")]
    [InlineData("--tickers", "")]
    [InlineData("--rate", "0")]
    [InlineData("--rate", "-5")]
    [InlineData("--soak", "0")]
    [InlineData("--sample-seconds", "0")]
    [InlineData("--calibrate-seconds", "0")]
    [InlineData("--warmup", "-1")]
    [InlineData("--profile", "Mars")]
    [InlineData("--silos", "9")]
    public async Task Bad_values_of_the_new_options_exit_2_naming_the_option(string option, string value)
    {
        var (exit, stdout, stderr) = await RunCliAsync("bench", "pipeline", option, value);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains(option, stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_soak_takes_one_ticker_count()
    {
        var (exit, _, stderr) = await RunCliAsync("bench", "pipeline", "--tickers", "1,2", "--soak", "1");
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains("--soak", stderr);
    }

    [Fact]
    public async Task A_warm_up_is_not_measured()
    {
        var (exit, stdout, stderr) = await RunCliAsync("bench", "pipeline", "--tickers", "2", "--warmup", "1", "--seconds", "1", "--batch", "200");
        Assert.True(exit == 0, stderr);
        var r = Assert.Single(JsonLines(stdout));
        Assert.Equal(1, r.GetProperty("warmup_s").GetDouble());
        Assert.Contains("warming up", stderr);
        // The stage timings start after the warm-up: one acknowledged ingest call per latency sample of the measured run.
        var calls = r.GetProperty("stages").GetProperty("ingest_call").GetProperty("calls").GetInt64();
        Assert.Equal(r.GetProperty("latency_samples").GetInt32(), calls);
        Assert.True(r.GetProperty("ticks").GetInt64() <= calls * 200, $"{r.GetProperty("ticks")} ticks from {calls} calls of 200");
    }

    [Fact]
    public async Task A_sweep_prints_one_result_per_count_with_the_contract_first_then_stages_and_memory()
    {
        var (exit, stdout, stderr) = await RunCliAsync("bench", "pipeline", "--tickers", "1,2", "--seconds", "1", "--batch", "200");
        Assert.True(exit == 0, stderr);
        var results = JsonLines(stdout);
        Assert.Equal(2, results.Count);
        Assert.Equal([1, 2], results.Select(r => r.GetProperty("tickers").GetInt32()));
        foreach (var r in results)
        {
            Assert.Equal(Contract, r.EnumerateObject().Take(4).Select(p => p.Name));
            foreach (var field in Contract) Assert.True(r.GetProperty(field).GetDouble() > 0, field);
            var stages = r.GetProperty("stages");
            foreach (var stage in new[] { "ingest_call", "source_grain", "stream_enqueue", "ingest_to_applied", "ticker_apply", "push" })
                Assert.True(stages.GetProperty(stage).GetProperty("calls").GetInt64() > 0, stage);
            // Streams deliver at least once: every published batch arrives, and what arrives again is counted as a duplicate (and not applied).
            Assert.Equal(stages.GetProperty("batches_published").GetInt64(),
                stages.GetProperty("batches_delivered").GetInt64() - stages.GetProperty("duplicate_batches").GetInt64());
            var memory = r.GetProperty("memory");
            Assert.True(memory.GetProperty("heap_after_full_gc_mb").GetDouble() > 0);
            Assert.True(memory.GetProperty("grains_active").GetProperty("TickerGrain").GetInt32() >= r.GetProperty("tickers").GetInt32());
            Assert.True(memory.GetProperty("grains_active").GetProperty("SentimentGrain").GetInt32() >= r.GetProperty("tickers").GetInt32());
            Assert.Equal(0, r.GetProperty("logs").GetProperty("errors").GetInt64());
            var cdf = r.GetProperty("latency_cdf_ms").EnumerateArray().Select(p => p[1].GetDouble()).ToList();
            Assert.Equal(cdf.Order(), cdf);
        }
    }

    [Fact]
    public async Task A_paced_soak_samples_memory_and_latency_and_reports_the_verdicts()
    {
        var (exit, stdout, stderr) = await RunCliAsync("bench", "pipeline", "--tickers", "2", "--soak", "0.06", "--rate", "2000", "--sample-seconds", "1", "--batch", "100");
        Assert.True(exit == 0, stderr);
        var r = JsonLines(stdout).Single();
        Assert.Equal(2000, r.GetProperty("rate_limit").GetDouble());
        var soak = r.GetProperty("soak");
        var samples = soak.GetProperty("samples").EnumerateArray().ToList();
        Assert.True(samples.Count >= 2, stdout);
        Assert.All(samples, s => Assert.True(s.GetProperty("working_set_mb").GetDouble() > 0));
        // Paced at 2,000 ticks/s: the run must not have gone much faster than asked.
        Assert.True(r.GetProperty("ingest_ticks_per_sec").GetDouble() < 3000, stdout);
        Assert.True(soak.GetProperty("working_set_max_mb").GetDouble() >= soak.GetProperty("working_set_min_mb").GetDouble());
        Assert.Contains(soak.GetProperty("working_set_within_10_percent").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Equal(0, soak.GetProperty("error_log_lines").GetInt64());
    }

    [Fact]
    public async Task The_plot_command_writes_svg_files_with_the_data()
    {
        var dir = Directory.CreateTempSubdirectory("marketpulse-plot-").FullName;
        try
        {
            var lines = new[] { 1, 100, 1000 }.Select(n => JsonSerializer.Serialize(new
            {
                ticks_per_sec = 1000.0 * n,
                latency_p50_ms = 10.0,
                latency_p99_ms = 40.0 + n,
                working_set_mb = 300.0,
                tickers = n,
                profile = "Local",
                day_ticks = 23400,
                latency_cdf_ms = new[] { new[] { 0.5, 10.0 }, new[] { 0.99, 40.0 + n }, new[] { 1.0, 50.0 + n } },
            })).Append(JsonSerializer.Serialize(new
            {
                ticks_per_sec = 5000.0,
                latency_p50_ms = 10.0,
                latency_p99_ms = 40.0,
                working_set_mb = 300.0,
                tickers = 100,
                rate_limit = 5000.0,
                soak = new { samples = new[] { Sample(10, 300), Sample(20, 310), Sample(30, 305) } },
            })).Prepend("starting an in-process silo …");
            var input = Path.Combine(dir, "results.jsonl");
            await File.WriteAllLinesAsync(input, lines);
            var outDir = Path.Combine(dir, "svg");
            var (exit, stdout, stderr) = await RunCliAsync("bench", "plot", "--input", input, "--out", outDir);
            Assert.True(exit == 0, stderr);
            var expected = new[] { "throughput-vs-tickers.svg", "latency-vs-tickers.svg", "latency-cdf.svg", "soak-memory.svg", "soak-latency.svg" };
            Assert.Equal(expected.Order(), Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
            foreach (var name in expected)
            {
                var svg = XDocument.Load(Path.Combine(outDir, name)); // well-formed XML
                Assert.Equal("svg", svg.Root!.Name.LocalName);
                Assert.Contains(svg.Descendants(), e => e.Name.LocalName is "polyline" or "path");
            }
            var throughput = await File.ReadAllTextAsync(Path.Combine(outDir, "throughput-vs-tickers.svg"));
            Assert.Contains("Local", throughput);                  // the legend names the series
            Assert.Contains("1000000", throughput.Replace(",", "").Replace(" ", "")); // an axis label reaches the largest value
            Assert.Contains("working set", await File.ReadAllTextAsync(Path.Combine(outDir, "soak-memory.svg")));
            Assert.Contains("1,000 tickers", await File.ReadAllTextAsync(Path.Combine(outDir, "latency-cdf.svg")));
            Assert.Contains("throughput-vs-tickers.svg", stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        static object Sample(double t, double ws) => new { t_s = t, ticks_per_sec = 5000.0, latency_p50_ms = 10.0, latency_p99_ms = 40.0, working_set_mb = ws, gc_heap_mb = ws / 3, errors = 0 };
    }

    [Theory]
    [InlineData("/nonexistent/results.jsonl")]
    public async Task The_plot_command_refuses_a_missing_input_with_exit_2(string input)
    {
        var (exit, _, stderr) = await RunCliAsync("bench", "plot", "--input", input, "--out", Path.GetTempPath());
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains("--input", stderr);
    }

    [Fact]
    public async Task The_plot_command_refuses_a_file_without_results_with_exit_2()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "no json here\n");
            var (exit, _, stderr) = await RunCliAsync("bench", "plot", "--input", file, "--out", Path.GetTempPath());
            Assert.Equal(CliRunner.BadInput, exit);
            Assert.Contains("--input", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [ClusterBackendsFact]
    public async Task The_cluster_profile_runs_two_silos_on_redis_and_azure_queues()
    {
        var (exit, stdout, stderr) = await RunCliAsync("bench", "pipeline", "--profile", "Cluster", "--tickers", "2", "--seconds", "2", "--batch", "100");
        Assert.True(exit == 0, stderr);
        var r = JsonLines(stdout).Single();
        Assert.Equal("Cluster", r.GetProperty("profile").GetString());
        Assert.Equal(2, r.GetProperty("silos").GetInt32());
        Assert.True(r.GetProperty("ticks").GetInt64() >= 100, stdout);
        Assert.True(r.GetProperty("latency_p99_ms").GetDouble() > 0);
        // The ticks went through Azure Queue streams: the pulling agents read queue messages, not the Local profile's queue grains.
        Assert.DoesNotContain(r.GetProperty("grain_calls").EnumerateObject(), p => p.Name.StartsWith("LocalQueueGrain", StringComparison.Ordinal));
        Assert.Equal(0, r.GetProperty("logs").GetProperty("errors").GetInt64());
    }
}
