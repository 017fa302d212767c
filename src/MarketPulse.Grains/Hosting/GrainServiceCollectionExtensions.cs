using MarketPulse.Core.Sentiment;
using MarketPulse.Grains.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Hosting;

public static class GrainServiceCollectionExtensions
{
    /// <summary>Services the grains need in a silo: options, metrics and the sentiment scorer loaded from the models folder.</summary>
    public static IServiceCollection AddMarketPulseGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.Configure<SentimentOptions>(configuration.GetSection("MarketPulse:Sentiment"));
        services.Configure<ModelOptions>(configuration.GetSection("MarketPulse:Models"));
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton<ISentimentScorer>(sp =>
        {
            var dir = PathResolver.Resolve(sp.GetRequiredService<IOptions<ModelOptions>>().Value.Path);
            var lexicon = Path.Combine(dir, "vader_lexicon.txt");
            if (!File.Exists(lexicon)) throw new FileNotFoundException($"sentiment lexicon not found at {lexicon} (set MarketPulse:Models:Path)", lexicon);
            return LexiconSentimentScorer.LoadShipped(dir);
        });
        // Sentiment: the production transformer and its bounded refine queue, one per silo.
        services.AddSingleton<MarketPulse.Grains.Sentiment.SentimentRefinement>();
        services.AddSingleton<MarketPulse.Grains.Sentiment.TextPipelineFactory>();
        return services;
    }
}
