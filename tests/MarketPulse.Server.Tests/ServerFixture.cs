using System.Net;
using System.Net.Sockets;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MarketPulse.Server.Tests;

/// <summary>The real service (silo + gateway in one process) on free loopback ports, spoken to over real HTTP.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public const string ApiKey = "test-key-0123456789";

    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress => Http.BaseAddress!;

    /// <summary>The running service's container (its grain factory, to store API keys as the CLI does).</summary>
    public IServiceProvider Services => _app!.Services;

    protected abstract IEnumerable<string> ExtraArgs();

    public virtual async Task InitializeAsync()
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--MarketPulse:Orleans:SiloPort={FreePort()}",
            $"--MarketPulse:Orleans:GatewayPort={FreePort()}",
            $"--MarketPulse:Api:Keys:0={ApiKey}",
            "--Logging:LogLevel:Default=Warning",
            // In memory: no test depends on (or leaves anything in) a shared data directory.
            "--MarketPulse:Local:Persist=false",
            .. ExtraArgs(),
        ];
        _app = ServerApp.Build(args);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    internal static int FreePort() => Loopback.FreePort();
}

/// <summary>No replay: tests put in exactly the data they check.</summary>
public sealed class QuietServerFixture : ServerFixture
{
    protected override IEnumerable<string> ExtraArgs() => ["--MarketPulse:Replay:Enabled=false"];
}

/// <summary>The quick-start configuration: the bundled sample replayed on start.</summary>
public sealed class ReplayServerFixture : ServerFixture
{
    protected override IEnumerable<string> ExtraArgs() => ["--MarketPulse:Replay:Enabled=true"];
}

/// <summary>
/// No replay, webhook retries fast enough for a test to watch them, and webhooks allowed to reach the loopback receiver
/// over plain http (both are refused by default).
/// </summary>
public sealed class AlertServerFixture : ServerFixture
{
    protected override IEnumerable<string> ExtraArgs() =>
    [
        "--MarketPulse:Replay:Enabled=false", "--MarketPulse:Alerts:WebhookRetryDelay=00:00:00.050", "--MarketPulse:Alerts:WebhookRetries=3",
        "--MarketPulse:Alerts:AllowPrivateTargets=true", "--MarketPulse:Alerts:AllowHttpTargets=true",
    ];
}
