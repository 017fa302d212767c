using System.Net.Http.Json;
using System.Text.Json;

namespace MarketPulse.Server.Tests;

/// <summary>The real service with an EDGAR feed switched on by command-line configuration: a filing reaches the ticker's posts over REST.</summary>
public sealed class LiveTextSourceApiTests
{
    private sealed class RssServerFixture(Uri feed) : ServerFixture
    {
        protected override IEnumerable<string> ExtraArgs() =>
        [
            "--MarketPulse:Replay:Enabled=false",
            "--MarketPulse:Sentiment:TransformerEnabled=false",
            "--MarketPulse:Text:Rss:Enabled=true",
            "--MarketPulse:Text:Rss:UserAgent=MarketPulse Tests admin@example.com",
            "--MarketPulse:Text:Rss:PollSeconds=0.5",
            "--MarketPulse:Text:ReportSeconds=0.2",
            "--MarketPulse:Text:Rss:Feeds:0:Name=sec-8k",
            $"--MarketPulse:Text:Rss:Feeds:0:Url={feed}",
        ];
    }

    [Fact]
    public async Task A_filing_from_a_live_feed_is_served_under_the_tickers_posts_and_the_feed_shows_in_the_source_stats()
    {
        await using var feed = await HttpReplayServer.StartAsync((ctx, req) =>
            HttpReplayServer.SendFileAsync(ctx, req.Number == 1 ? "edgar-8k-1.xml" : "edgar-8k-2.xml", "application/atom+xml"));
        var server = new RssServerFixture(new Uri(feed.Url, "/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom"));
        await server.InitializeAsync();
        try
        {
            // The ticker must be known to the API (a price); the text comes only from the feed.
            using var tick = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/ticks")
            {
                Content = JsonContent.Create(new[] { new { symbol = "AAPL", time = "2024-05-02T19:59:00Z", price = 173.03, size = 100 } }),
            };
            tick.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
            (await server.Http.SendAsync(tick)).EnsureSuccessStatusCode();

            var deadline = DateTime.UtcNow.AddSeconds(30);
            JsonElement posts = default;
            while (DateTime.UtcNow < deadline)
            {
                using var answer = await server.Http.GetAsync("/api/tickers/AAPL/posts?limit=5");   // 404 until the tick has registered AAPL
                if (answer.IsSuccessStatusCode && (posts = await answer.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength() > 0) break;
                await Task.Delay(100);
            }
            Assert.Equal(JsonValueKind.Array, posts.ValueKind);
            var filing = Assert.Single(posts.EnumerateArray());
            Assert.Equal("rss:sec-8k", filing.GetProperty("source").GetString());
            Assert.Equal("urn:tag:sec.gov,2008:accession-number=0000320193-24-000069", filing.GetProperty("id").GetString());
            Assert.Equal("2024-05-02T20:30:37Z", filing.GetProperty("time").GetString());
            Assert.Contains("Results of Operations", filing.GetProperty("text").GetString());

            JsonElement stats;
            while ((stats = await server.Http.GetFromJsonAsync<JsonElement>("/api/sources/text/rss:sec-8k")).GetProperty("accepted").GetInt32() < 3
                   && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.Equal(4, stats.GetProperty("received").GetInt32());          // 3 + the one new filing of the second poll (Apple is not sent again)
            Assert.Equal(3, stats.GetProperty("accepted").GetInt32());
            Assert.Equal(1, stats.GetProperty("rejectedByReason").GetProperty("symbols: none given and no $CASHTAG in the text").GetInt32());
            Assert.True(feed.Requests.Count >= 2);
            Assert.All(feed.Requests, r => Assert.Equal("MarketPulse Tests admin@example.com", r.Header("User-Agent")));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
