using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MarketPulse.Server.Tests;

/// <summary>A silo process and a separate gateway (an Orleans client) on their own ports, as in a real deployment.</summary>
[Collection(MetricsCollection.Name)]
public class RoleSplitTests
{
    [Fact]
    public async Task A_gateway_role_serves_the_api_and_signalr_pushes_from_a_separate_silo()
    {
        var siloPort = ServerFixture.FreePort();
        var gatewayPort = ServerFixture.FreePort();
        string[] common = [$"--MarketPulse:Orleans:SiloPort={siloPort}", $"--MarketPulse:Orleans:GatewayPort={gatewayPort}", "--Logging:LogLevel:Default=Warning", "--MarketPulse:Local:Persist=false"];
        await using var silo = ServerApp.Build([.. common, "--urls", "http://127.0.0.1:0", "--MarketPulse:Role=silo", "--MarketPulse:Replay:Enabled=false"]);
        await silo.StartAsync();
        await using var gateway = ServerApp.Build([.. common, "--urls", "http://127.0.0.1:0", "--MarketPulse:Role=gateway", $"--MarketPulse:Api:Keys:0={ServerFixture.ApiKey}"]);
        await gateway.StartAsync();
        try
        {
            using var siloHttp = new HttpClient { BaseAddress = Address(silo) };
            using var http = new HttpClient { BaseAddress = Address(gateway) };

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await siloHttp.GetAsync("/api/tickers")).StatusCode);

            // The push crosses processes: silo's notifier → the gateway's grain observer (an Orleans client) → SignalR.
            await using var hub = await MarketHubClient.ConnectAsync(Address(gateway));
            await hub.SubscribeAsync("SPLT");

            var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/ticks")
            {
                Content = new StringContent("""[{"symbol":"SPLT","time":"2024-05-01T14:30:00Z","price":42,"size":1}]""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
            var ingest = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);

            var deadline = DateTime.UtcNow.AddSeconds(20);
            JsonElement snapshot = default;
            while (DateTime.UtcNow < deadline)
            {
                var response = await http.GetAsync("/api/tickers/SPLT");
                if (response.IsSuccessStatusCode)
                {
                    snapshot = await response.Content.ReadFromJsonAsync<JsonElement>();
                    if (snapshot.GetProperty("ticker").GetProperty("ticksApplied").GetInt64() == 1) break;
                }
                await Task.Delay(100);
            }
            Assert.Equal(42, snapshot.GetProperty("ticker").GetProperty("lastPrice").GetDouble());
            var push = await MarketHubClient.WaitForAsync(hub.Tickers, p => p.GetProperty("ticker").GetProperty("ticksApplied").GetInt64() == 1);
            Assert.Equal(42, push.GetProperty("ticker").GetProperty("lastPrice").GetDouble());
            var gatewayMetrics = await http.GetStringAsync("/metrics");
            Assert.Matches(@"marketpulse_push_latency_milliseconds_count\{?[^ ]*\}? [1-9]", gatewayMetrics);
        }
        finally
        {
            await gateway.StopAsync();
            await silo.StopAsync();
        }
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
