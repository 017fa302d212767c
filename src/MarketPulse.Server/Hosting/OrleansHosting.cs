using System.Net;
using MarketPulse.Grains.Hosting;
using Orleans.Hosting;

namespace MarketPulse.Server.Hosting;

/// <summary>The one place where the profile picks Orleans providers: memory streams and storage locally.</summary>
public static class OrleansHosting
{
    public static void AddMarketPulseSilo(this WebApplicationBuilder builder, MarketPulseOptions options)
    {
        EnsureSupported(options);
        var o = options.Orleans;
        builder.UseOrleans(silo =>
        {
            var primary = o.PrimarySiloPort is { } p && p != o.SiloPort ? new IPEndPoint(IPAddress.Loopback, p) : null;
            silo.UseLocalhostClustering(o.SiloPort, o.GatewayPort, primary, o.ServiceId, o.ClusterId);
            silo.AddMarketPulseMemoryProviders();
            silo.AddActivityPropagation();
        });
        builder.Services.AddMarketPulseGrainServices(builder.Configuration);
    }

    public static void AddMarketPulseClient(this WebApplicationBuilder builder, MarketPulseOptions options)
    {
        EnsureSupported(options);
        var o = options.Orleans;
        builder.UseOrleansClient(client => client.UseLocalhostClustering(o.GatewayPort, o.ServiceId, o.ClusterId).AddActivityPropagation());
    }

    private static void EnsureSupported(MarketPulseOptions options)
    {
        if (options.Profile != DeploymentProfile.Local)
            throw new InvalidOperationException(
                $"MarketPulse:Profile '{options.Profile}' is not available in this build: only 'Local' (localhost clustering, memory streams) is. See docs/architecture.md.");
    }
}
