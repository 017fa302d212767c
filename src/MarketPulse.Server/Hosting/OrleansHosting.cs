using System.Net;
using MarketPulse.Grains.Hosting;
using Orleans.Hosting;

namespace MarketPulse.Server.Hosting;

/// <summary>
/// The one place where the profile picks Orleans providers: localhost clustering, memory streams and storage in
/// Local; Redis membership and storage and durable Azure Queue streams in Cluster (see <see cref="ClusterProviders"/>).
/// </summary>
public static class OrleansHosting
{
    public static void AddMarketPulseSilo(this WebApplicationBuilder builder, MarketPulseOptions options)
    {
        var o = options.Orleans;
        if (options.Profile == DeploymentProfile.Cluster)
        {
            // Nothing acknowledged may live only in a silo's memory: tickers write before their batch is acknowledged.
            builder.Configuration["MarketPulse:Persistence:WriteThrough"] ??= "true";
        }
        // Hosted services start one after the other in registration order: registered before the silo, the models load
        // while the silo starts instead of on the first grain activation that needs them.
        builder.Services.AddHostedService<ModelWarmUp>();
        builder.UseOrleans(silo =>
        {
            if (options.Profile == DeploymentProfile.Cluster)
            {
                silo.UseMarketPulseCluster(builder.Configuration, options);
            }
            else
            {
                var primary = o.PrimarySiloPort is { } p && p != o.SiloPort ? new IPEndPoint(IPAddress.Loopback, p) : null;
                silo.UseLocalhostClustering(o.SiloPort, o.GatewayPort, primary, o.ServiceId, o.ClusterId);
                silo.AddMarketPulseMemoryProviders();
            }
            silo.AddActivityPropagation();
        });
        builder.Services.AddMarketPulseGrainServices(builder.Configuration);
        if (options.Profile == DeploymentProfile.Cluster && builder.Configuration.GetConnectionString(ClusterProviders.PostgresConnection) is { Length: > 0 } postgres)
        {
            builder.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(postgres));
            builder.Services.AddSingleton<MarketPulse.Abstractions.History.IHistoryStore, MarketPulse.Storage.PostgresHistoryStore>();
        }
    }

    public static void AddMarketPulseClient(this WebApplicationBuilder builder, MarketPulseOptions options)
    {
        var o = options.Orleans;
        builder.UseOrleansClient(client =>
        {
            if (options.Profile == DeploymentProfile.Cluster) client.UseMarketPulseCluster(builder.Configuration, options);
            else client.UseLocalhostClustering(o.GatewayPort, o.ServiceId, o.ClusterId);
            client.AddActivityPropagation();
        });
    }
}
