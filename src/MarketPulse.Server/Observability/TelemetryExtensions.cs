using Azure.Monitor.OpenTelemetry.AspNetCore;
using MarketPulse.Grains.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MarketPulse.Server.Observability;

public static class TelemetryExtensions
{
    public const string AzureMonitorConnectionVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// OpenTelemetry for metrics (MarketPulse, Orleans, ASP.NET Core, runtime), traces (HTTP → grain calls) and logs
    /// (with trace ids). Prometheus scrapes <c>/metrics</c>; setting <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (e.g. an Azure
    /// Monitor or collector endpoint) adds OTLP export of all three.
    /// </summary>
    public static void AddMarketPulseTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("marketpulse", serviceInstanceId: Environment.MachineName))
            .WithMetrics(m => m
                // Microsoft.AspNetCore.Http.Connections: SignalR's own signalr.server.active_connections and connection.duration.
                .AddMeter(PipelineMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Http.Connections")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(t => t
                .AddSource(PipelineMetrics.ActivitySource.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => ctx.Request.Path != "/metrics"));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();
        // Azure: Application Insights (traces, logs, metrics incl. MarketPulse's meter, added above) via the Azure Monitor
        // distro, which reads the connection string from the same variable. Prometheus' /metrics stays as it is.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[AzureMonitorConnectionVariable])) otel.UseAzureMonitor();
    }
}
