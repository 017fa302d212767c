using System.Diagnostics.Metrics;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Grains.Hosting;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ml.Sentiment;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Sentiment;

/// <summary>
/// This silo's production sentiment model and its bounded refine queue. Sentiment grains score each text with the
/// lexicon at once and hand it here; refined scores go back to the grain of the symbol in batches. Loading the model
/// happens when this singleton is first resolved (the readiness check does that at start-up).
/// </summary>
public sealed class SentimentRefinement : IAsyncDisposable
{
    private readonly TransformerSentimentScorer? _model;

    public SentimentRefinement(IOptions<SentimentOptions> options, IOptions<ModelOptions> models, IGrainFactory grains,
        IMeterFactory meters, ILogger<SentimentRefinement> logger)
    {
        var o = options.Value;
        // Checked even with the transformer off, so a typo does not wait to surface until someone turns it on.
        SentimentPrecision precision;
        try
        {
            precision = SentimentPrecisions.Parse(o.Precision, "MarketPulse:Sentiment:Precision");
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
        if (!o.TransformerEnabled)
        {
            logger.LogWarning("Sentiment transformer disabled (MarketPulse:Sentiment:TransformerEnabled=false): lexicon scores only");
            return;
        }
        var dir = PathResolver.Resolve(models.Value.Path);
        _model = TransformerSentimentScorer.LoadShipped(dir, precision: precision);
        Queue = new SentimentRefineQueue(_model, results => DeliverAsync(grains, results), o.RefineQueueCapacity, o.RefineBatchSize,
            ex => logger.LogError(ex, "Sentiment refinement batch failed; those texts keep their lexicon scores"));
        logger.LogInformation("Sentiment model {Model} loaded from {Dir} ({Overrides} tuned tensors, {Precision}, {Quantized} int8 matrix multiplies); refine queue capacity {Capacity}",
            _model.Name, dir, _model.OverriddenInitializers, precision.ToName(), _model.QuantizedMatMuls, o.RefineQueueCapacity);

        var meter = meters.Create(PipelineMetrics.MeterName);
        var queue = Queue;
        meter.CreateObservableCounter("marketpulse.sentiment.refined", () => queue.Refined, "{text}", "Texts re-scored by the production sentiment model");
        meter.CreateObservableCounter("marketpulse.sentiment.degraded", () => queue.Degraded, "{text}", "Texts left with the lexicon score because the refine queue was full");
        meter.CreateObservableCounter("marketpulse.sentiment.refine_failed", () => queue.Failed, "{text}", "Texts whose refinement failed (they keep the lexicon score)");
        meter.CreateObservableGauge("marketpulse.sentiment.refine_queue", () => queue.Pending, "{text}", "Texts waiting for the production sentiment model");
    }

    /// <summary>Null when the transformer is disabled by configuration.</summary>
    public SentimentRefineQueue? Queue { get; }

    public string? Model => _model?.Name;

    private Task DeliverAsync(IGrainFactory grains, IReadOnlyList<RefineResult> results)
    {
        var model = _model!.Name;
        return Task.WhenAll(results.GroupBy(r => r.Request.Symbol).Select(g => grains.GetGrain<ISentimentGrain>(g.Key).ApplyRefinedAsync(
            [.. g.Select(r => new RefinedScore(r.Request.Source, r.Request.Id, r.Score.Polarity,
                r.Score.Label.ToString().ToLowerInvariant(), r.Score.Confidence, model))])));
    }

    public async ValueTask DisposeAsync()
    {
        if (Queue is not null) await Queue.DisposeAsync();
        _model?.Dispose();
    }
}
