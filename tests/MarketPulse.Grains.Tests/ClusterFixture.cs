using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace MarketPulse.Grains.Tests;

/// <summary>A real in-process Orleans cluster (two silos) with the service's own providers and grain services.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        var models = RepoPaths.Models;
        builder.ConfigureSilo((_, silo) =>
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MarketPulse:Models:Path"] = models,
            }).Build();
            silo.AddMarketPulseMemoryProviders();
            silo.Services.AddMarketPulseGrainServices(config);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
