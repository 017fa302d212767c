using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Market;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Cli.Commands;

/// <summary>The CLI contract's result of <c>bench pipeline</c> (first four fields are the contract; the rest explain them).</summary>
public sealed record PipelineBenchResult(
    [property: JsonPropertyName("ticks_per_sec")] double TicksPerSec,
    [property: JsonPropertyName("latency_p50_ms")] double LatencyP50Ms,
    [property: JsonPropertyName("latency_p99_ms")] double LatencyP99Ms,
    [property: JsonPropertyName("working_set_mb")] double WorkingSetMb,
    [property: JsonPropertyName("tickers")] int Tickers,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("ticks")] long Ticks,
    [property: JsonPropertyName("ingest_ticks_per_sec")] double IngestTicksPerSec,
    [property: JsonPropertyName("latency_samples")] int LatencySamples,
    [property: JsonPropertyName("daily_closes")] long DailyCloses,
    [property: JsonPropertyName("source_grains")] int SourceGrains,
    [property: JsonPropertyName("batch_ticks")] int BatchTicks,
    [property: JsonPropertyName("window")] int Window)
{
    [JsonPropertyName("profile")] public string Profile { get; init; } = "Local";
    [JsonPropertyName("silos")] public int Silos { get; init; } = 1;
    [JsonPropertyName("day_ticks")] public int DayTicks { get; init; }

    /// <summary>Ticks the source grains refused because a stream queue was full (back-pressure), which the drivers sent again.</summary>
    [JsonPropertyName("ticks_sent_again")] public long TicksSentAgain { get; init; }

    /// <summary>The paced rate the drivers aimed at (ticks/s); absent for a closed-loop run (as fast as the window allows).</summary>
    [JsonPropertyName("rate_limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? RateLimit { get; init; }

    /// <summary>How long the same symbols were driven before the measured run (<c>--warmup</c>); absent without one.</summary>
    [JsonPropertyName("warmup_s"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? WarmupSeconds { get; init; }

    [JsonPropertyName("stages")] public PipelineStages? Stages { get; init; }
    [JsonPropertyName("memory")] public PipelineMemory? Memory { get; init; }
    [JsonPropertyName("logs")] public LogCounts? Logs { get; init; }

    /// <summary>[quantile, ms] pairs of the ingest → readable latency, for a CDF plot.</summary>
    [JsonPropertyName("latency_cdf_ms")] public double[][]? LatencyCdfMs { get; init; }

    /// <summary>Every grain method the silo served: calls and time per call (the stages above are picked from these).</summary>
    [JsonPropertyName("grain_calls")] public SortedDictionary<string, StageTiming>? GrainCalls { get; init; }

    [JsonPropertyName("soak"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SoakReport? Soak { get; init; }
}

/// <summary>
/// Where a batch's time goes, hop by hop: the driver's ingest call (validation and queueing, acknowledged), the source
/// grain's turn, the stream's queue (ingest → applied by the ticker, as the ticker records it in
/// <c>marketpulse.pipeline.latency</c>), the ticker's turn for a delivered batch, the one-way push to the watch grain, the
/// snapshot reads, the ensemble's calls.
/// </summary>
public sealed record PipelineStages(
    [property: JsonPropertyName("ingest_call")] StageTiming? IngestCall,
    [property: JsonPropertyName("source_grain")] StageTiming? SourceGrain,
    [property: JsonPropertyName("stream_enqueue")] StageTiming? StreamEnqueue,
    [property: JsonPropertyName("ingest_to_applied")] StageTiming? IngestToApplied,
    [property: JsonPropertyName("ticker_apply")] StageTiming? TickerApply,
    [property: JsonPropertyName("push")] StageTiming? Push,
    [property: JsonPropertyName("snapshot")] StageTiming? Snapshot,
    [property: JsonPropertyName("ensemble")] StageTiming? Ensemble,
    [property: JsonPropertyName("batches_published")] long BatchesPublished,
    [property: JsonPropertyName("batches_delivered")] long BatchesDelivered,
    [property: JsonPropertyName("duplicate_batches")] long DuplicateBatches,
    [property: JsonPropertyName("predictions_emitted")] long PredictionsEmitted);

/// <summary>
/// The process's memory: working set and GC heap at the end of the drive, then the heap after a full compacting GC with
/// every ticker, sentiment and ensemble grain active, minus the same measured before the first tick (silo started,
/// driver state allocated), per ticker; and the same less the stream provider's cache (Orleans' block pool for
/// the pulling agents' caches, which keep recent batches for a time whatever the number of tickers).
/// </summary>
public sealed record PipelineMemory(
    [property: JsonPropertyName("working_set_mb")] double WorkingSetMb,
    [property: JsonPropertyName("gc_heap_mb")] double GcHeapMb,
    [property: JsonPropertyName("gc_committed_mb")] double GcCommittedMb,
    [property: JsonPropertyName("baseline_heap_mb")] double BaselineHeapMb,
    [property: JsonPropertyName("heap_after_full_gc_mb")] double HeapAfterFullGcMb,
    [property: JsonPropertyName("bytes_per_ticker")] double BytesPerTicker,
    [property: JsonPropertyName("bytes_per_ticker_without_stream_cache")] double BytesPerTickerWithoutStreamCache,
    [property: JsonPropertyName("stream_cache_mb")] double StreamCacheMb,
    [property: JsonPropertyName("stream_cache")] SortedDictionary<string, long> StreamCache,
    [property: JsonPropertyName("grains_active")] SortedDictionary<string, int> GrainsActive,
    [property: JsonPropertyName("allocated_bytes_per_tick")] double AllocatedBytesPerTick,
    [property: JsonPropertyName("gc_gen0")] int Gen0,
    [property: JsonPropertyName("gc_gen1")] int Gen1,
    [property: JsonPropertyName("gc_gen2")] int Gen2,
    [property: JsonPropertyName("gc_pause_percent")] double GcPausePercent,
    [property: JsonPropertyName("server_gc")] bool ServerGc);

public sealed record LogCounts(
    [property: JsonPropertyName("warnings")] long Warnings,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("first_errors")] IReadOnlyList<string> FirstErrors);

public sealed record SoakSample(
    [property: JsonPropertyName("t_s")] double TSeconds,
    [property: JsonPropertyName("ticks_per_sec")] double TicksPerSec,
    [property: JsonPropertyName("latency_p50_ms")] double P50Ms,
    [property: JsonPropertyName("latency_p99_ms")] double P99Ms,
    [property: JsonPropertyName("working_set_mb")] double WorkingSetMb,
    [property: JsonPropertyName("gc_heap_mb")] double GcHeapMb,
    [property: JsonPropertyName("errors")] long Errors);

public sealed record SoakReport(
    [property: JsonPropertyName("minutes")] double Minutes,
    [property: JsonPropertyName("rate")] double Rate,
    [property: JsonPropertyName("calibration_ticks_per_sec")] double? CalibrationTicksPerSec,
    [property: JsonPropertyName("sample_seconds")] double SampleSeconds,
    [property: JsonPropertyName("warmup_seconds")] double WarmupSeconds,
    [property: JsonPropertyName("working_set_min_mb")] double WorkingSetMinMb,
    [property: JsonPropertyName("working_set_max_mb")] double WorkingSetMaxMb,
    [property: JsonPropertyName("working_set_within_10_percent")] bool WorkingSetFlat,
    [property: JsonPropertyName("p99_first_third_ms")] double P99FirstThirdMs,
    [property: JsonPropertyName("p99_last_third_ms")] double P99LastThirdMs,
    [property: JsonPropertyName("p99_slope_ms_per_min")] double P99SlopeMsPerMin,
    [property: JsonPropertyName("heap_after_full_gc_warm_mb")] double HeapWarmMb,
    [property: JsonPropertyName("heap_after_full_gc_end_mb")] double HeapEndMb,
    [property: JsonPropertyName("heap_growth_bytes_per_ticker")] double HeapGrowthPerTicker,
    [property: JsonPropertyName("error_log_lines")] long Errors,
    [property: JsonPropertyName("warning_log_lines")] long Warnings,
    [property: JsonPropertyName("samples")] IReadOnlyList<SoakSample> Samples);

/// <summary>What to run: one count, or a sweep, in the Local or the Cluster profile, closed-loop or paced, or a soak.</summary>
public sealed record PipelineBenchOptions(
    IReadOnlyList<int> Tickers, TimeSpan Duration, int BatchTicks, int Window, int DayTicks,
    double? Rate = null, double? SoakMinutes = null, double SampleSeconds = 10, double CalibrationSeconds = 10,
    bool Cluster = false, int Silos = 2, string? Redis = null, string? Queues = null, string? PlotDirectory = null,
    double WarmupSeconds = 0);

/// <summary>
/// <c>marketpulse bench pipeline --tickers N --seconds S</c>: a real silo in this process (the service's memory providers
/// and grain services), driven with synthetic trades for N symbols through source grains → per-ticker streams →
/// ticker grains → ensemble grains. Each symbol's clock advances one second per trade through regular sessions of the
/// US calendar, so a day closes every 23,400 trades (a liquid stock's order of magnitude; <c>--day-ticks</c> makes days shorter) and the ensembles work too. Latency is from the ingest call to the
/// moment the ticker's snapshot (which carries the live price prediction) includes the tick; ticks_per_sec counts ticks
/// applied by the tickers over the time until the last one was. <c>--tickers 1,100,1000</c> runs one fresh silo per count
/// and prints one JSON line each; <c>--soak MINUTES</c> paces the drivers and samples memory and latency;
/// <c>--profile Cluster</c> runs two silos on Redis and Azure Queue streams.
/// </summary>
public static class BenchPipelineCommand
{
    public static Command Create()
    {
        var tickers = new Option<string>("--tickers") { DefaultValueFactory = _ => "100", Description = "Number of symbols (1–100000), or a comma-separated list for a sweep (one run and one JSON line per count)." };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 10, Description = "How long to drive ticks (0 < S ≤ 3600)." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 2000, Description = "Ticks per ingest call (10–100000)." };
        var window = new Option<int>("--window") { DefaultValueFactory = _ => 4, Description = "Batches per driver queued but not yet applied (1–1000)." };
        var dayTicks = new Option<int>("--day-ticks") { DefaultValueFactory = _ => 23_400, Description = "Trades per regular 6.5 h session, i.e. how often a day closes (10–23400; 390 = one trade a minute)." };
        var rate = new Option<double?>("--rate") { Description = "Pace the drivers at this many ticks/s in all (> 0). With --soak the default is half of a closed-loop calibration run's rate." };
        var soak = new Option<double?>("--soak") { Description = "Soak: drive for MINUTES (0 < M ≤ 1440) at --rate, sampling memory, latency and throughput; replaces --seconds." };
        var sample = new Option<double>("--sample-seconds") { DefaultValueFactory = _ => 10, Description = "Soak sampling period (1–600 s)." };
        var calibrate = new Option<double>("--calibrate-seconds") { DefaultValueFactory = _ => 10, Description = "Length of the soak's closed-loop calibration run when --rate is not given (1–600 s)." };
        var profile = new Option<string>("--profile") { DefaultValueFactory = _ => "Local", Description = "Local (memory streams and storage, one silo) or Cluster (Redis membership and storage, Azure Queue streams, write-through state, --silos silos)." };
        var silos = new Option<int>("--silos") { DefaultValueFactory = _ => 2, Description = "Silos in this process for --profile Cluster (1–4)." };
        var redis = new Option<string?>("--redis") { Description = "Cluster profile: a running Redis (host:port); default: start redis-server on a free port." };
        var queues = new Option<string?>("--queues") { Description = "Cluster profile: a running Azure Queue service's connection string; default: start azurite-queue on a free port." };
        var warmup = new Option<double>("--warmup") { DefaultValueFactory = _ => 0, Description = "Drive the same symbols closed-loop for SECONDS first (0–600) and measure after it: every grain active, the runtime's JIT tiering done. The memory baseline is taken before it." };
        var plot = new Option<string?>("--plot") { Description = "Also write SVG plots of the results into this directory (see bench plot)." };
        var command = new Command("pipeline", "Drive synthetic ticks through a real in-process cluster and report throughput, latency, a breakdown per stage and memory.");
        foreach (var o in new Option[] { tickers, seconds, batch, window, dayTicks, rate, soak, sample, calibrate, warmup, profile, silos, redis, queues, plot }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var counts = ParseTickers(parse.GetValue(tickers));
            var s = parse.GetValue(seconds);
            var b = parse.GetValue(batch);
            if (!(s > 0 && s <= 3600)) throw new CliInputException($"--seconds: expected a number in (0, 3600], got {s}");
            if (b is < 10 or > 100_000) throw new CliInputException($"--batch: expected 10–100000, got {b}");
            var w = parse.GetValue(window);
            if (w is < 1 or > 1000) throw new CliInputException($"--window: expected 1–1000, got {w}");
            var dt = parse.GetValue(dayTicks);
            if (dt is < 10 or > 23_400) throw new CliInputException($"--day-ticks: expected 10–23400, got {dt}");
            var r = parse.GetValue(rate);
            if (r is { } rv && !(rv > 0 && double.IsFinite(rv))) throw new CliInputException($"--rate: expected a positive number of ticks/s, got {rv}");
            var m = parse.GetValue(soak);
            if (m is { } mv && !(mv > 0 && mv <= 1440)) throw new CliInputException($"--soak: expected minutes in (0, 1440], got {mv}");
            if (m is not null && counts.Count > 1) throw new CliInputException("--soak: runs one ticker count; give --tickers a single number");
            var ss = parse.GetValue(sample);
            if (!(ss >= 1 && ss <= 600)) throw new CliInputException($"--sample-seconds: expected 1–600, got {ss}");
            var cs = parse.GetValue(calibrate);
            if (!(cs >= 1 && cs <= 600)) throw new CliInputException($"--calibrate-seconds: expected 1–600, got {cs}");
            var wu = parse.GetValue(warmup);
            if (!(wu >= 0 && wu <= 600)) throw new CliInputException($"--warmup: expected 0–600 seconds, got {wu}");
            var p = parse.GetValue(profile);
            var cluster = p?.ToLowerInvariant() switch
            {
                "local" => false,
                "cluster" => true,
                _ => throw new CliInputException($"--profile: expected Local or Cluster, got '{p}'"),
            };
            var n = parse.GetValue(silos);
            if (n is < 1 or > 4) throw new CliInputException($"--silos: expected 1–4, got {n}");
            var plotDir = parse.GetValue(plot);
            if (plotDir is { Length: 0 }) throw new CliInputException("--plot: expected a directory");
            var options = new PipelineBenchOptions(counts, TimeSpan.FromSeconds(s), b, w, dt, r, m, ss, cs, cluster, n, parse.GetValue(redis), parse.GetValue(queues), plotDir, wu);
            var output = parse.InvocationConfiguration.Output;
            var results = new List<PipelineBenchResult>();
            foreach (var count in counts)
            {
                var result = await RunAsync(count, options, parse.InvocationConfiguration.Error, ct);
                results.Add(result);
                await output.WriteLineAsync(JsonSerializer.Serialize(result));
                await output.FlushAsync(ct);
            }
            if (plotDir is not null)
                foreach (var file in BenchPlot.Write(results.Select(x => JsonSerializer.SerializeToElement(x)).ToList(), plotDir))
                    parse.InvocationConfiguration.Error.WriteLine($"wrote {file}");
            return 0;
        });
        return command;
    }

    /// <summary>"100" or "1,100,1000": each count 1–100000.</summary>
    public static IReadOnlyList<int> ParseTickers(string? value)
    {
        var parts = (value ?? "").Split(',', StringSplitOptions.TrimEntries);
        var counts = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 100_000)
                throw new CliInputException($"--tickers: expected a count 1–100000 or a comma-separated list of them, got '{value}'");
            counts.Add(n);
        }
        return counts;
    }

    /// <summary>One closed-loop run in the Local profile (what the earlier contract ran).</summary>
    public static Task<PipelineBenchResult> RunAsync(int tickers, TimeSpan duration, int batchTicks, int window, TextWriter progress, CancellationToken ct = default,
        int dayTicks = 23_400) =>
        RunAsync(tickers, new PipelineBenchOptions([tickers], duration, batchTicks, window, dayTicks), progress, ct);

    public static async Task<PipelineBenchResult> RunAsync(int tickers, PipelineBenchOptions options, TextWriter progress, CancellationToken ct = default)
    {
        var timer = new GrainCallTimer();
        var logs = new LogLineCounter();
        await using var backends = options.Cluster ? await ClusterBackends.StartAsync(options.Redis, options.Queues, progress, ct) : null;
        var hosts = options.Cluster
            ? Enumerable.Range(0, options.Silos).Select(_ => BuildClusterSilo(backends!, timer, logs)).ToList()
            : [BuildSilo(timer, logs)];
        progress.WriteLine(options.Cluster
            ? $"starting {hosts.Count} silos on Redis {backends!.Redis} and Azure Queue streams …"
            : "starting an in-process silo …");
        using var meters = new PipelineMeterReader([.. hosts.Select(h => h.Services.GetRequiredService<IMeterFactory>())]);
        try
        {
            foreach (var h in hosts) await h.StartAsync(ct);
            var grains = hosts[0].Services.GetRequiredService<IGrainFactory>();
            var step = TimeSpan.FromTicks(TimeSpan.FromHours(6.5).Ticks / options.DayTicks);
            var feeds = Enumerable.Range(0, tickers).Select(i => new SymbolFeed($"B{i:D5}", i, step)).ToArray();
            await WarmUpAsync(grains, ct);
            var baselineHeap = FullGcHeap();

            // A drive that is not measured (the warm-up, a soak's calibration): the call timings and the pipeline's
            // counts start again after it, and its daily closes (the ensembles count them since activation) are not
            // the measured run's.
            long unmeasuredCloses = 0;
            async Task<Drive> UnmeasuredAsync(double seconds)
            {
                var run = await DriveAsync(grains, feeds, TimeSpan.FromSeconds(seconds), options, null, null, progress, ct);
                unmeasuredCloses = run.Result.DailyCloses;
                timer.Reset();
                meters.Reset();
                return run;
            }

            if (options.WarmupSeconds > 0)
            {
                progress.WriteLine($"warming up: {options.WarmupSeconds:F0} s closed-loop …");
                var warm = await UnmeasuredAsync(options.WarmupSeconds);
                progress.WriteLine($"warm-up: {warm.TicksPerSec:N0} ticks/s");
            }

            double? calibration = null;
            var rate = options.Rate;
            if (options.SoakMinutes is not null && rate is null)
            {
                progress.WriteLine($"calibrating: {options.CalibrationSeconds:F0} s closed-loop …");
                var cal = await UnmeasuredAsync(options.CalibrationSeconds);
                calibration = cal.TicksPerSec;
                rate = Math.Max(1, Math.Round(cal.TicksPerSec / 2));
                progress.WriteLine($"calibration: {cal.TicksPerSec:N0} ticks/s; soaking at {rate:N0} ticks/s");
            }
            var soak = options.SoakMinutes is { } minutes ? new SoakRecorder(options.SampleSeconds, minutes, logs) : null;
            var duration = options.SoakMinutes is { } min ? TimeSpan.FromMinutes(min) : options.Duration;

            var allocatedBefore = GC.GetTotalAllocatedBytes(false);
            var pauseBefore = GC.GetTotalPauseDuration();
            int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
            var drive = await DriveAsync(grains, feeds, duration, options, rate, soak, progress, ct);
            var allocated = GC.GetTotalAllocatedBytes(false) - allocatedBefore;
            var pause = GC.GetTotalPauseDuration() - pauseBefore;
            int d0 = GC.CollectionCount(0) - g0, d1 = GC.CollectionCount(1) - g1, d2 = GC.CollectionCount(2) - g2;
            var workingSet = Process.GetCurrentProcess().WorkingSet64 / MB;
            var gcInfo = GC.GetGCMemoryInfo();
            var heapNow = GC.GetTotalMemory(false) / MB;

            // Every ticker's sentiment and ensemble grain active too, then the heap after a full compacting GC.
            foreach (var chunk in feeds.Chunk(500))
                await Task.WhenAll(chunk.Select(f => Task.WhenAll(
                    grains.GetGrain<ISentimentGrain>(f.Symbol).GetSnapshotAsync(),
                    grains.GetGrain<IEnsembleGrain>(f.Symbol).GetSnapshotAsync())));
            var heapAfter = FullGcHeap();
            var cache = meters.StreamCache();
            // Blocks the pulling agents' caches hold now: allocated to them less released back by purges (cumulative counters).
            var cacheBytes = cache.GetValueOrDefault("orleans-streams-block-pool-allocated-memory") - cache.GetValueOrDefault("orleans-streams-block-pool-released-memory");
            var active = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var stat in await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
            {
                var type = stat.GrainType.Split(',')[0];
                var name = type[(type.LastIndexOf('.') + 1)..];
                active[name] = active.GetValueOrDefault(name) + stat.ActivationCount;
            }
            var memory = new PipelineMemory(Math.Round(workingSet, 1), Math.Round(heapNow, 1), Math.Round(gcInfo.TotalCommittedBytes / MB, 1),
                Math.Round(baselineHeap / MB, 1), Math.Round(heapAfter / MB, 1), Math.Round((heapAfter - baselineHeap) / (double)tickers, 0),
                Math.Round((heapAfter - baselineHeap - cacheBytes) / (double)tickers, 0), Math.Round(cacheBytes / MB, 1), cache, active,
                drive.Ticks == 0 ? 0 : Math.Round(allocated / (double)drive.Ticks, 1), d0, d1, d2,
                Math.Round(100 * pause.TotalSeconds / drive.Seconds, 2), GCSettings.IsServerGC);

            var calls = timer.ByKey();
            StageTiming? Pick(Func<string, bool> match)
            {
                var picked = calls.Where(kv => match(kv.Key)).Select(kv => kv.Value).ToList();
                if (picked.Count == 0) return null;
                if (picked.Count == 1) return StageTiming.Of(picked[0]);
                var sum = picked.Aggregate(new long[picked[0].Snapshot().Length], (acc, h) => acc.Zip(h.Snapshot(), (a, c) => a + c).ToArray());
                return new StageTiming(picked.Sum(h => h.Count), Math.Round(LogHistogram.QuantileMs(sum, 0.5), 3), Math.Round(LogHistogram.QuantileMs(sum, 0.99), 3),
                    Math.Round(picked.Sum(h => h.TotalSeconds), 3));
            }
            var stages = new PipelineStages(
                StageTiming.Of(drive.IngestCalls),
                Pick(k => k.StartsWith("MarketSourceGrain.Ingest", StringComparison.Ordinal)),
                Pick(k => k.EndsWith(".QueueMessageBatchAsync", StringComparison.Ordinal) || k.StartsWith("LocalQueueGrain.Enqueue", StringComparison.Ordinal)),
                StageTiming.Of(meters.IngestToApplied),
                Pick(k => k.StartsWith("TickerGrain.Deliver", StringComparison.Ordinal)),
                Pick(k => k.StartsWith("SymbolWatchGrain.OnTickerChanged", StringComparison.Ordinal)),
                Pick(k => k == "TickerGrain.GetSnapshotAsync"),
                Pick(k => k.StartsWith("EnsembleGrain.", StringComparison.Ordinal) || k.StartsWith("EnsemblePoolGrain.", StringComparison.Ordinal)),
                meters.BatchesPublished, meters.BatchesDelivered, meters.DuplicateBatches, meters.PredictionsEmitted);
            var grainCalls = new SortedDictionary<string, StageTiming>(
                calls.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => StageTiming.Of(kv.Value)!), StringComparer.Ordinal);

            return drive.Result with
            {
                DailyCloses = drive.Result.DailyCloses - unmeasuredCloses,
                WarmupSeconds = options.WarmupSeconds > 0 ? options.WarmupSeconds : null,
                WorkingSetMb = Math.Round(workingSet, 1),
                Profile = options.Cluster ? "Cluster" : "Local",
                Silos = hosts.Count,
                DayTicks = options.DayTicks,
                RateLimit = rate,
                Stages = stages,
                Memory = memory,
                Logs = new LogCounts(logs.Warnings, logs.Errors, logs.FirstErrors),
                LatencyCdfMs = drive.Cdf,
                GrainCalls = grainCalls,
                Soak = soak?.Report(rate!.Value, calibration, heapAfter, tickers),
            };
        }
        finally
        {
            foreach (var h in Enumerable.Reverse(hosts))
            {
                try { await h.StopAsync(CancellationToken.None); }
                catch (Exception ex) { progress.WriteLine($"silo stop: {ex.GetType().Name}: {ex.Message}"); }
                h.Dispose();
            }
        }
    }

    private const double MB = 1024.0 * 1024.0;

    /// <summary>
    /// One symbol outside the measured set through every stage first, with days of 100 trades so it reaches daily closes,
    /// the ensembles and the models: what loads or compiles once per process is then in the memory baseline, not in
    /// the first measured tickers' share.
    /// </summary>
    private static async Task WarmUpAsync(IGrainFactory grains, CancellationToken ct)
    {
        var feed = new SymbolFeed("W0000", 0, TimeSpan.FromTicks(TimeSpan.FromHours(6.5).Ticks / 100));
        var source = grains.GetGrain<IMarketSourceGrain>("bench-warmup");
        for (var k = 0; k < 5; k++) await source.IngestTicksAsync(Enumerable.Range(0, 100).Select(_ => feed.Next()).ToList());
        var ticker = grains.GetGrain<ITickerGrain>(feed.Symbol);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await ticker.GetSnapshotAsync()).TicksApplied < feed.Sent && DateTime.UtcNow < deadline) await Task.Delay(10, ct);
        await grains.GetGrain<ISentimentGrain>(feed.Symbol).GetSnapshotAsync();
        await grains.GetGrain<IEnsembleGrain>(feed.Symbol).GetSnapshotAsync();
    }

    internal static long FullGcHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(false);
    }

    private static IHost BuildSilo(GrainCallTimer timer, LogLineCounter logs) =>
        BenchSilo.Build(silo => silo.AddIncomingGrainCallFilter(timer), logs);

    private static IHost BuildClusterSilo(ClusterBackends backends, GrainCallTimer timer, LogLineCounter logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        BenchSilo.RequireModels();
        int siloPort = BenchSilo.FreePort(), gatewayPort = BenchSilo.FreePort();
        builder.UseOrleans(silo =>
        {
            backends.Configure(silo, siloPort, gatewayPort);
            silo.AddIncomingGrainCallFilter(timer);
        });
        // As the service's Cluster profile: a ticker's state is written before its batch is acknowledged to the stream.
        builder.Services.AddMarketPulseGrainServices(builder.Configuration, writeThroughByDefault: true);
        return builder.Build();
    }

    private sealed class SymbolFeed(string symbol, int seed, TimeSpan step)
    {
        private readonly Random _random = new(seed);
        private double _price = 100;
        private DateTime _time = ExchangeCalendar.UsEquities.Sessions(new DateOnly(2000, 1, 3))!.Value.OpenUtc;
        private DateTime _close = ExchangeCalendar.UsEquities.CloseUtc(new DateOnly(2000, 1, 3));
        public string Symbol { get; } = symbol;
        public long Sent;

        public MarketTick Next()
        {
            _price *= 1 + 0.0005 * (_random.NextDouble() * 2 - 1);
            // The price to 4 decimals as an integer number of 1/10,000ths: converting and rounding a double as a decimal
            // cost the driver, which shares the cores with the pipeline it measures, more than building the trade did.
            var units = (long)Math.Round(_price * 10_000);
            var tick = new MarketTick(Symbol, _time, new decimal((int)units, (int)(units >> 32), 0, false, 4), 100, null, null, "bench", ++Sent);
            _time += step;
            if (_time >= _close)
            {
                var cal = ExchangeCalendar.UsEquities;
                var next = cal.NextTradingDay(cal.TradingDay(_close));
                _time = cal.Sessions(next)!.Value.OpenUtc;
                _close = cal.CloseUtc(next);
            }
            return tick;
        }
    }

    private sealed record Drive(PipelineBenchResult Result, double TicksPerSec, long Ticks, double Seconds, LogHistogram IngestCalls, double[][] Cdf);

    /// <summary>Per-interval samples of a soak: throughput, latency, memory, errors.</summary>
    private sealed class SoakRecorder(double sampleSeconds, double minutes, LogLineCounter logs)
    {
        public readonly LogHistogram Latency = new();
        public readonly List<SoakSample> Samples = [];
        public double SampleSeconds => sampleSeconds;
        public double WarmupSeconds { get; } = Math.Min(120, minutes * 60 * 0.2);
        public double? HeapWarm;

        public async Task RunAsync(Func<long> ingested, Stopwatch watch, CancellationToken stop, TextWriter progress)
        {
            var lastCounts = Latency.Snapshot();
            long lastTicks = ingested();
            var lastT = watch.Elapsed.TotalSeconds;
            var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(sampleSeconds), stop); }
                catch (OperationCanceledException) { break; }
                var t = watch.Elapsed.TotalSeconds;
                if (HeapWarm is null && t >= WarmupSeconds) HeapWarm = FullGcHeap();
                var counts = Latency.Snapshot();
                var delta = LogHistogram.Minus(counts, lastCounts);
                var ticks = ingested();
                process.Refresh();
                var sample = new SoakSample(Math.Round(t, 1), Math.Round((ticks - lastTicks) / (t - lastT), 1),
                    Math.Round(LogHistogram.QuantileMs(delta, 0.5), 2), Math.Round(LogHistogram.QuantileMs(delta, 0.99), 2),
                    Math.Round(process.WorkingSet64 / MB, 1), Math.Round(GC.GetTotalMemory(false) / MB, 1), logs.Errors);
                Samples.Add(sample);
                progress.WriteLine($"soak {sample.TSeconds,7:F0} s: {sample.TicksPerSec,10:N0} ticks/s, p50 {sample.P50Ms} ms, p99 {sample.P99Ms} ms, working set {sample.WorkingSetMb} MB, heap {sample.GcHeapMb} MB, errors {sample.Errors}");
                (lastCounts, lastTicks, lastT) = (counts, ticks, t);
            }
        }

        public SoakReport Report(double rate, double? calibration, long heapEnd, int n)
        {
            var warm = Samples.Where(s => s.TSeconds >= WarmupSeconds).ToList();
            if (warm.Count == 0) warm = Samples.ToList();
            double wsMin = warm.Count == 0 ? 0 : warm.Min(s => s.WorkingSetMb), wsMax = warm.Count == 0 ? 0 : warm.Max(s => s.WorkingSetMb);
            var p99 = warm.Where(s => double.IsFinite(s.P99Ms)).ToList();
            double Median(IEnumerable<double> xs) { var a = xs.Order().ToArray(); return a.Length == 0 ? double.NaN : a[a.Length / 2]; }
            var third = Math.Max(1, p99.Count / 3);
            var slope = double.NaN;
            if (p99.Count >= 2)
            {
                double mx = p99.Average(s => s.TSeconds), my = p99.Average(s => s.P99Ms);
                var sxx = p99.Sum(s => (s.TSeconds - mx) * (s.TSeconds - mx));
                slope = sxx == 0 ? 0 : 60 * p99.Sum(s => (s.TSeconds - mx) * (s.P99Ms - my)) / sxx;
            }
            var warmHeap = HeapWarm ?? heapEnd;
            return new SoakReport(minutes, rate, calibration, sampleSeconds, Math.Round(WarmupSeconds, 1), wsMin, wsMax,
                wsMax <= wsMin * 1.10, Math.Round(Median(p99.Take(third).Select(s => s.P99Ms)), 2), Math.Round(Median(p99.TakeLast(third).Select(s => s.P99Ms)), 2),
                Math.Round(slope, 3), Math.Round(warmHeap / MB, 1), Math.Round(heapEnd / MB, 1), Math.Round((heapEnd - warmHeap) / (double)n, 1),
                logs.Errors, logs.Warnings, Samples);
        }
    }

    private static async Task<Drive> DriveAsync(IGrainFactory grains, SymbolFeed[] feeds, TimeSpan duration, PipelineBenchOptions options, double? rate,
        SoakRecorder? soak, TextWriter progress, CancellationToken ct)
    {
        var tickers = feeds.Length;
        int batchTicks = options.BatchTicks, window = options.Window;
        // Several source grains, each owning a fixed share of the symbols: validation runs in parallel and each
        // symbol still goes through one grain, in order.
        var sources = Math.Clamp(Environment.ProcessorCount * 2, 1, tickers);
        var latencies = new ConcurrentBag<double>();
        var ingestCalls = new LogHistogram();
        long ingested = 0, retried = 0;
        var sentBefore = feeds.Sum(f => f.Sent);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        progress.WriteLine($"driving {tickers} tickers through {sources} source grains for {duration.TotalSeconds:F0} s{(rate is { } r0 ? $" at {r0:N0} ticks/s" : "")} …");
        var watch = Stopwatch.StartNew();
        stop.CancelAfter(duration);
        var sampler = soak?.RunAsync(() => Interlocked.Read(ref ingested), watch, stop.Token, progress) ?? Task.CompletedTask;
        var perDriverRate = rate / sources;

        // Closed loop: each driver has at most `window` batches that are queued but not yet readable in their ticker; a
        // confirmer per driver watches the oldest one and records its latency. Without the window an open-loop driver
        // only measures how long a queue it overfilled takes to drain. With a rate, a driver also waits for its schedule.
        var drivers = Enumerable.Range(0, sources).Select(p => Task.Run(async () =>
        {
            var mine = feeds.Where((_, i) => i % sources == p).ToArray();
            var source = grains.GetGrain<IMarketSourceGrain>($"bench-{p}");
            var perSymbol = Math.Max(1, batchTicks / mine.Length);
            var outstanding = Channel.CreateBounded<(string Symbol, long Count, long Start)>(window);
            var confirmer = Task.Run(async () =>
            {
                await foreach (var probe in outstanding.Reader.ReadAllAsync(CancellationToken.None))
                {
                    var ticker = grains.GetGrain<ITickerGrain>(probe.Symbol);
                    while ((await ticker.GetSnapshotAsync()).TicksApplied < probe.Count) await Task.Delay(1, CancellationToken.None);
                    var ms = Stopwatch.GetElapsedTime(probe.Start).TotalMilliseconds;
                    latencies.Add(ms);
                    soak?.Latency.RecordMs(ms);
                }
            });
            var cursor = 0;
            long sent = 0;
            while (!stop.IsCancellationRequested)
            {
                if (perDriverRate is { } pace)
                {
                    var due = TimeSpan.FromSeconds(sent / pace) - watch.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        try { await Task.Delay(due, stop.Token); }
                        catch (OperationCanceledException) { break; }
                    }
                }
                var batch = new List<MarketTick>(batchTicks);
                SymbolFeed last = mine[0];
                while (batch.Count < batchTicks)
                {
                    last = mine[cursor++ % mine.Length];
                    for (var k = 0; k < perSymbol && batch.Count < batchTicks; k++) batch.Add(last.Next());
                }
                var started = Stopwatch.GetTimestamp();
                IReadOnlyList<MarketTick> pending = batch;
                while (true)
                {
                    var call = Stopwatch.GetTimestamp();
                    var result = await source.IngestTicksAsync(pending);
                    ingestCalls.RecordTicks(Stopwatch.GetTimestamp() - call);
                    Interlocked.Add(ref ingested, result.Accepted);
                    if (result.Rejected.Count == 0) break;
                    // A full stream queue rejects a symbol's whole group with "queue: … retry": back-pressure, so the
                    // driver sends those again (a symbol's later ticks wait behind them: order is kept); anything
                    // else is a bug in the bench's data.
                    if (result.Rejected.FirstOrDefault(r => !r.Reason.StartsWith("queue:", StringComparison.Ordinal)) is { } bad)
                        throw new InvalidOperationException($"bench ticks rejected: {bad.Reason}");
                    Interlocked.Add(ref retried, result.Rejected.Count);
                    pending = result.Rejected.Select(r => pending[r.Index]).ToList();
                    await Task.Delay(10, CancellationToken.None);
                }
                sent += batch.Count;
                await outstanding.Writer.WriteAsync((last.Symbol, last.Sent, started), CancellationToken.None);
            }
            outstanding.Writer.Complete();
            await confirmer;
        })).ToArray();

        await Task.WhenAll(drivers);
        await sampler;
        var driveSeconds = watch.Elapsed.TotalSeconds;
        progress.WriteLine($"ingested {ingested:N0} ticks in {driveSeconds:F1} s ({retried:N0} sent again after a full stream queue); waiting for the tickers to apply all of them …");

        // Drain: every ticker must have applied every tick it was sent (a ticker that makes no progress for a minute
        // has lost ticks: fail rather than wait for ever).
        long applied = 0, closes = 0;
        foreach (var feed in feeds)
        {
            var ticker = grains.GetGrain<ITickerGrain>(feed.Symbol);
            TickerSnapshot snap;
            long seen = -1;
            var progressed = Stopwatch.StartNew();
            while ((snap = await ticker.GetSnapshotAsync()).TicksApplied < feed.Sent)
            {
                if (snap.TicksApplied != seen) (seen, progressed) = (snap.TicksApplied, Stopwatch.StartNew());
                else if (progressed.Elapsed > TimeSpan.FromMinutes(1))
                    throw new InvalidOperationException($"{feed.Symbol} applied {snap.TicksApplied:N0} of the {feed.Sent:N0} ticks sent and made no progress for a minute");
                await Task.Delay(5, CancellationToken.None);
            }
            applied += snap.TicksApplied;
        }
        var totalSeconds = watch.Elapsed.TotalSeconds;
        foreach (var feed in feeds) closes += (await grains.GetGrain<IEnsembleGrain>(feed.Symbol).GetSnapshotAsync()).ClosesSeen;
        applied -= sentBefore; // a soak's calibration run applied these already

        var sorted = latencies.Order().ToArray();
        double Percentile(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];
        double[] qs = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0];
        var cdf = sorted.Length == 0 ? [] : qs.Select(q => new[] { q, Math.Round(Percentile(q), 2) }).ToArray();
        var workingSet = Process.GetCurrentProcess().WorkingSet64 / MB;
        progress.WriteLine($"{applied:N0} ticks applied in {totalSeconds:F1} s; {closes:N0} daily closes reached the ensembles; {sorted.Length} latency samples");
        var tps = Math.Round(applied / totalSeconds, 1);
        var result = new PipelineBenchResult(tps, Math.Round(Percentile(0.50), 2), Math.Round(Percentile(0.99), 2),
            Math.Round(workingSet, 1), tickers, Math.Round(totalSeconds, 2), applied, Math.Round(ingested / driveSeconds, 1), sorted.Length, closes, sources, batchTicks, window);
        return new Drive(result with { TicksSentAgain = retried }, tps, applied, totalSeconds, ingestCalls, cdf);
    }
}
