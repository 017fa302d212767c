using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MarketPulse.Grains.Telemetry;

namespace MarketPulse.Server.Observability;

/// <summary>
/// The service's own metrics as <c>GET /api/system</c> shows them: listens to this process's MarketPulse instruments
/// (the same ones Prometheus scrapes; only the meters of this host's <see cref="IMeterFactory"/>, so several hosts in one
/// process do not mix), samples the ingest counters every second for rates, and keeps the pipeline latencies of the
/// last five minutes for percentiles. Counts are this process's: in a cluster each silo counts what it handled.
/// </summary>
public sealed class SystemMonitor : BackgroundService
{
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LatencyWindow = TimeSpan.FromMinutes(5);
    private const int MaxLatencySamples = 20_000;

    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private long _ticks;
    private long _texts;
    private long _refineQueue = -1;
    private readonly ConcurrentDictionary<(string Kind, string Reason), long> _rejected = new();
    private readonly ConcurrentDictionary<string, long> _published = new();
    private readonly ConcurrentDictionary<string, long> _delivered = new();
    private readonly ConcurrentQueue<(long At, double Ms)> _latencies = new();
    private readonly Queue<(long At, long Ticks, long Texts)> _samples = new();
    private readonly Lock _samplesLock = new();

    public SystemMonitor(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PipelineMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)
                && instrument.Name is "marketpulse.ticks.ingested" or "marketpulse.texts.ingested" or "marketpulse.ticks.rejected"
                    or "marketpulse.texts.rejected" or "marketpulse.stream.batches.published" or "marketpulse.stream.batches.delivered"
                    or "marketpulse.pipeline.latency" or "marketpulse.sentiment.refine_queue")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<int>((i, v, tags, state) => OnLong(i, v, tags, state));
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var t in tags) if (t.Key == name) return t.Value?.ToString() ?? "";
        return "";
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case "marketpulse.ticks.ingested": Interlocked.Add(ref _ticks, value); break;
            case "marketpulse.texts.ingested": Interlocked.Add(ref _texts, value); break;
            case "marketpulse.ticks.rejected": _rejected.AddOrUpdate(("tick", Tag(tags, "reason")), value, (_, n) => n + value); break;
            case "marketpulse.texts.rejected": _rejected.AddOrUpdate(("text", Tag(tags, "reason")), value, (_, n) => n + value); break;
            case "marketpulse.stream.batches.published": _published.AddOrUpdate(Tag(tags, "namespace"), value, (_, n) => n + value); break;
            case "marketpulse.stream.batches.delivered": _delivered.AddOrUpdate(Tag(tags, "namespace"), value, (_, n) => n + value); break;
            case "marketpulse.sentiment.refine_queue": Interlocked.Exchange(ref _refineQueue, value); break;
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name != "marketpulse.pipeline.latency") return;
        _latencies.Enqueue((_time.GetTimestamp(), value));
        while (_latencies.Count > MaxLatencySamples) _latencies.TryDequeue(out _);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        do Sample();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void Sample()
    {
        lock (_samplesLock)
        {
            _samples.Enqueue((_time.GetTimestamp(), Interlocked.Read(ref _ticks), Interlocked.Read(ref _texts)));
            while (_samples.Count > 1 && _time.GetElapsedTime(_samples.Peek().At) > RateWindow) _samples.Dequeue();
        }
    }

    public IngestRates Ingest()
    {
        long ticks = Interlocked.Read(ref _ticks), texts = Interlocked.Read(ref _texts);
        (long At, long Ticks, long Texts) oldest;
        lock (_samplesLock) oldest = _samples.Count > 0 ? _samples.Peek() : (_time.GetTimestamp(), ticks, texts);
        var seconds = _time.GetElapsedTime(oldest.At).TotalSeconds;
        return seconds < 0.5
            ? new IngestRates(ticks, texts, 0, 0, 0)
            : new IngestRates(ticks, texts, (ticks - oldest.Ticks) / seconds, (texts - oldest.Texts) / seconds, Math.Round(seconds, 1));
    }

    public LatencySummary PipelineLatency()
    {
        var values = _latencies.Where(s => _time.GetElapsedTime(s.At) <= LatencyWindow).Select(s => s.Ms).Order().ToArray();
        if (values.Length == 0) return new LatencySummary(0, null, null, null, null, LatencyWindow.TotalSeconds);
        double Q(double q) => values[Math.Min(values.Length - 1, (int)Math.Ceiling(q * values.Length) - 1)];
        return new LatencySummary(values.Length, Q(0.5), Q(0.9), Q(0.99), values[^1], LatencyWindow.TotalSeconds);
    }

    public IReadOnlyList<RejectionCount> Rejections() =>
        [.. _rejected.Select(kv => new RejectionCount(kv.Key.Kind, kv.Key.Reason, kv.Value)).OrderByDescending(r => r.Count).ThenBy(r => r.Reason)];

    public IReadOnlyList<StreamBacklog> Streams() =>
        [.. _published.Keys.Union(_delivered.Keys).Order().Select(ns =>
        {
            var published = _published.GetValueOrDefault(ns);
            var delivered = _delivered.GetValueOrDefault(ns);
            return new StreamBacklog(ns, published, delivered, Math.Max(0, published - delivered));
        })];

    /// <summary>Texts waiting for the production sentiment model on this silo; null where this process has no refine queue (a gateway, or no text yet).</summary>
    public long? RefineQueue()
    {
        _listener.RecordObservableInstruments();
        var v = Interlocked.Read(ref _refineQueue);
        return v < 0 ? null : v;
    }

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }
}

public sealed record IngestRates(long TicksTotal, long TextsTotal, double TicksPerSecond, double TextsPerSecond, double WindowSeconds);

public sealed record LatencySummary(int Count, double? P50, double? P90, double? P99, double? Max, double WindowSeconds);

public sealed record RejectionCount(string Kind, string Reason, long Count);

public sealed record StreamBacklog(string Namespace, long Published, long Delivered, long Backlog);
