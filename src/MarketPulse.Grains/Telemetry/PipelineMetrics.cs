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
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] });
    }

    public void TicksIngested(string source, long n) => _ticksIngested.Add(n, new KeyValuePair<string, object?>("source", source));

    public void TickRejected(string source, string reason) =>
        _ticksRejected.Add(1, new("source", source), new("reason", reason));

    public void TextsIngested(string source, long n) => _textsIngested.Add(n, new KeyValuePair<string, object?>("source", source));

    public void TextRejected(string source, string reason) =>
        _textsRejected.Add(1, new("source", source), new("reason", reason));

    public void PredictionEmitted(string signal) => _predictions.Add(1, new KeyValuePair<string, object?>("signal", signal));

    public void PredictionScored(string signal, bool hit) => _scored.Add(1, new("signal", signal), new("outcome", hit ? "hit" : "miss"));

    public void PipelineLatency(double milliseconds) => _latency.Record(milliseconds);
}
