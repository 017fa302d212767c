using MarketPulse.Core.Sentiment;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Grains.Sentiment;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Hosting;

/// <summary>
/// Loads this silo's models (lexicon, price model, sentiment transformer) on a background thread as soon as the host
/// starts, while the silo itself is still starting. Without it the first grain to need a model builds the singleton on
/// an Orleans scheduler thread, and every sentiment grain activating meanwhile waits on it (~1 s for the transformer).
/// Failures are left to the models readiness check, which resolves the same singletons and reports why.
/// </summary>
public sealed class ModelWarmUp(IServiceProvider services, ILogger<ModelWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() =>
        {
            try
            {
                services.GetRequiredService<ISentimentScorer>();
                services.GetRequiredService<LivePriceModel>();
                services.GetRequiredService<SentimentRefinement>();
            }
            catch (Exception ex)
            {
                HostingLog.ModelWarmUpFailed(logger, ex);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
