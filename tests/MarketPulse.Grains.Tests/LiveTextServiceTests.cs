using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Grains.Hosting;
using MarketPulse.Ingestion.Text.Live;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MarketPulse.Grains.Tests;

/// <summary>An EDGAR-style Atom feed switched on by configuration in a real silo, served from loopback: filings reach the sentiment grain.</summary>
public class LiveTextServiceTests
{
    [Fact]
    public async Task Switched_on_by_configuration_an_rss_feed_reaches_the_sentiment_grain_and_its_problems_show_in_the_source_stats()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
            HttpReplayServer.SendFileAsync(ctx, req.Number switch { 1 => "edgar-8k-1.xml", 2 => "malformed.xml", _ => "edgar-8k-2.xml" }, "application/atom+xml"));
        var builder = new InProcessTestClusterBuilder(1);
        var models = RepoPaths.Models;
        var stockTable = Path.Combine(RepoPaths.Path("data"), "sample", "stocknet", "StockTable");
        builder.ConfigureSilo((_, silo) =>
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MarketPulse:Models:Path"] = models,
                ["MarketPulse:Sentiment:TransformerEnabled"] = "false",
                ["MarketPulse:Text:StockTable"] = stockTable,
                ["MarketPulse:Text:ReportSeconds"] = "0.2",
                ["MarketPulse:Text:Rss:Enabled"] = "true",
                ["MarketPulse:Text:Rss:UserAgent"] = "MarketPulse Tests admin@example.com",
                ["MarketPulse:Text:Rss:PollSeconds"] = "0.3",
                ["MarketPulse:Text:Rss:RequestsPerSecondByHost:127.0.0.1"] = "20",
                ["MarketPulse:Text:Rss:Feeds:0:Name"] = "sec-8k",
                ["MarketPulse:Text:Rss:Feeds:0:Url"] = new Uri(server.Url, "/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom").ToString(),
                // A second feed without a URL is refused with an error; the first runs regardless.
                ["MarketPulse:Text:Rss:Feeds:1:Name"] = "broken",
            }).Build();
            silo.AddMarketPulseMemoryProviders();
            silo.Services.AddMarketPulseGrainServices(config);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var apple = cluster.Client.GetGrain<ISentimentGrain>("AAPL");
        var posts = await Eventually.Last(() => apple.GetPostsAsync(10), p => p.Count > 0, TimeSpan.FromSeconds(30));
        var service = cluster.Silos[0].ServiceProvider.GetRequiredService<MarketPulse.Grains.Sources.LiveTextService>();
        Assert.True(posts.Count > 0, System.Text.Json.JsonSerializer.Serialize(service.GetStats()) + " requests: " + server.Requests.Count
            + System.Text.Json.JsonSerializer.Serialize(await cluster.Client.GetGrain<ITextSourceGrain>("rss:sec-8k").GetStatsAsync()));
        var filing = Assert.Single(posts);
        Assert.Equal("rss:sec-8k", filing.Source);
        Assert.Equal(new DateTime(2024, 5, 2, 20, 30, 37, DateTimeKind.Utc), filing.Time);
        Assert.Contains("Results of Operations", filing.Text);

        var xom = cluster.Client.GetGrain<ISentimentGrain>("XOM");               // from the document after the malformed one
        await Eventually.Last(() => xom.GetPostsAsync(10), p => p.Count > 0, TimeSpan.FromSeconds(30));
        Assert.Single(await xom.GetPostsAsync(10));

        var source = cluster.Client.GetGrain<ITextSourceGrain>("rss:sec-8k");
        var stats = await Eventually.Last(source.GetStatsAsync, s => s.RejectedByReason.ContainsKey(TextSourceProblems.Malformed), TimeSpan.FromSeconds(30));
        Assert.Equal(3, stats.Accepted);                                       // Apple, Microsoft, Exxon Mobil: filer names in the stock table
        Assert.Equal(1, stats.RejectedByReason[RejectReasons.NoSymbol]);      // ACME WIDGETS: no known ticker, counted with its reason
        Assert.Equal(1, stats.RejectedByReason[TextSourceProblems.Malformed]);
    }
}
