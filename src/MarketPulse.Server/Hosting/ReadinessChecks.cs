using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Sentiment;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MarketPulse.Server.Hosting;

/// <summary>Ready when a grain call round-trips through the cluster within two seconds.</summary>
public sealed class ClusterReadyCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var symbols = await grains.GetGrain<IMarketDirectoryGrain>(0).GetSymbolsAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"cluster reachable; {symbols.Count} symbols");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("cluster not reachable", ex);
        }
    }
}

/// <summary>Ready when this silo's models are loaded (resolving the scorer loads them).</summary>
public sealed class ModelsReadyCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var scorer = services.GetRequiredService<ISentimentScorer>();
            var transformer = services.GetRequiredService<MarketPulse.Grains.Sentiment.SentimentRefinement>();
            return Task.FromResult(HealthCheckResult.Healthy($"models loaded: {scorer.Name}{(transformer.Model is { } m ? ", " + m : "")}"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("models not loaded", ex));
        }
    }
}
