using MarketPulse.Cli;
using MarketPulse.Cli.Commands;
using MarketPulse.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Cli.Tests;

public sealed class KeysCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([KeysCommands.Create()], args);

    [Theory]
    [InlineData("--scopes", "read,write", "--scopes")]
    [InlineData("--scopes", "", "--scopes")]
    [InlineData("--owner", "alice smith", "--owner")]
    [InlineData("--expires", "yesterday", "--expires")]
    [InlineData("--expires", "2001-01-01T00:00:00Z", "--expires")]
    public async Task Create_refuses_bad_arguments_with_exit_2_before_touching_a_cluster(string option, string value, string message)
    {
        var args = new Dictionary<string, string> { ["--name"] = "bot", ["--owner"] = "alice", ["--scopes"] = "read,ingest" };
        args[option] = value;
        var (exit, stdout, stderr) = await RunCliAsync(["keys", "create", .. args.SelectMany(a => new[] { a.Key, a.Value }), "--gateway-port", "1"]);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains(message, stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Create_without_a_running_cluster_says_so()
    {
        var (exit, _, stderr) = await RunCliAsync("keys", "create", "--name", "bot", "--owner", "alice", "--scopes", "read", "--gateway-port", "1", "--connect-timeout", "2");
        Assert.Equal(1, exit);
        Assert.Contains("no MarketPulse cluster reachable", stderr);
    }

    [Fact]
    public void Expiry_is_days_from_now_or_a_future_time_and_scopes_are_normalised()
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var (_, _, scopes, expires) = ApiKeyAdmin.Validate("bot", "alice@example.com", " Read , INGEST,read", "90d", now);
        Assert.Equal(["read", "ingest"], scopes);
        Assert.Equal(now.AddDays(90), expires);
        Assert.Equal(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), ApiKeyAdmin.Validate("bot", "alice", "admin", "2026-06-01T00:00:00Z", now).ExpiresAtUtc);
        Assert.Null(ApiKeyAdmin.Validate("bot", "alice", "admin", null, now).ExpiresAtUtc);
    }
}

/// <summary>The commands against a real silo (in this process, localhost clustering, memory grain storage).</summary>
public sealed class KeysCommandClusterTests : IAsyncLifetime
{
    private Microsoft.Extensions.Hosting.IHost _silo = null!;
    private int _gatewayPort;

    public async Task InitializeAsync()
    {
        int Free()
        {
            using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        }
        _gatewayPort = Free();
        var siloPort = Free();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, _gatewayPort, serviceId: "marketpulse", clusterId: "marketpulse")
            .AddMemoryGrainStorage(MarketPulse.Abstractions.MarketPulseNames.GrainStorage));
        _silo = builder.Build();
        await _silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _silo.StopAsync();
        _silo.Dispose();
    }

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        CliHarness.RunAsync([KeysCommands.Create()], [.. args, "--gateway-port", _gatewayPort.ToString()]);

    [Fact]
    public async Task Create_prints_the_key_once_the_cluster_keeps_its_hash_and_revoke_marks_it()
    {
        var (exit, stdout, stderr) = await RunAsync("keys", "create", "--name", "ingest-bot", "--owner", "alice", "--scopes", "ingest,alerts", "--expires", "30d");
        Assert.True(exit == 0, stderr);
        Assert.Contains("shown only once", stderr);
        using var created = System.Text.Json.JsonDocument.Parse(stdout);
        var key = created.RootElement.GetProperty("key").GetString()!;
        var id = created.RootElement.GetProperty("record").GetProperty("id").GetString()!;
        Assert.True(MarketPulse.Abstractions.Security.ApiKeyFormat.TryParse(key, out var parsedId, out var secret));
        Assert.Equal(id, parsedId);

        var stored = await _silo.Services.GetRequiredService<IGrainFactory>().GetGrain<MarketPulse.Abstractions.Security.IApiKeyDirectoryGrain>(0).FindAsync(id);
        Assert.NotNull(stored);
        Assert.True(MarketPulse.Abstractions.Security.ApiKeyFormat.Matches(stored, secret));
        Assert.Equal(["ingest", "alerts"], stored.Scopes);
        Assert.Equal("alice", stored.Owner);

        var (listExit, list, _) = await RunAsync("keys", "list");
        Assert.Equal(0, listExit);
        Assert.Contains(id, list);
        Assert.DoesNotContain(secret, list);
        Assert.DoesNotContain(key, list);

        Assert.Equal(0, (await RunAsync("keys", "revoke", id)).Exit);
        var (_, afterRevoke, _) = await RunAsync("keys", "list");
        using var listed = System.Text.Json.JsonDocument.Parse(afterRevoke);
        Assert.False(listed.RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id).GetProperty("active").GetBoolean());
        var (missingExit, _, missingErr) = await RunAsync("keys", "revoke", "0000000000000000");
        Assert.Equal(1, missingExit);
        Assert.Contains("no key with id", missingErr);
    }
}
