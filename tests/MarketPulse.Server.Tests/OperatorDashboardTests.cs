using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketPulse.Server.Hosting;

namespace MarketPulse.Server.Tests;

/// <summary>The Orleans dashboard on the gateway at /dashboard: on in the Local profile, off by default in Cluster.</summary>
public class OperatorDashboardTests(QuietServerFixture server) : IClassFixture<QuietServerFixture>
{
    [Fact]
    public async Task The_Local_service_serves_the_Orleans_dashboard_with_its_silo_and_grain_counters()
    {
        var page = await server.Http.GetStringAsync("/dashboard/");
        Assert.Contains("<title>Orleans Dashboard</title>", page);

        // What the dashboard's page polls: this silo, active and with activations of MarketPulse's grains.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement counters = default;
        while (DateTime.UtcNow < deadline)
        {
            counters = await server.Http.GetFromJsonAsync<JsonElement>("/dashboard/DashboardCounters");
            if (counters.GetProperty("totalActiveHostCount").GetInt32() == 1) break;
            await Task.Delay(250);
        }
        Assert.Equal(1, counters.GetProperty("totalActiveHostCount").GetInt32());
        Assert.Equal("Active", counters.GetProperty("hosts")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_a_key_only_requests_from_this_machine_get_the_dashboard()
    {
        // The fixture's client is on loopback: allowed without a key in Local. Turning that off leaves the API key.
        await using var closed = new DashboardKeyRequiredFixture();
        await closed.InitializeAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await closed.Http.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await closed.Http.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        var withKey = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        withKey.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await closed.Http.SendAsync(withKey)).StatusCode);
    }

    [Theory]
    [InlineData(DeploymentProfile.Local, null, true)]
    [InlineData(DeploymentProfile.Cluster, null, false)]
    [InlineData(DeploymentProfile.Cluster, true, true)]
    [InlineData(DeploymentProfile.Local, false, false)]
    public void On_by_default_in_Local_off_by_default_in_Cluster(DeploymentProfile profile, bool? configured, bool enabled) =>
        Assert.Equal(enabled, OperatorDashboard.IsEnabled(new MarketPulseOptions { Profile = profile, OrleansDashboard = { Enabled = configured } }));

    private sealed class DashboardKeyRequiredFixture : ServerFixture, IAsyncDisposable
    {
        protected override IEnumerable<string> ExtraArgs() =>
            ["--MarketPulse:Replay:Enabled=false", "--MarketPulse:OrleansDashboard:AllowLoopbackWithoutKey=false"];

        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }
}
