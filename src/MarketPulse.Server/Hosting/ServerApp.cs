using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Server.Api;
using MarketPulse.Server.Observability;
using MarketPulse.Server.Realtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MarketPulse.Server.Hosting;

/// <summary>Builds the service for its configured role; Program.cs and the API tests both start it through here.</summary>
public static class ServerApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(MarketPulseOptions.Section).Get<MarketPulseOptions>() ?? new MarketPulseOptions();
        builder.Services.Configure<MarketPulseOptions>(builder.Configuration.GetSection(MarketPulseOptions.Section));

        var hostsSilo = options.Role is ServerRole.All or ServerRole.Silo;
        var hostsApi = options.Role is ServerRole.All or ServerRole.Gateway;
        if (hostsSilo) builder.AddMarketPulseSilo(options);
        else builder.AddMarketPulseClient(options);

        var health = builder.Services.AddHealthChecks().AddCheck<ClusterReadyCheck>("cluster", tags: ["ready"]);
        if (hostsSilo)
        {
            health.AddCheck<ModelsReadyCheck>("models", tags: ["ready"]);
            builder.Services.AddHostedService<ReplayHostedService>();
        }

        if (hostsApi) AddApiServices(builder, options);
        builder.AddMarketPulseTelemetry();

        var app = builder.Build();
        if (hostsApi) MapApi(app);
        app.MapPrometheusScrapingEndpoint();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    private static void AddApiServices(WebApplicationBuilder builder, MarketPulseOptions options)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ClusterUnavailableExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A NaN that slips through must not turn a whole response into a 500.
            json.SerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddSignalR().AddJsonProtocol(json =>
        {
            json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.PayloadSerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        // The gateway role has no grain services; the relay records push latency on the same meter.
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<PipelineMetrics>();
        builder.Services.AddHostedService<MarketPushRelay>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(IngestEndpoints.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.Name ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Api.IngestRequestsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
    }

    private static void MapApi(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapTickerEndpoints();
        app.MapIngestEndpoints();
        app.MapModelEndpoints();
        app.MapAlertEndpoints();
        app.MapHub<MarketHub>(MarketHub.Path);
        app.Map("/api/{**rest}", () => TypedResults.Problem("No such API endpoint.", statusCode: 404, title: "Not found"));
        app.MapFallbackToFile("index.html");
    }
}
