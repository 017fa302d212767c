using MarketPulse.Core.Sentiment;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Grains.Market;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ingestion.Live;
using MarketPulse.Ingestion.Validation;
using MarketPulse.Ml;
using MarketPulse.Ml.Price;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Hosting;

public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// Services the grains need in a silo: options, metrics and the sentiment scorer loaded from the models folder.
    /// <paramref name="writeThroughByDefault"/>: tickers write their state before a batch is acknowledged unless
    /// <c>MarketPulse:Persistence:WriteThrough</c> says otherwise (the host passes true where state outlives the process).
    /// </summary>
    public static IServiceCollection AddMarketPulseGrainServices(this IServiceCollection services, IConfiguration configuration,
        bool writeThroughByDefault = false)
    {
        services.AddMetrics();
        services.AddValidatedOptions<SentimentOptions>(configuration, SentimentOptions.Section);
        services.AddMarketPulseModels(configuration);
        // The default goes in before the binding, so that a configured value still wins.
        if (writeThroughByDefault) services.AddOptions<PersistenceOptions>().Configure(p => p.WriteThrough = true);
        services.AddValidatedOptions<PersistenceOptions>(configuration, PersistenceOptions.Section);
        services.AddValidatedOptions<MarketValidationOptions>(configuration, MarketValidationOptions.Section);
        services.AddValidatedOptions<LiveFeedsOptions>(configuration, LiveFeedsOptions.Section);
        services.AddHostedService<LiveFeedService>();
        services.AddValidatedOptions<MarketPulse.Ingestion.Text.Live.TextSourcesOptions>(configuration, MarketPulse.Ingestion.Text.Live.TextSourcesOptions.Section);
        services.AddValidatedOptions<MarketPulse.Grains.Sentiment.TextOptions>(configuration, MarketPulse.Grains.Sentiment.TextOptions.Section);
        // No per-request log lines from the client factory: every poll would log twice; the sources log their problems once per reason.
        services.AddHttpClient(MarketPulse.Grains.Sources.LiveTextService.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<MarketPulse.Grains.Sources.LiveTextService>();
        services.AddHostedService(sp => sp.GetRequiredService<MarketPulse.Grains.Sources.LiveTextService>());
        services.AddSingleton<PipelineMetrics>();
        services.AddMarketPulseAlerts(configuration);
        services.AddSingleton<ISentimentScorer>(sp =>
        {
            var models = sp.GetRequiredService<ModelLocator>();
            var lexicon = models.Find(LexiconSentimentScorer.LexiconFileName) ?? throw new FileNotFoundException(
                $"sentiment lexicon not found: no {LexiconSentimentScorer.LexiconFileName} in {string.Join(" or ", models.Candidates)} (set MarketPulse:Models:Path)",
                models.PathOf(LexiconSentimentScorer.LexiconFileName));
            var dir = Path.GetDirectoryName(lexicon)!;
            var sentiment = sp.GetRequiredService<IOptions<SentimentOptions>>().Value;
            if (string.IsNullOrWhiteSpace(sentiment.LoughranMcDonaldPath)) return LexiconSentimentScorer.LoadShipped(dir);
            var scorer = LexiconSentimentScorer.LoadShipped(dir, LoadLoughranMcDonald(sentiment.LoughranMcDonaldPath),
                LoughranMcDonaldCombination.Default with { Mode = sentiment.LoughranMcDonaldMode });
            HostingLog.LexiconMerged(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrainServiceCollectionExtensions)),
                scorer.Name, sentiment.LoughranMcDonaldPath, sentiment.LoughranMcDonaldMode, scorer.ChangedByLoughranMcDonald);
            return scorer;
        });
        // The price model and the forecasts keep the VADER-only lexicon: their sentiment inputs were computed with it in training.
        services.AddSingleton(sp => new MarketPulse.Grains.Sentiment.PostPolarity(
            LexiconSentimentScorer.LoadShipped(sp.GetRequiredService<ModelLocator>().FolderOf(LexiconSentimentScorer.LexiconFileName))));
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILogger<LivePriceModel>>();
            var path = sp.GetRequiredService<ModelLocator>().PathOf(PriceModel.DefaultFileName);
            PriceModel? model = null;
            if (File.Exists(path)) model = PriceModel.Load(path);
            else HostingLog.NoPriceModel(logger, path);
            return new LivePriceModel(model, sp.GetRequiredService<MarketPulse.Grains.Sentiment.PostPolarity>(), logger);
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<ModelLocator>().PathOf(MarketPulse.Ml.Forecasting.ForecastModelFile.DefaultFileName);
            MarketPulse.Core.Forecasting.ForecastModel? model = null;
            if (File.Exists(path)) model = MarketPulse.Ml.Forecasting.ForecastModelFile.Load(path);
            else HostingLog.NoForecastModel(sp.GetRequiredService<ILogger<MarketPulse.Grains.Forecasts.LiveForecaster>>(), path);
            return new MarketPulse.Grains.Forecasts.LiveForecaster(model, sp.GetRequiredService<MarketPulse.Grains.Sentiment.PostPolarity>());
        });
        // Sentiment: the production transformer and its bounded refine queue, one per silo.
        services.AddSingleton<MarketPulse.Grains.Sentiment.SentimentRefinement>();
        // Durable unless the Local profile's in-memory providers say otherwise (AddMarketPulseMemoryProviders).
        services.TryAddSingleton(GrainStateDurability.Durable);
        services.AddSingleton<MarketPulse.Grains.Sentiment.TextPipelineFactory>();
        return services;
    }

    /// <summary>
    /// Where the shipped models are (<c>MarketPulse:Models</c>): the silo loads them, the gateway serves the evaluation
    /// reports beside them. Idempotent, since a process that hosts both registers it twice.
    /// </summary>
    public static IServiceCollection AddMarketPulseModels(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<ModelOptions>))) return services;
        services.AddValidatedOptions<ModelOptions>(configuration, ModelOptions.Section);
        services.AddSingleton(sp => new ModelLocator(sp.GetRequiredService<IOptions<ModelOptions>>().Value.Path));
        return services;
    }

    private static LoughranMcDonaldLexicon LoadLoughranMcDonald(string configured)
    {
        var path = PathResolver.Resolve(configured);
        try
        {
            return LoughranMcDonaldLexicon.Load(path);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"MarketPulse:Sentiment:LoughranMcDonaldPath: {ex.Message}", ex);
        }
    }
}
