using System.Net;
using MarketPulse.Grains.Hosting;
using Orleans.Hosting;

namespace MarketPulse.Server.Hosting;

/// <summary>
/// The one place where the profile picks Orleans providers: localhost clustering, memory streams and grain state in the
/// embedded store (<see cref="EmbeddedStore"/>; in memory with <c>MarketPulse:Local:Persist=false</c>) in Local; Redis
/// membership and storage and durable Azure Queue streams in Cluster (see <see cref="ClusterProviders"/>).
/// </summary>
public static class OrleansHosting
{
    public static void AddMarketPulseSilo(this WebApplicationBuilder builder, MarketPulseOptions options)
    {
        var o = options.Orleans;
        var localStore = options.Profile == DeploymentProfile.Local && options.Local.Persist ? LocalStoreConnection(builder, options) : null;
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
                if (localStore is null) silo.AddMarketPulseMemoryProviders();
                else silo.AddMarketPulseRedisStorage(localStore, binary: true).AddMarketPulseLocalStreams();
            }
            silo.AddActivityPropagation();
            silo.AddMarketPulseDashboard(options);
        });
        // Nothing acknowledged may live only in a silo's memory: where state outlives the process, tickers write before
        // their batch is acknowledged (unless MarketPulse:Persistence:WriteThrough says otherwise).
        var durable = options.Profile == DeploymentProfile.Cluster || localStore is not null;
        builder.Services.AddMarketPulseGrainServices(builder.Configuration, writeThroughByDefault: durable);
        if (options.Profile == DeploymentProfile.Cluster && builder.Configuration.GetConnectionString(ClusterProviders.PostgresConnection) is { Length: > 0 } postgres)
        {
            builder.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(postgres));
            builder.Services.AddSingleton<MarketPulse.Abstractions.History.IHistoryStore, MarketPulse.Storage.PostgresHistoryStore>();
        }
    }

    /// <summary>
    /// Local profile with persistence: the silo that owns the store (the only one, or the primary of several local silos)
    /// runs it, registered before the silo so that it starts first and stops last; every silo connects to it.
    /// </summary>
    private static string LocalStoreConnection(WebApplicationBuilder builder, MarketPulseOptions options)
    {
        var o = options.Orleans;
        var local = options.Local;
        var secondary = o.PrimarySiloPort is { } p && p != o.SiloPort;
        if (secondary)
        {
            return local.StorePort > 0
                ? $"127.0.0.1:{local.StorePort}"
                : throw new InvalidOperationException(
                    "Several Local silos share the primary's embedded store: set MarketPulse:Local:StorePort (the same on every silo), or MarketPulse:Local:Persist=false.");
        }
        var path = Path.GetFullPath(local.DataPath);
        var port = EmbeddedStore.ResolvePort(local.StorePort);
        builder.Services.AddSingleton(sp => new EmbeddedStore(local, path, port, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedStore>());
        return $"127.0.0.1:{port}";
    }

    public static void AddMarketPulseClient(this WebApplicationBuilder builder, MarketPulseOptions options)
    {
        var o = options.Orleans;
        builder.UseOrleansClient(client =>
        {
            if (options.Profile == DeploymentProfile.Cluster) client.UseMarketPulseCluster(builder.Configuration, options);
            else client.UseLocalhostClustering(o.GatewayPort, o.ServiceId, o.ClusterId);
            client.AddActivityPropagation();
            client.AddMarketPulseDashboard(options);
        });
    }
}
