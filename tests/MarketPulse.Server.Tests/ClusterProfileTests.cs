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

/// <summary>
/// The Cluster profile for real: Redis membership and grain storage, Azure Queue streams on Azurite, three silo
/// processes and a gateway on one machine with their own ports. One silo is killed (SIGKILL) right after ingest
/// was acknowledged; every acknowledged tick must still be applied exactly once.
/// </summary>
public class ClusterProfileTests
{
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "MarketPulse.Server.dll");

    private static string[] Common(ClusterBackends b) =>
    [
        "--MarketPulse:Profile=Cluster",
        $"--ConnectionStrings:redis={b.Redis}",
        $"--ConnectionStrings:queues={b.Queues}",
        $"--ConnectionStrings:postgres={b.Postgres}",
        "--MarketPulse:Orleans:AdvertisedIPAddress=127.0.0.1",
        $"--MarketPulse:Orleans:ClusterId={b.ClusterId}",
        "--MarketPulse:Streams:VisibilityTimeout=00:00:05",
        "--Logging:LogLevel:Default=Warning",
    ];

    private static ExternalProcess StartSilo(ClusterBackends b, string name, out Uri http)
    {
        var port = ServerFixture.FreePort();
        http = new Uri($"http://127.0.0.1:{port}");
        return new ExternalProcess(name, "dotnet",
        [
            ServerDll, "--urls", http.ToString(), "--MarketPulse:Role=silo", "--MarketPulse:Replay:Enabled=false",
            $"--MarketPulse:Orleans:SiloPort={ServerFixture.FreePort()}", $"--MarketPulse:Orleans:GatewayPort={ServerFixture.FreePort()}",
            .. Common(b),
        ], AppContext.BaseDirectory);
    }

    private static async Task WaitReadyAsync(HttpClient http, Uri baseUri, Func<string> diagnostics, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(baseUri, "/health/ready"))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
                // The probe's own timeout: a silo still starting on a loaded machine answers late; ask again.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{baseUri} not ready:\n{diagnostics()}");
            await Task.Delay(250);
        }
    }

    private static string Ticks(int from, int count) =>
        "[" + string.Join(",", Enumerable.Range(from, count).Select(i =>
            Ingest.Tick("DURA", DateTime.Parse("2024-05-01T14:30:00Z").ToUniversalTime().AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ"), 100 + i % 7))) + "]";

    [ClusterFact]
    public async Task Ticks_acknowledged_before_a_silo_is_killed_are_all_applied_exactly_once()
    {
        await using var backends = new ClusterBackends();
        await backends.StartAsync();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await using var silo1 = StartSilo(backends, "silo1", out var silo1Http);
        await using var silo2 = StartSilo(backends, "silo2", out var silo2Http);
        await using var silo3 = StartSilo(backends, "silo3", out var silo3Http);
        string Diagnostics() => string.Join("\n---\n", new[] { silo1, silo2, silo3 }.Select(s => $"{s.Name} (exited: {s.HasExited}):\n{s.Tail}"));
        await WaitReadyAsync(probe, silo1Http, Diagnostics);
        await WaitReadyAsync(probe, silo2Http, Diagnostics);
        await WaitReadyAsync(probe, silo3Http, Diagnostics);

        // Readiness names each dependency: Redis, the stream queues and PostgreSQL on a silo.
        var ready = await probe.GetFromJsonAsync<JsonElement>(new Uri(silo1Http, "/health/ready"));
        foreach (var check in new[] { "cluster", "models", "redis", "queues", "postgres" })
            Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());

        await using var gateway = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--MarketPulse:Role=gateway", $"--MarketPulse:Api:Keys:0={ServerFixture.ApiKey}",
            .. Common(backends),
        ]);
        await gateway.StartAsync();
        var gatewayUri = new Uri(gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = gatewayUri, Timeout = TimeSpan.FromSeconds(60) };
        await WaitReadyAsync(http, gatewayUri, Diagnostics);

        // An alert rule lives in grain storage (Redis): it must outlive the silo that held it.
        var create = new HttpRequestMessage(HttpMethod.Post, "/api/alerts")
        {
            Content = new StringContent("""{"symbol":"DURA","kind":"price-above","threshold":1000}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        var created = await http.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ruleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        // Ten quick batches; each answer says how many ticks were durably queued.
        var acknowledged = 0;
        for (var b = 0; b < 10; b++)
        {
            var response = await Ingest.TicksAsync(http, Ticks(b * 20, 20));
            acknowledged += (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32();
        }
        Assert.Equal(200, acknowledged);
        silo1.Kill();

        var applied = await WaitForTicksAsync(http, acknowledged, 120, Diagnostics);
        Assert.Equal(acknowledged, applied);

        // The rule's grain may have lived on the killed silo: until membership declares it dead (seconds), a call to it
        // fails, and the API must say "retry" (503 + Retry-After), never 500; a retrying client then gets the rule.
        JsonElement rules;
        var unavailable = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(90); ;)
        {
            var list = new HttpRequestMessage(HttpMethod.Get, "/api/alerts?symbol=DURA");
            list.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
            var answer = await http.SendAsync(list);
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                rules = await answer.Content.ReadFromJsonAsync<JsonElement>();
                break;
            }
            Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            var retryAfter = answer.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("503 without Retry-After");
            unavailable++;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"alerts still unavailable after {unavailable} tries:\n{Diagnostics()}");
            await Task.Delay(retryAfter);
        }
        Assert.Equal(ruleId, Assert.Single(rules.EnumerateArray()).GetProperty("id").GetString());

        // The cluster keeps working on the survivors.
        var after = await Ingest.TicksAsync(http, Ticks(200, 50));
        acknowledged += (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32();
        Assert.Equal(acknowledged, await WaitForTicksAsync(http, acknowledged, 60, Diagnostics));

        // A trade on the next day closes 2024-05-01; the closed day lands in the PostgreSQL history.
        await Ingest.TicksAsync(http, $"[{Ingest.Tick("DURA", "2024-05-02T14:30:00Z", 99)}]");
        var store = new MarketPulse.Storage.PostgresHistoryStore(Npgsql.NpgsqlDataSource.Create(backends.Postgres));
        IReadOnlyList<MarketPulse.Abstractions.Market.BarDto> bars = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(30); bars.Count == 0 && DateTime.UtcNow < deadline; await Task.Delay(250))
            bars = await store.GetDailyBarsAsync("DURA");
        var day = Assert.Single(bars);
        Assert.Equal(new DateOnly(2024, 5, 1), day.TradingDay);
        Assert.Equal(100 + 249 % 7, day.Close); // the day's last trade, ingested after the recovery
        // Volume, high and low do not depend on order: every acknowledged trade is in the bar exactly once. (The open
        // may not be the earliest trade: a batch redelivered after the silo's death can arrive after later ones.)
        Assert.Equal(250, day.Volume);
        Assert.Equal(106, day.High);
        Assert.Equal(100, day.Low);
        await gateway.StopAsync();
    }

    /// <summary>Waits until the ticker reports at least <paramref name="expected"/> applied ticks, then a little longer to catch double counting.</summary>
    private static async Task<long> WaitForTicksAsync(HttpClient http, int expected, int seconds, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        long applied = -1;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await http.GetAsync("/api/tickers/DURA");
                if (response.IsSuccessStatusCode)
                {
                    applied = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticker").GetProperty("ticksApplied").GetInt64();
                    if (applied >= expected) break;
                }
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(500);
        }
        if (applied < expected) throw new TimeoutException($"ticksApplied {applied}, expected {expected}; last answer {last}:\n{diagnostics()}");
        await Task.Delay(TimeSpan.FromSeconds(7)); // past the visibility timeout: a redelivery would show now
        var final = await http.GetFromJsonAsync<JsonElement>("/api/tickers/DURA");
        return final.GetProperty("ticker").GetProperty("ticksApplied").GetInt64();
    }
}
