using System.Text.Json.Serialization;
using MarketPulse.Grains.Hosting;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Server.Api;
using MarketPulse.Server.Observability;
using MarketPulse.Server.Realtime;
using MarketPulse.Server.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace MarketPulse.Server.Hosting;

/// <summary>Builds the service for its configured role; Program.cs and the API tests both start it through here.</summary>
public static class ServerApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The host is shaped by these settings before there is a container (role, profile, ports), so they are checked
        // here, with the rules IOptions<MarketPulseOptions> checks again at start.
        var options = builder.Configuration.GetSection(MarketPulseOptions.Section).Get<MarketPulseOptions>() ?? new MarketPulseOptions();
        var validator = new SectionValidator<MarketPulseOptions>(MarketPulseOptions.Section);
        if (validator.Validate(null, options) is { Failed: true } invalid)
            throw new Microsoft.Extensions.Options.OptionsValidationException(MarketPulseOptions.Section, typeof(MarketPulseOptions), invalid.Failures);
        builder.Services.AddValidatedOptions<MarketPulseOptions>(builder.Configuration, MarketPulseOptions.Section);

        var hostsSilo = options.Role is ServerRole.All or ServerRole.Silo;
        var hostsApi = options.Role is ServerRole.All or ServerRole.Gateway;
        if (hostsSilo) builder.AddMarketPulseSilo(options);
        else builder.AddMarketPulseClient(options);

        var health = builder.Services.AddHealthChecks().AddCheck<ClusterReadyCheck>("cluster", tags: ["ready"]);
        health.AddClusterDependencyChecks(builder.Configuration, options, hostsSilo);
        if (hostsSilo)
        {
            health.AddCheck<ModelsReadyCheck>("models", tags: ["ready"]);
            builder.Services.AddHostedService<ReplayHostedService>();
        }

        if (hostsApi) AddApiServices(builder, options);
        builder.AddMarketPulseTelemetry();

        var app = builder.Build();
        if (hostsApi) MapApi(app, options);
        app.MapPrometheusScrapingEndpoint();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthJson.WriteAsync });
        return app;
    }

    private static void AddApiServices(WebApplicationBuilder builder, MarketPulseOptions options)
    {
        // The models endpoint serves the evaluation reports shipped beside the models, also on a gateway without a silo.
        builder.Services.AddMarketPulseModels(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ClusterUnavailableExceptionHandler>();
        builder.Services.AddOpenApi(o =>
        {
            OpenApiSecurity.Configure(o, options);
            OpenApiWireSchemas.Configure(o);
        });
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A NaN that slips through must not turn a whole response into a 500.
            json.SerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        builder.AddMarketPulseSecurity(options);
        builder.Services.AddAuthorization(authorization => authorization.AddOperatorDashboardPolicy(options));
        builder.Services.AddSignalR().AddJsonProtocol(json =>
        {
            json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.PayloadSerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        // The gateway role has no grain services; the relay records push latency on the same meter.
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<PipelineMetrics>();
        builder.Services.AddHostedService<MarketPushRelay>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SystemMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SystemMonitor>());
    }

    private static void MapApi(WebApplication app, MarketPulseOptions options)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseMarketPulseSecurity();
        app.MapOpenApi();
        app.MapScalarApiReference("/scalar", scalar => scalar.WithTitle("MarketPulse API").AddPreferredSecuritySchemes(ApiKeyAuthenticationHandler.SchemeName));
        // Reads are open unless MarketPulse:Api:RequireKeyForReads; writes need their scope (see Principals).
        var reads = app.MapGroup("").RequireAuthorization(Principals.ReadPolicy);
        reads.MapTickerEndpoints();
        reads.MapModelEndpoints();
        reads.MapSystemEndpoints();
        app.MapIngestEndpoints().RequireAuthorization(Principals.IngestPolicy);
        app.MapAlertEndpoints().RequireAuthorization(Principals.AlertsPolicy);
        app.MapHub<MarketHub>(MarketHub.Path).RequireAuthorization(Principals.ReadPolicy);
        app.MapMarketPulseDashboard(options);
        app.Map("/api/{**rest}", () => TypedResults.Problem("No such API endpoint.", statusCode: 404, title: "Not found")).ExcludeFromDescription();
        app.MapFallbackToFile("index.html");
    }
}
