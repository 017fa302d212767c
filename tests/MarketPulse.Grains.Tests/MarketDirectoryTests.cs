using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Market;
using MarketPulse.Grains.Market;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MarketPulse.Grains.Tests;

/// <summary>
/// A ticker's registration with the market directory is in storage when the call returns, so a directory that fails
/// over to another silo (read back from storage) still lists every ticker that had registered; concurrent registrations
/// share writes and none is lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public class MarketDirectoryTests(ClusterFixture fixture)
{
    private IMarketDirectoryGrain Directory => fixture.Grains.GetGrain<IMarketDirectoryGrain>(0);

    private async Task<SortedSet<string>> StoredSymbolsAsync()
    {
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(MarketPulseNames.GrainStorage);
        var stored = new GrainState<DirectoryState>(new DirectoryState());
        await storage.ReadStateAsync("directory", Directory.GetGrainId(), stored);
        return stored.State?.Symbols ?? [];
    }

    [Fact]
    public async Task A_registration_is_in_storage_when_it_returns()
    {
        await Directory.RegisterAsync("DIRONE");
        Assert.Contains("DIRONE", await StoredSymbolsAsync());
        Assert.True(await Directory.ContainsAsync("DIRONE"));

        // Registering a known symbol again answers at once and changes nothing.
        await Directory.RegisterAsync("DIRONE");
        Assert.Single(await StoredSymbolsAsync(), s => s == "DIRONE");
    }

    [Fact]
    public async Task Concurrent_registrations_are_all_stored_and_listed()
    {
        var symbols = Enumerable.Range(0, 500).Select(i => $"DIRC{i:D3}").ToList();
        await Task.WhenAll(symbols.Select(s => Directory.RegisterAsync(s)));

        var stored = await StoredSymbolsAsync();
        Assert.All(symbols, s => Assert.Contains(s, stored));
        var listed = await Directory.GetSymbolsAsync();
        Assert.All(symbols, s => Assert.Contains(s, listed));
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed); // sorted, as the overview lists them
    }
}
