using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json.Serialization;
using MarketPulse.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// A latency histogram with logarithmic buckets (8 per octave, ~9 % wide) from 1 µs to ~10⁵ s, lock-free: recording is
/// one increment, so the bench can record every grain call of a long soak without keeping the samples. Quantiles are the
/// geometric middle of their bucket (±4.5 %). Written here rather than taken from HdrHistogram because the bench needs
/// only this, and interval snapshots (a soak's per-sample p99) are a subtraction of two count arrays.
/// </summary>
public sealed class LogHistogram
{
    private const int PerOctave = 8;
    private const double MinUs = 1;
    private const int Buckets = PerOctave * 37; // 2³⁷ µs ≈ 38 h
    private readonly long[] _counts = new long[Buckets];
    private long _n;
    private long _sumTicks;

    public long Count => Interlocked.Read(ref _n);

    /// <summary>Sum of all recorded durations, in seconds.</summary>
    public double TotalSeconds => Interlocked.Read(ref _sumTicks) / (double)Stopwatch.Frequency;

    public void RecordTicks(long stopwatchTicks)
    {
        var us = stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency;
        Interlocked.Increment(ref _counts[Index(us)]);
        Interlocked.Increment(ref _n);
        Interlocked.Add(ref _sumTicks, stopwatchTicks);
    }

    public void RecordMs(double ms) => RecordTicks((long)(ms * Stopwatch.Frequency / 1000.0));

    private static int Index(double us) => us <= MinUs ? 0 : Math.Min(Buckets - 1, (int)(Math.Log2(us / MinUs) * PerOctave));

    public long[] Snapshot()
    {
        var copy = new long[Buckets];
        for (var i = 0; i < Buckets; i++) copy[i] = Interlocked.Read(ref _counts[i]);
        return copy;
    }

    /// <summary>The q-quantile in ms of the counts (a <see cref="Snapshot"/>, or the difference of two), NaN when empty.</summary>
    public static double QuantileMs(long[] counts, double q)
    {
        var total = counts.Sum();
        if (total == 0) return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank) return MinUs * Math.Pow(2, (i + 0.5) / PerOctave) / 1000.0;
        }
        return double.NaN;
    }

    public double QuantileMs(double q) => QuantileMs(Snapshot(), q);

    public static long[] Minus(long[] now, long[] before) => now.Select((c, i) => c - before[i]).ToArray();

    /// <summary>Forgets what was recorded (after a warm-up).</summary>
    public void Reset()
    {
        for (var i = 0; i < Buckets; i++) Interlocked.Exchange(ref _counts[i], 0);
        Interlocked.Exchange(ref _n, 0);
        Interlocked.Exchange(ref _sumTicks, 0);
    }
}

/// <summary>Time spent in one kind of grain call: count, p50/p99 of one call, and the sum of all of them.</summary>
public sealed record StageTiming(
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("total_s")] double TotalSeconds)
{
    public static StageTiming? Of(LogHistogram? h) => h is null || h.Count == 0
        ? null
        : new StageTiming(h.Count, Math.Round(h.QuantileMs(0.5), 3), Math.Round(h.QuantileMs(0.99), 3), Math.Round(h.TotalSeconds, 3));
}

/// <summary>
/// Times every grain call a silo receives, by implementing class and method (an Orleans incoming grain-call filter:
/// no timing code in the grains). Stream deliveries arrive as calls of the stream consumer extension on the consumer
/// grain, so "TickerGrain.DeliverBatch" is the ticker's whole turn for a delivered batch: apply, push, and the awaits
/// inside it. A call's time includes the awaits inside it (other grains, storage, queues).
/// </summary>
public sealed class GrainCallTimer : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(Type?, MethodInfo?), LogHistogram> _byMethod = new();
    private readonly ConcurrentDictionary<string, LogHistogram> _byName = new(StringComparer.Ordinal);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - start;
            var type = context.TargetContext?.GrainInstance?.GetType();
            var method = context.ImplementationMethod ?? context.InterfaceMethod;
            if (!_byMethod.TryGetValue((type, method), out var histogram))
                histogram = _byMethod.GetOrAdd((type, method),
                    _ => _byName.GetOrAdd($"{type?.Name ?? context.TargetId.Type.ToString()}.{context.MethodName}", _ => new LogHistogram()));
            histogram.RecordTicks(elapsed);
        }
    }

    /// <summary>All calls by "Class.Method".</summary>
    public IReadOnlyDictionary<string, LogHistogram> ByKey() => new Dictionary<string, LogHistogram>(_byName, StringComparer.Ordinal);

    /// <summary>Forgets the calls timed so far (after a warm-up).</summary>
    public void Reset()
    {
        foreach (var h in _byName.Values) h.Reset();
    }
}

/// <summary>
/// Reads the pipeline's own instruments (meter <c>MarketPulse</c>, <see cref="PipelineMetrics"/>) with a
/// <see cref="MeterListener"/>: ingest → applied latency per batch as the ticker records it, and the stream counters.
/// </summary>
public sealed class PipelineMeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _published, _delivered, _duplicates, _ingested, _predictions;

    private readonly ConcurrentDictionary<string, long> _streamCache = new(StringComparer.Ordinal);
    private bool _started;

    public LogHistogram IngestToApplied { get; } = new();

    /// <summary>
    /// Create before the silos start: Orleans' stream cache instruments (meter <c>Microsoft.Orleans</c>, one per queue
    /// cache and block pool) that already exist belong to earlier silos in this process and are ignored. The pipeline's
    /// own instruments are read only from the meters of <paramref name="meterFactories"/> (the silos' DI meter
    /// factories), not from other silos hosted in the same process at the same time.
    /// </summary>
    public PipelineMeterReader(IReadOnlyCollection<IMeterFactory> meterFactories)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_started && instrument.Meter.Name == "Microsoft.Orleans"
                && (instrument.Name.StartsWith("orleans-streams-queue-cache-", StringComparison.Ordinal) || instrument.Name.StartsWith("orleans-streams-block-pool-", StringComparison.Ordinal)))
            {
                listener.EnableMeasurementEvents(instrument);
                return;
            }
            if (instrument.Meter.Name == PipelineMetrics.MeterName && instrument.Meter.Scope is IMeterFactory factory && meterFactories.Contains(factory)
                && instrument.Name is "marketpulse.pipeline.latency" or "marketpulse.stream.batches.published" or "marketpulse.stream.batches.delivered"
                    or "marketpulse.stream.batches.duplicate" or "marketpulse.ticks.ingested" or "marketpulse.predictions.emitted")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "marketpulse.pipeline.latency") IngestToApplied.RecordMs(value);
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Meter.Name == "Microsoft.Orleans")
            {
                _streamCache.AddOrUpdate(instrument.Name, value, (_, v) => v + value);
                return;
            }
            switch (instrument.Name)
            {
                case "marketpulse.stream.batches.published": Interlocked.Add(ref _published, value); break;
                case "marketpulse.stream.batches.delivered": Interlocked.Add(ref _delivered, value); break;
                case "marketpulse.stream.batches.duplicate": Interlocked.Add(ref _duplicates, value); break;
                case "marketpulse.ticks.ingested": Interlocked.Add(ref _ingested, value); break;
                case "marketpulse.predictions.emitted": Interlocked.Add(ref _predictions, value); break;
            }
        });
        _listener.Start();
        _started = true;
    }

    /// <summary>Orleans' stream cache and block pool gauges now, summed over queues (bytes, messages).</summary>
    public SortedDictionary<string, long> StreamCache()
    {
        _streamCache.Clear();
        _listener.RecordObservableInstruments();
        return new SortedDictionary<string, long>(_streamCache, StringComparer.Ordinal);
    }

    public long BatchesPublished => Interlocked.Read(ref _published);
    public long BatchesDelivered => Interlocked.Read(ref _delivered);
    public long DuplicateBatches => Interlocked.Read(ref _duplicates);
    public long TicksIngested => Interlocked.Read(ref _ingested);
    public long PredictionsEmitted => Interlocked.Read(ref _predictions);

    /// <summary>Forgets the pipeline's counts and latencies so far (after a warm-up); the stream cache gauges are read as they are.</summary>
    public void Reset()
    {
        IngestToApplied.Reset();
        Interlocked.Exchange(ref _published, 0);
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _duplicates, 0);
        Interlocked.Exchange(ref _ingested, 0);
        Interlocked.Exchange(ref _predictions, 0);
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>Counts the silo's warning and error log lines (the bench has no console logger) and keeps the first few errors.</summary>
public sealed class LogLineCounter : ILoggerProvider
{
    private long _warnings, _errors;
    private readonly ConcurrentQueue<string> _firstErrors = new();

    public long Warnings => Interlocked.Read(ref _warnings);
    public long Errors => Interlocked.Read(ref _errors);
    public IReadOnlyList<string> FirstErrors => _firstErrors.ToArray();

    public ILogger CreateLogger(string categoryName) => new Counter(this, categoryName);

    public void Dispose() { }

    private sealed class Counter(LogLineCounter owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Warning || logLevel == LogLevel.None) return;
            if (logLevel == LogLevel.Warning)
            {
                Interlocked.Increment(ref owner._warnings);
                return;
            }
            if (Interlocked.Increment(ref owner._errors) <= 5)
                owner._firstErrors.Enqueue($"{category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
        }
    }
}
