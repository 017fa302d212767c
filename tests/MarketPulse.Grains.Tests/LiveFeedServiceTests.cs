using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Grains.Hosting;
using MarketPulse.Ingestion.Live;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace MarketPulse.Grains.Tests;

/// <summary>The Coinbase adapter switched on by configuration in a real silo, fed by a loopback server: trades reach the ticker.</summary>
public class LiveFeedServiceTests
{
    [Fact]
    public async Task Switched_on_by_configuration_the_crypto_feed_reaches_the_ticker_and_its_problems_show_in_the_source_stats()
    {
        await using var server = await FrameServer.StartAsync(async (socket, n, srv, ct) =>
        {
            await srv.ReceiveAsync(socket, n, ct);
            await FrameServer.SendFramesAsync(socket, "coinbase-1.jsonl", ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var builder = new InProcessTestClusterBuilder(1);
        var models = RepoPaths.Models;
        builder.ConfigureSilo((_, silo) =>
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MarketPulse:Models:Path"] = models,
                ["MarketPulse:Live:Coinbase:Enabled"] = "true",
                ["MarketPulse:Live:Coinbase:Url"] = server.Url.ToString(),
                ["MarketPulse:Live:Coinbase:Symbols:0"] = "BTC-USD",
                ["MarketPulse:Live:Coinbase:Symbols:1"] = "ETH-USD",
                ["MarketPulse:Live:Coinbase:StaleAfterSeconds"] = "30",
            }).Build();
            silo.AddMarketPulseMemoryProviders();
            silo.Services.AddMarketPulseGrainServices(config);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var ticker = cluster.Client.GetGrain<ITickerGrain>("BTC-USD");
        var snap = await Eventually.Last(ticker.GetSnapshotAsync, s => s.TicksApplied >= 3, TimeSpan.FromSeconds(30));
        Assert.Equal(3, snap.TicksApplied);                 // 61300001, …02, …04; the bad-price match never became a tick
        Assert.Equal(43212.50, snap.LastPrice);
        Assert.Equal("crypto", snap.Calendar);

        var source = cluster.Client.GetGrain<IMarketSourceGrain>("live:coinbase");
        var stats = await Eventually.Last(source.GetStatsAsync, s => s.RejectedByReason.ContainsKey(FeedProblems.NotJson), TimeSpan.FromSeconds(30));
        Assert.Equal(4, stats.Accepted);                    // three BTC-USD and one ETH-USD
        Assert.Equal(1, stats.RejectedByReason[FeedProblems.NotJson]);
        Assert.Equal(1, stats.RejectedByReason[FeedProblems.BadTrade]);
        Assert.Equal(1, stats.RejectedByReason[FeedProblems.ProviderError]);
        Assert.False(stats.RejectedByReason.ContainsKey(RejectReasons.Duplicate));
    }
}
