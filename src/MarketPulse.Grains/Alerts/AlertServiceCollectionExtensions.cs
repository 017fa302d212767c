using MarketPulse.Grains.Alerts;
using MarketPulse.Grains.History;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace MarketPulse.Grains.Hosting;

public static class AlertServiceCollectionExtensions
{
    /// <summary>The webhook dispatcher and its resilient HTTP client, and the history recorder (silo side).</summary>
    public static IServiceCollection AddMarketPulseAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HistoryRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryRecorder>());
        services.AddValidatedOptions<AlertOptions>(configuration, AlertOptions.Section);
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowPrivate = sp.GetRequiredService<IOptions<AlertOptions>>().Value.AllowPrivateTargets;
                // Addresses are checked where the socket is opened, after name resolution; no proxy (it would be the
                // address checked) and no redirects (a public target must not bounce the request inside).
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    ConnectCallback = (context, ct) => WebhookTargets.ConnectAsync(context.DnsEndPoint, allowPrivate, ct),
                };
            })
            .AddResilienceHandler("webhook", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<AlertOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.WebhookRetries,
                    Delay = o.WebhookRetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    // A refused target stays refused.
                    ShouldHandle = args => args.Outcome.Exception is HttpRequestException { InnerException: WebhookTargetRefusedException }
                        ? ValueTask.FromResult(false)
                        : ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                pipeline.AddTimeout(o.WebhookAttemptTimeout);
            });
        return services;
    }
}
