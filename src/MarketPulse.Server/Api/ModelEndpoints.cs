using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Sentiment;
using MarketPulse.Core.Signals;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Api;

public sealed record ModelInfo(string Name, string Kind, string Version, string Description);

/// <param name="OutOfSample">The signals' quality measured offline, out of sample (<see cref="OutOfSampleReport"/>); null when no report ships.</param>
public sealed record ModelsResponse(IReadOnlyList<ModelInfo> Models, IReadOnlyList<SignalStats> Signals, OutOfSampleReport? OutOfSample = null,
    ForecastModelReport? Forecasts = null);

/// <summary>
/// The volatility, expected-move and volume model: its version and training period, its live score over all tickers
/// (against the pooled HAR), and what <c>eval forecasts</c> measured out of sample (<c>models/forecast-evaluation.json</c>:
/// the dev period with the shipped model, and a monthly walk-forward of its recipe), served as written.
/// </summary>
public sealed record ForecastModelReport(string? Version, string? TrainedFrom, string? TrainedTo, int? TrainingRows, ForecastScorecardDto Live,
    System.Text.Json.Nodes.JsonNode? OutOfSample);

public static class ModelEndpoints
{
    /// <summary>
    /// What produces each signal. The price signal is the trained model when the silo loaded one, else the fixed rule; the
    /// sentiment signal is the production transformer's when the silo refines texts with it, else the lexicon's.
    /// </summary>
    /// <param name="sentimentTemperature">The transformer's temperature when its json sets one (its probabilities are then temperature-calibrated).</param>
    public static IReadOnlyList<ModelInfo> Catalog(string sentimentModel, string? priceModel = null, string? sentimentTransformer = null,
        double? sentimentTemperature = null, string? forecastModel = null) =>
    [
        priceModel is null
            ? new(Signals.Price, "rule", MomentumRule.Name + "-v1", "Rule, not a trained model: EMA(12) vs EMA(26) gap in units of 20-day volatility, damped by RSI(14); probability bounded to [0.35, 0.65].")
            : new(Signals.Price, "model", priceModel, "Trained on StockNet 2014-01..2015-05, calibrated on 2015-06..07, served by ONNX Runtime; explained by exact Shapley values from its trees against the training means, additive in probability (occlusion for a model that is not a tree ensemble; docs/models/price.md)."),
        sentimentTransformer is null
            ? new("sentiment", "lexicon", sentimentModel, "VADER lexicon scorer over the ticker's texts; the signal is their time-decayed mean over the 5 days before the prediction time (00:00 UTC of the target day).")
            : new("sentiment", "model", sentimentTransformer, $"Fine-tuned MiniLM-L6 transformer (Financial PhraseBank) served by ONNX Runtime, refining every text after the lexicon ({sentimentModel}) has scored it at once{TemperatureNote(sentimentTemperature)}; the signal is the texts' time-decayed mean over the 5 days before the prediction time (00:00 UTC of the target day) (docs/models/sentiment.md)."),
        new("persistence", "baseline", "persistence-v1", "Baseline: tomorrow moves like today (probability 0.55 in today's direction)."),
        new(Signals.Ensemble, "ensemble", EnsembleGrain.StackingVersion, "Market-wide logistic stacking of the price, sentiment and persistence signals (one model for all tickers), refitted at each trading day from realised outcomes only (docs/models/price.md)."),
        new("volatility", "model", forecastModel ?? "none", "Next-day Garman–Klass variance: HAR with the ticker's level, leverage, gap, market and sector variance and text activity, fitted by QLIKE; the 80 % / 95 % expected-move bands from its standardised-return quantiles (docs/models/volatility.md)."),
        new("volume", "model", forecastModel ?? "none", "Next-day ln volume: HAR on ln volume with the calendar (half days, options expiry), text activity and the variance forecast, per-ticker level (docs/models/volatility.md)."),
        new(Signals.EnsembleHedge, "baseline", "hedge-v1", "The previous ensemble, kept as a baseline: Hedge (exponentiated weights with fixed share) per ticker, re-weighted from realised Brier losses."),
    ];

    /// <summary>The shipped <c>forecast-evaluation.json</c>; null (logged) when absent or unreadable.</summary>
    private static System.Text.Json.Nodes.JsonNode? LoadForecastEvidence(MarketPulse.Ml.ModelLocator models, ILogger logger)
    {
        var path = models.PathOf("forecast-evaluation.json");
        if (!File.Exists(path)) return null;
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
        {
            ServerLog.ForecastReportUnreadable(logger, ex, path);
            return null;
        }
    }

    private static string TemperatureNote(double? t) => t is { } v
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; its class probabilities (confidence, polarity) are temperature-calibrated (T = {v:0.###}, fitted on the held-out validation split)")
        : "";

    public static void MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        // Read once: the report ships with the models and does not change while the gateway runs.
        var models = app.ServiceProvider.GetRequiredService<MarketPulse.Ml.ModelLocator>();
        var loggers = app.ServiceProvider.GetRequiredService<ILoggerFactory>();
        var outOfSample = OutOfSampleReport.Load(models, loggers.CreateLogger(typeof(OutOfSampleReport)));
        var forecastEvidence = LoadForecastEvidence(models, loggers.CreateLogger(typeof(ModelEndpoints)));
        app.MapGet("/api/models", async (IGrainFactory grains, IServiceProvider services) =>
            {
                var refinement = services.GetService<MarketPulse.Grains.Sentiment.SentimentRefinement>();
                var forecast = services.GetService<MarketPulse.Grains.Forecasts.LiveForecaster>()?.Model;
                var directory = grains.GetGrain<IMarketDirectoryGrain>(0);
                return TypedResults.Ok(new ModelsResponse(Catalog(services.GetService<ISentimentScorer>()?.Name ?? "served by the silos",
                    services.GetService<LivePriceModel>()?.Version, refinement?.Model, refinement?.Temperature, forecast?.Version),
                    await directory.GetSignalTotalsAsync(), outOfSample,
                    new ForecastModelReport(forecast?.Version, forecast?.TrainedFrom, forecast?.TrainedTo, forecast?.TrainingRows,
                        await directory.GetForecastTotalsAsync(), forecastEvidence?.DeepClone())));
            })
            .WithTags("Models").WithSummary("Models, versions, live hit rate / Brier per signal over all tickers, and each signal's out-of-sample quality measured offline.");

        var sources = app.MapGroup("/api/sources").WithTags("Sources");
        sources.MapGet("/market/{name}", async Task<Results<Ok<SourceStats>, ProblemHttpResult>> (string name, IGrainFactory grains) =>
                BadSourceName(name) ?? (Results<Ok<SourceStats>, ProblemHttpResult>)TypedResults.Ok(await grains.GetGrain<IMarketSourceGrain>(name).GetStatsAsync()))
            .WithSummary("A market source's counters: received, accepted, rejected by reason.");
        sources.MapGet("/text/{name}", async Task<Results<Ok<SourceStats>, ProblemHttpResult>> (string name, IGrainFactory grains) =>
                BadSourceName(name) ?? (Results<Ok<SourceStats>, ProblemHttpResult>)TypedResults.Ok(await grains.GetGrain<ITextSourceGrain>(name).GetStatsAsync()))
            .WithSummary("A text source's counters: received, accepted, rejected by reason.");
        app.MapGet("/api/replay", async Task<Ok<ReplayStatus>> (IGrainFactory grains, IOptions<MarketPulseOptions> options) =>
                TypedResults.Ok(await grains.GetGrain<IReplayGrain>(options.Value.Replay.Name).GetStatusAsync()))
            .WithTags("Sources").WithSummary("The configured replay's progress.");
    }

    /// <summary>Source names are short identifiers (<c>api</c>, <c>replay:stocknet</c>, <c>rss:sec</c>); anything else would only activate an empty grain.</summary>
    private static ProblemHttpResult? BadSourceName(string name) =>
        SourceNames.IsValid(name)
            ? null
            : TypedResults.Problem("name: a source name is 1 to 100 letters, digits or : . _ -", statusCode: 400, title: "Invalid request",
                extensions: new Dictionary<string, object?> { ["field"] = "name" });
}
