using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MarketPulse.Grains.Telemetry;

/// <summary>MarketPulse's own instruments (meter <c>MarketPulse</c>); exported by whatever the host wires up.</summary>
public sealed class PipelineMetrics
{
    public const string MeterName = "MarketPulse";
    public static readonly ActivitySource ActivitySource = new("MarketPulse");

    private readonly Counter<long> _ticksIngested;
    private readonly Counter<long> _ticksRejected;
    private readonly Counter<long> _textsIngested;
    private readonly Counter<long> _textsRejected;
    private readonly Counter<long> _predictions;
    private readonly Counter<long> _scored;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _squaredError;
    private readonly Counter<long> _batchesPublished;
    private readonly Counter<long> _batchesDelivered;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _alertsFired;
    private readonly Counter<long> _webhooks;
    private readonly Histogram<double> _pushLatency;
    private readonly Counter<long> _pushed;
    private readonly Counter<long> _textSourceEvents;

    /// <summary>Bucket bounds (ms) of both latency histograms, so pipeline and push latency read on one scale.</summary>
    private static readonly double[] LatencyBucketsMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

    public PipelineMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _ticksIngested = meter.CreateCounter<long>("marketpulse.ticks.ingested", "{tick}", "Market items accepted and queued, by source");
        _ticksRejected = meter.CreateCounter<long>("marketpulse.ticks.rejected", "{tick}", "Market items rejected, by source and reason");
        _textsIngested = meter.CreateCounter<long>("marketpulse.texts.ingested", "{text}", "Texts accepted and queued, by source");
        _textsRejected = meter.CreateCounter<long>("marketpulse.texts.rejected", "{text}", "Texts rejected, by source and reason");
        _predictions = meter.CreateCounter<long>("marketpulse.predictions.emitted", "{prediction}", "Predictions issued, by signal");
        _scored = meter.CreateCounter<long>("marketpulse.predictions.scored", "{prediction}", "Predictions scored against the realised move, by signal and outcome");
        _latency = meter.CreateHistogram<double>("marketpulse.pipeline.latency", "ms", "From ingest to the ticker state that includes the item",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBucketsMs });
        // Brier score per signal = increase(_sum) / increase(_count) over any window.
        _squaredError = meter.CreateHistogram<double>("marketpulse.predictions.squared_error", null,
            "Squared error (p − outcome)² of each scored prediction, by signal; its mean is the Brier score",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1] });
        // Stream queue depth = published − delivered, summed over all silos (a batch is often published on one silo and
        // delivered on another, so neither counter alone, and no per-silo gauge, is the depth).
        _batchesPublished = meter.CreateCounter<long>("marketpulse.stream.batches.published", "{batch}", "Batch events queued on a stream, by namespace");
        _batchesDelivered = meter.CreateCounter<long>("marketpulse.stream.batches.delivered", "{batch}", "Batch events delivered to their consumer grain, by namespace");
        _duplicates = meter.CreateCounter<long>("marketpulse.stream.batches.duplicate", "{batch}", "Batch events delivered again by an at-least-once stream and skipped, by namespace");
        _alertsFired = meter.CreateCounter<long>("marketpulse.alerts.fired", "{alert}", "Alert rules that fired, by kind");
        _webhooks = meter.CreateCounter<long>("marketpulse.alerts.webhooks", "{delivery}", "Webhook deliveries by outcome (delivered, failed after retries, dropped)");
        _pushLatency = meter.CreateHistogram<double>("marketpulse.push.latency", "ms", "From ingest to the SignalR push of the ticker update that includes the item",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBucketsMs });
        _pushed = meter.CreateCounter<long>("marketpulse.push.messages", "{message}", "Messages sent to SignalR groups, by kind (ticker, alert)");
        _textSourceEvents = meter.CreateCounter<long>("marketpulse.texts.source.events", "{event}",
            "Live text source events that are not problems, by source and kind (request, not_modified, rate_limit_wait, keep_alive, connect)");
    }

    public void TicksIngested(string source, long n) => _ticksIngested.Add(n, new KeyValuePair<string, object?>("source", source));

    public void TickRejected(string source, string reason) =>
        _ticksRejected.Add(1, new("source", source), new("reason", reason));

    public void TextSourceEvent(string source, string kind) => _textSourceEvents.Add(1, new("source", source), new("kind", kind));

    public void TextsIngested(string source, long n) => _textsIngested.Add(n, new KeyValuePair<string, object?>("source", source));

    public void TextRejected(string source, string reason) =>
        _textsRejected.Add(1, new("source", source), new("reason", reason));

    public void PredictionEmitted(string signal) => _predictions.Add(1, new KeyValuePair<string, object?>("signal", signal));

    public void PredictionScored(string signal, bool hit) => _scored.Add(1, new("signal", signal), new("outcome", hit ? "hit" : "miss"));

    public void PredictionScored(string signal, bool hit, double probabilityUp, bool wentUp)
    {
        PredictionScored(signal, hit);
        var e = probabilityUp - (wentUp ? 1 : 0);
        _squaredError.Record(e * e, new KeyValuePair<string, object?>("signal", signal));
    }

    public void PipelineLatency(double milliseconds) => _latency.Record(milliseconds);

    public void BatchPublished(string streamNamespace) => _batchesPublished.Add(1, new KeyValuePair<string, object?>("namespace", streamNamespace));

    public void BatchesDelivered(string streamNamespace, int n) => _batchesDelivered.Add(n, new KeyValuePair<string, object?>("namespace", streamNamespace));

    public void DuplicateBatch(string streamNamespace) => _duplicates.Add(1, new KeyValuePair<string, object?>("namespace", streamNamespace));

    public void AlertFired(string kind) => _alertsFired.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void WebhookDelivery(string outcome) => _webhooks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void PushLatency(double milliseconds) => _pushLatency.Record(milliseconds);

    public void Pushed(string kind, int n) => _pushed.Add(n, new KeyValuePair<string, object?>("kind", kind));
}
