using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Market;
using MarketPulse.Ml.Price;
using Microsoft.Extensions.DependencyInjection;

namespace MarketPulse.Cli.Commands;

/// <summary>Cost of one daily close in an ensemble grain for closes <c>From</c>..<c>To</c> (history size at their start).</summary>
public sealed record EnsembleCloseBucket(
    [property: JsonPropertyName("closes_from")] int From,
    [property: JsonPropertyName("closes_to")] int To,
    [property: JsonPropertyName("history_records")] int HistoryRecords,
    [property: JsonPropertyName("us_per_close_mean")] double MeanMicros,
    [property: JsonPropertyName("us_per_close_p50")] double P50Micros,
    [property: JsonPropertyName("us_per_close_p99")] double P99Micros,
    [property: JsonPropertyName("closes_per_sec")] double ClosesPerSec,
    [property: JsonPropertyName("pool_refit_us_per_day")] double PoolRefitMicros);

public sealed record EnsembleBenchResult(
    [property: JsonPropertyName("closes_per_sec")] double ClosesPerSec,
    [property: JsonPropertyName("us_per_close_first_bucket")] double FirstBucketMicros,
    [property: JsonPropertyName("us_per_close_last_bucket")] double LastBucketMicros,
    [property: JsonPropertyName("tickers")] int Tickers,
    [property: JsonPropertyName("closes")] int Closes,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("buckets")] IReadOnlyList<EnsembleCloseBucket> Buckets);

/// <summary>
/// <c>marketpulse bench ensemble --closes K --tickers T</c>: a real silo in this process (the service's memory providers),
/// T ensemble grains driven together through K consecutive trading days by calling <see cref="IEnsembleGrain.OnDailyCloseAsync"/>
/// and then <see cref="IEnsembleGrain.IssueAsync"/> as a ticker grain does (pool and sentiment grains included; one
/// "close" measured = the close that settles the day plus the next day's issue). Reports the per-close latency in buckets of closes, so
/// a cost that grows with the grain's scored history shows as a rising curve; closes_per_sec per bucket is the
/// throughput (all tickers' closes over the bucket's wall time), the number that matters when many grains share cores.
/// </summary>
public static class BenchEnsembleCommand
{
    public static Command Create()
    {
        var closes = new Option<int>("--closes") { DefaultValueFactory = _ => 1200, Description = "Daily closes per ticker (10–100000)." };
        var tickers = new Option<int>("--tickers") { DefaultValueFactory = _ => 10, Description = "Ensemble grains closing each day together (1–10000)." };
        var bucket = new Option<int>("--bucket") { DefaultValueFactory = _ => 100, Description = "Closes per reported bucket (1–100000)." };
        var command = new Command("ensemble", "Drive ensemble grains through many daily closes and report the cost per close as history grows.");
        command.Options.Add(closes);
        command.Options.Add(tickers);
        command.Options.Add(bucket);
        command.SetAction(async (parse, ct) =>
        {
            var k = parse.GetValue(closes);
            var t = parse.GetValue(tickers);
            var b = parse.GetValue(bucket);
            if (k is < 10 or > 100_000) throw new CliInputException($"--closes: expected 10–100000, got {k}");
            if (t is < 1 or > 10_000) throw new CliInputException($"--tickers: expected 1–10000, got {t}");
            if (b < 1 || b > k) throw new CliInputException($"--bucket: expected 1–{k}, got {b}");
            var result = await RunAsync(t, k, b, parse.InvocationConfiguration.Error, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result));
            return 0;
        });
        return command;
    }

    public static async Task<EnsembleBenchResult> RunAsync(int tickers, int closes, int bucket, TextWriter progress, CancellationToken ct = default)
    {
        using var host = BenchSilo.Build();
        progress.WriteLine("starting an in-process silo …");
        await host.StartAsync(ct);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        try
        {
            progress.WriteLine($"driving {tickers} ensemble grains through {closes} daily closes each …");
            var watch = Stopwatch.StartNew();
            var (perTicker, dayMicros, poolMicros) = await DriveAsync(grains, tickers, closes, ct);
            var seconds = watch.Elapsed.TotalSeconds;
            var buckets = new List<EnsembleCloseBucket>();
            for (var from = 0; from < closes; from += bucket)
            {
                var to = Math.Min(closes, from + bucket);
                var sample = perTicker.SelectMany(t => t[from..to]).Order().ToArray();
                double P(double q) => sample[Math.Min(sample.Length - 1, (int)Math.Ceiling(q * sample.Length) - 1)];
                // Four records are scored per close from the second close on (price, persistence, hedge, ensemble; the
                // bench symbols have no posts, so no sentiment signal).
                var history = Math.Min(Grains.Ensemble.EnsembleGrain.MaxHistory, Math.Max(0, from - 1) * 4);
                var wallSeconds = dayMicros[from..to].Sum() / 1e6;
                buckets.Add(new EnsembleCloseBucket(from + 1, to, history, Math.Round(sample.Average(), 1), Math.Round(P(0.5), 1), Math.Round(P(0.99), 1),
                    Math.Round(sample.Length / wallSeconds, 1), Math.Round(poolMicros[from..to].Average(), 1)));
            }
            foreach (var b in buckets)
                progress.WriteLine($"closes {b.From,6}–{b.To,-6} history ≈ {b.HistoryRecords,5}: mean {b.MeanMicros,9:F1} µs  p50 {b.P50Micros,9:F1} µs  p99 {b.P99Micros,9:F1} µs  {b.ClosesPerSec,8:F1} closes/s  pool refit {b.PoolRefitMicros,9:F1} µs/day");
            return new EnsembleBenchResult(Math.Round(tickers * (double)closes / seconds, 1), buckets[0].MeanMicros, buckets[^1].MeanMicros,
                tickers, closes, Math.Round(seconds, 2), buckets);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// All tickers close day by day in lockstep, as in the market: the pool refits once per trading day (timed apart,
    /// before the day's closes) and every ticker's call is then the ensemble grain's own work.
    /// </summary>
    private static async Task<(double[][] PerTicker, double[] DayMicros, double[] PoolMicros)> DriveAsync(IGrainFactory grains, int tickers, int closes, CancellationToken ct)
    {
        var random = new Random(42);
        var symbols = Enumerable.Range(0, tickers).Select(i => $"E{i:D5}").ToArray();
        var prices = Enumerable.Repeat(100.0, tickers).ToArray();
        var previous = new double?[tickers];
        var micros = Enumerable.Range(0, tickers).Select(_ => new double[closes]).ToArray();
        var calendar = ExchangeCalendar.UsEquities;
        var day = new DateOnly(2000, 1, 3);
        var dayMicros = new double[closes];
        var poolMicros = new double[closes];
        var pool = grains.GetGrain<IEnsemblePoolGrain>(Grains.Ensemble.EnsemblePoolGrain.Market);
        for (var i = 0; i < closes; i++)
        {
            ct.ThrowIfCancellationRequested();
            // The market-wide pool refits (and writes its state) once per trading day, on the first request for that
            // day's model; ask for it first and time it apart, so the closes below measure the ensemble grains alone.
            var poolStarted = Stopwatch.GetTimestamp();
            await pool.GetModelAsync(day);
            poolMicros[i] = Stopwatch.GetElapsedTime(poolStarted).TotalMicroseconds;
            var dayStarted = Stopwatch.GetTimestamp();
            var closeTime = calendar.CloseUtc(day);
            var calls = new Task[tickers];
            for (var t = 0; t < tickers; t++)
            {
                prices[t] *= 1 + 0.01 * (random.NextDouble() * 2 - 1);
                var p = 0.3 + 0.4 * random.NextDouble();
                var signal = new SignalPrediction("price", "model", "bench", closeTime, "1d", Signals.Direction(p), p, day);
                var close = new DailyClose(symbols[t], day, closeTime, prices[t], previous[t]);
                var target = calendar.NextTradingDay(day);
                var call = new NextDayCall(symbols[t], day, target, PriceFeatures.PredictionTimeUtc(target), signal);
                var (ticker, index) = (t, i);
                calls[t] = Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    var grain = grains.GetGrain<IEnsembleGrain>(close.Symbol);
                    await grain.OnDailyCloseAsync(close);
                    await grain.IssueAsync(call);
                    micros[ticker][index] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                }, ct);
                previous[t] = prices[t];
            }
            await Task.WhenAll(calls);
            dayMicros[i] = Stopwatch.GetElapsedTime(dayStarted).TotalMicroseconds;
            day = calendar.NextTradingDay(day);
        }
        return (micros, dayMicros, poolMicros);
    }
}
