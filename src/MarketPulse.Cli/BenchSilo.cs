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
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // The silo locates the models as the other commands do (MarketPulse:Models:Path unset: the default folder).
        if (!CliModels.Locator.Candidates.Any(Directory.Exists))
            throw new CliInputException("models folder not found next to the executable or in the working directory");
        int siloPort = FreePort(), gatewayPort = FreePort();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, null, "marketpulse-bench", "marketpulse-bench");
            silo.AddMarketPulseMemoryProviders();
        });
        builder.Services.AddMarketPulseGrainServices(builder.Configuration);
        return builder.Build();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
