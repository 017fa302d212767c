using System.Diagnostics.Metrics;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Grains.Hosting;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ml;
using MarketPulse.Ml.Sentiment;
using Microsoft.Extensions.Hosting;
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

    public SentimentRefinement(IOptions<SentimentOptions> options, ModelLocator models, IGrainFactory grains,
        IMeterFactory meters, IHostApplicationLifetime lifetime, ILogger<SentimentRefinement> logger)
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
            SentimentLog.TransformerDisabled(logger);
            return;
        }
        var dir = Path.GetDirectoryName(models.PathOf(TransformerSentimentScorer.InfoFileName))!;
        if (o.RefineThreads is < 1) throw new InvalidOperationException($"MarketPulse:Sentiment:RefineThreads must be at least 1, is {o.RefineThreads}");
        _model = TransformerSentimentScorer.LoadShipped(dir, o.EffectiveRefineThreads, precision);
        Queue = new SentimentRefineQueue(_model, results => DeliverAsync(grains, results), o.RefineQueueCapacity, o.RefineBatchSize,
            ex => SentimentLog.RefineBatchFailed(logger, ex));
        SentimentLog.ModelLoaded(logger, _model.Name, dir, _model.OverriddenInitializers, precision.ToName(), _model.QuantizedMatMuls,
            o.RefineQueueCapacity, o.EffectiveRefineThreads);

        var queue = Queue;
        // The host stops its services (the silo among them) after its stopping callbacks have returned: close the queue
        // there, and wait for the batch in flight, so that the backlog is not refined for grains that are being
        // deactivated (every batch would fail and be logged as an error).
        lifetime.ApplicationStopping.Register(() => CloseAtShutdown(queue, logger));

        var meter = meters.Create(PipelineMetrics.MeterName);
        meter.CreateObservableCounter("marketpulse.sentiment.refined", () => queue.Refined, "{text}", "Texts re-scored by the production sentiment model");
        meter.CreateObservableCounter("marketpulse.sentiment.degraded", () => queue.Degraded, "{text}", "Texts left with the lexicon score because the refine queue was full");
        meter.CreateObservableCounter("marketpulse.sentiment.refine_failed", () => queue.Failed, "{text}", "Texts whose refinement failed (they keep the lexicon score)");
        meter.CreateObservableCounter("marketpulse.sentiment.refine_abandoned", () => queue.Abandoned, "{text}", "Texts still queued at shutdown (they keep the lexicon score)");
        meter.CreateObservableGauge("marketpulse.sentiment.refine_queue", () => queue.Pending, "{text}", "Texts waiting for the production sentiment model");
    }

    /// <summary>Null when the transformer is disabled by configuration.</summary>
    public SentimentRefineQueue? Queue { get; }

    public string? Model => _model?.Name;

    /// <summary>The served model's temperature when its json sets one (null: none, or the transformer is disabled).</summary>
    public double? Temperature => _model?.Info.Temperature;

    private static void CloseAtShutdown(SentimentRefineQueue queue, ILogger logger)
    {
        // A stopping callback must be synchronous; one batch of the model takes well under a second.
        if (!queue.CloseAsync().Wait(ShutdownWait))
            SentimentLog.ShutdownWaitExceeded(logger, ShutdownWait);
        if (queue.Abandoned > 0)
            SentimentLog.QueueClosedAtShutdown(logger, queue.Abandoned);
    }

    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(10);

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
