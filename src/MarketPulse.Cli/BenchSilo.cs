using System.Net;
using System.Net.Sockets;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Cli;

/// <summary>The silo the <c>bench</c> commands drive.</summary>
internal static class BenchSilo
{
    /// <summary>One in-process silo on free loopback ports with the service's grain services and in-memory providers.</summary>
    /// <param name="configure">More silo configuration (the pipeline bench's grain-call timer).</param>
    /// <param name="logs">A log provider to count the silo's log lines (none: the silo logs nowhere).</param>
    public static IHost Build(Action<ISiloBuilder>? configure = null, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs);
        RequireModels();
        int siloPort = FreePort(), gatewayPort = FreePort();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, null, "marketpulse-bench", "marketpulse-bench");
            silo.AddMarketPulseMemoryProviders();
            configure?.Invoke(silo);
        });
        builder.Services.AddMarketPulseGrainServices(builder.Configuration);
        return builder.Build();
    }

    /// <summary>The silo locates the models as the other commands do (MarketPulse:Models:Path unset: the default folder).</summary>
    public static void RequireModels()
    {
        if (!CliModels.Locator.Candidates.Any(Directory.Exists))
            throw new CliInputException("models folder not found next to the executable or in the working directory");
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
