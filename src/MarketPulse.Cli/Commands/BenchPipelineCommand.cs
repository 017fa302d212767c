using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Market;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
    [property: JsonPropertyName("window")] int Window);

/// <summary>
/// <c>marketpulse bench pipeline --tickers N --seconds S</c>: a real silo in this process (the service's memory providers
/// and grain services), driven with synthetic trades for N symbols through source grains → per-ticker streams →
/// ticker grains → ensemble grains. Each symbol's clock advances one second per trade through regular sessions of the
/// US calendar, so a day closes every 23,400 trades (a liquid stock's order of magnitude; <c>--day-ticks</c> makes days shorter) and the ensembles work too. Latency is from the ingest call to the
/// moment the ticker's snapshot (which carries the live price prediction) includes the tick; ticks_per_sec counts ticks
/// applied by the tickers over the time until the last one was.
/// </summary>
public static class BenchPipelineCommand
{
    public static Command Create()
    {
        var tickers = new Option<int>("--tickers") { DefaultValueFactory = _ => 100, Description = "Number of symbols (1–100000)." };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 10, Description = "How long to drive ticks (0 < S ≤ 3600)." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 2000, Description = "Ticks per ingest call (10–100000)." };
        var window = new Option<int>("--window") { DefaultValueFactory = _ => 4, Description = "Batches per driver queued but not yet applied (1–1000)." };
        var dayTicks = new Option<int>("--day-ticks") { DefaultValueFactory = _ => 23_400, Description = "Trades per regular 6.5 h session, i.e. how often a day closes (10–23400; 390 = one trade a minute)." };
        var command = new Command("pipeline", "Drive synthetic ticks through a real in-process cluster and report throughput and latency.");
        command.Options.Add(tickers);
        command.Options.Add(seconds);
        command.Options.Add(batch);
        command.Options.Add(window);
        command.Options.Add(dayTicks);
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(tickers);
            var s = parse.GetValue(seconds);
            var b = parse.GetValue(batch);
            if (n is < 1 or > 100_000) throw new CliInputException($"--tickers: expected 1–100000, got {n}");
            if (!(s > 0 && s <= 3600)) throw new CliInputException($"--seconds: expected a number in (0, 3600], got {s}");
            if (b is < 10 or > 100_000) throw new CliInputException($"--batch: expected 10–100000, got {b}");
            var w = parse.GetValue(window);
            if (w is < 1 or > 1000) throw new CliInputException($"--window: expected 1–1000, got {w}");
            var dt = parse.GetValue(dayTicks);
            if (dt is < 10 or > 23_400) throw new CliInputException($"--day-ticks: expected 10–23400, got {dt}");
            var result = await RunAsync(n, TimeSpan.FromSeconds(s), b, w, parse.InvocationConfiguration.Error, ct, dt);
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result));
            return 0;
        });
        return command;
    }

    public static async Task<PipelineBenchResult> RunAsync(int tickers, TimeSpan duration, int batchTicks, int window, TextWriter progress, CancellationToken ct = default,
        int dayTicks = 23_400)
    {
        using var host = BenchSilo.Build();
        progress.WriteLine("starting an in-process silo …");
        await host.StartAsync(ct);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        try
        {
            return await DriveAsync(grains, tickers, duration, batchTicks, window, dayTicks, progress, ct);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
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
            var tick = new MarketTick(Symbol, _time, Math.Round((decimal)_price, 4), 100, null, null, "bench", ++Sent);
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

    private static async Task<PipelineBenchResult> DriveAsync(IGrainFactory grains, int tickers, TimeSpan duration, int batchTicks, int window, int dayTicks,
        TextWriter progress, CancellationToken ct)
    {
        // A regular session is 23,400 s; one trade per `step` closes a day every `dayTicks` trades.
        var step = TimeSpan.FromTicks(TimeSpan.FromHours(6.5).Ticks / dayTicks);
        var feeds = Enumerable.Range(0, tickers).Select(i => new SymbolFeed($"B{i:D5}", i, step)).ToArray();
        // Several source grains, each owning a fixed share of the symbols: validation runs in parallel and each
        // symbol still goes through one grain, in order.
        var sources = Math.Clamp(Environment.ProcessorCount * 2, 1, tickers);
        var latencies = new ConcurrentBag<double>();
        long ingested = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        progress.WriteLine($"driving {tickers} tickers through {sources} source grains for {duration.TotalSeconds:F0} s …");
        var watch = Stopwatch.StartNew();
        stop.CancelAfter(duration);

        // Closed loop: each driver has at most `window` batches that are queued but not yet readable in their ticker; a
        // confirmer per driver watches the oldest one and records its latency. Without the window an open-loop driver
        // only measures how long a queue it overfilled takes to drain.
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
                    latencies.Add(Stopwatch.GetElapsedTime(probe.Start).TotalMilliseconds);
                }
            });
            var cursor = 0;
            while (!stop.IsCancellationRequested)
            {
                var batch = new List<MarketTick>(batchTicks);
                SymbolFeed last = mine[0];
                while (batch.Count < batchTicks)
                {
                    last = mine[cursor++ % mine.Length];
                    for (var k = 0; k < perSymbol && batch.Count < batchTicks; k++) batch.Add(last.Next());
                }
                var started = Stopwatch.GetTimestamp();
                var result = await source.IngestTicksAsync(batch);
                if (result.Rejected.Count > 0) throw new InvalidOperationException($"bench ticks rejected: {result.Rejected[0].Reason}");
                Interlocked.Add(ref ingested, result.Accepted);
                await outstanding.Writer.WriteAsync((last.Symbol, last.Sent, started), CancellationToken.None);
            }
            outstanding.Writer.Complete();
            await confirmer;
        })).ToArray();

        await Task.WhenAll(drivers);
        var driveSeconds = watch.Elapsed.TotalSeconds;
        progress.WriteLine($"ingested {ingested:N0} ticks in {driveSeconds:F1} s; waiting for the tickers to apply all of them …");

        // Drain: every ticker must have applied every tick it was sent.
        long applied = 0, closes = 0;
        foreach (var feed in feeds)
        {
            var ticker = grains.GetGrain<ITickerGrain>(feed.Symbol);
            TickerSnapshot snap;
            while ((snap = await ticker.GetSnapshotAsync()).TicksApplied < feed.Sent) await Task.Delay(5, CancellationToken.None);
            applied += snap.TicksApplied;
        }
        var totalSeconds = watch.Elapsed.TotalSeconds;
        foreach (var feed in feeds) closes += (await grains.GetGrain<IEnsembleGrain>(feed.Symbol).GetSnapshotAsync()).ClosesSeen;

        var sorted = latencies.Order().ToArray();
        double Percentile(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        var workingSet = Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0);
        progress.WriteLine($"{applied:N0} ticks applied in {totalSeconds:F1} s; {closes:N0} daily closes reached the ensembles; {sorted.Length} latency samples");
        return new PipelineBenchResult(Math.Round(applied / totalSeconds, 1), Math.Round(Percentile(0.50), 2), Math.Round(Percentile(0.99), 2),
            Math.Round(workingSet, 1), tickers, Math.Round(totalSeconds, 2), applied, Math.Round(ingested / driveSeconds, 1), sorted.Length, closes, sources, batchTicks, window);
    }
}
