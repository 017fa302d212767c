using Azure.Monitor.OpenTelemetry.AspNetCore;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Tests;

/// <summary>APPLICATIONINSIGHTS_CONNECTION_STRING turns on export to Application Insights; /metrics keeps working beside it.</summary>
public class AzureMonitorExportTests
{
    // A syntactically valid connection string whose ingestion endpoint refuses connections: nothing leaves the machine.
    private const string Connection = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";

    private static string[] Args(params string[] extra) =>
    [
        "--urls", "http://127.0.0.1:0",
        $"--MarketPulse:Orleans:SiloPort={ServerFixture.FreePort()}", $"--MarketPulse:Orleans:GatewayPort={ServerFixture.FreePort()}",
        "--MarketPulse:Replay:Enabled=false", "--MarketPulse:Local:Persist=false", "--Logging:LogLevel:Default=Warning",
        .. extra,
    ];

    [Fact]
    public async Task With_the_connection_string_the_service_exports_to_Azure_Monitor_and_still_serves_Prometheus()
    {
        await using var app = ServerApp.Build(Args($"--APPLICATIONINSIGHTS_CONNECTION_STRING={Connection}"));
        Assert.Equal(Connection, app.Services.GetRequiredService<IOptionsMonitor<AzureMonitorOptions>>().Get(Options.DefaultName).ConnectionString);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        Assert.True((await http.GetAsync("/health/live")).IsSuccessStatusCode);
        Assert.Contains("http_server_request_duration_seconds", await http.GetStringAsync("/metrics"));
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_it_nothing_is_exported_to_Azure_Monitor()
    {
        await using var app = ServerApp.Build(Args());
        Assert.Null(app.Services.GetService<IOptionsMonitor<AzureMonitorOptions>>()?.Get(Options.DefaultName).ConnectionString);
    }
}
