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
        var models = RepoPaths.Find("models");
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

public static class RepoPaths
{
    /// <summary>Finds a folder of the repository (e.g. "models") by walking up from the test binaries.</summary>
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "MarketPulse.sln"))) return candidate;
        }
        throw new DirectoryNotFoundException($"'{relative}' not found above {AppContext.BaseDirectory}");
    }
}
