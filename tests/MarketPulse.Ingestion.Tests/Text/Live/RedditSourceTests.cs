using System.Text;
using MarketPulse.Ingestion.Text.Live;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MarketPulse.Ingestion.Tests.Text.Live;

public class RedditSourceTests
{
    private const string Json = "application/json; charset=UTF-8";
    private const string Agent = "linux:marketpulse-tests:1.0 (by /u/marketpulse)";

    private static RedditSourceSettings Settings(HttpReplayServer server, double pollSeconds = 0.05, params string[] subs) => new()
    {
        Enabled = true,
        ClientId = "client-id-1",
        ClientSecret = "s3cret",
        UserAgent = Agent,
        Subreddits = subs.Length > 0 ? [.. subs] : ["wallstreetbets"],
        AuthUrl = server.Url.ToString(),
        ApiUrl = server.Url.ToString(),
        PollSeconds = pollSeconds,
        RequestTimeoutSeconds = 5,
        BackoffInitialSeconds = 0.2,
        BackoffMaxSeconds = 2,
    };

    private static RunningSource<RedditSource> Start(RedditSourceSettings settings, PipelineSink sink) =>
        RunningSource<RedditSource>.Start(new RedditSource(settings, new HttpClient(), sink.IngestAsync, NullLogger.Instance) { BatchMaxDelay = TimeSpan.FromMilliseconds(20) });

    private static Task StopAsync(RunningSource<RedditSource> running) => running.StopAsync();

    private static long Problems(RedditSource source, string sub, string reason) =>
        source.GetStats().ProblemsBySource.TryGetValue(RedditSource.SourceFor(sub), out var d) ? d.GetValueOrDefault(reason) : 0;

    private static Task Token(HttpContext ctx, string token = "tok-1", double expiresIn = 86400)
    {
        ctx.Response.ContentType = Json;
        return ctx.Response.WriteAsync($$"""{"access_token": "{{token}}", "token_type": "bearer", "expires_in": {{expiresIn}}, "scope": "*"}""");
    }

    [Fact]
    public async Task Posts_reach_the_pipeline_once_each_with_tickers_authors_and_times_paging_with_before()
    {
        var wsbListings = 0;
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
        {
            if (req.PathAndQuery.StartsWith("/api/v1/access_token")) return HttpReplayServer.SendFileAsync(ctx, "reddit-token.json", Json);
            if (req.PathAndQuery.StartsWith("/r/stocks/")) return HttpReplayServer.SendFileAsync(ctx, "reddit-empty.json", Json);
            return HttpReplayServer.SendFileAsync(ctx, Interlocked.Increment(ref wsbListings) switch
            {
                1 => "reddit-new-1.json",
                2 => "reddit-new-2.json",
                _ => "reddit-empty.json",
            }, Json);
        });
        var sink = new PipelineSink();
        var running = Start(Settings(server, 0.05, "wallstreetbets", "stocks"), sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 3 && server.RequestsTo("/r/wallstreetbets").Count >= 4));
        await StopAsync(running);

        var posts = sink.Snapshot();
        Assert.Equal(["MSFT", "AAPL", "XOM"], posts.Select(p => p.Symbols[0]));
        var apple = posts[1];
        Assert.Equal("reddit:wallstreetbets", apple.Source);
        Assert.Equal("t3_1chf0aa", apple.Id);
        Assert.Equal("diamond_hands_42", apple.Author);
        Assert.Equal(new DateTime(2024, 5, 2, 21, 0, 0, DateTimeKind.Utc), apple.Time);
        Assert.Contains("crushed earnings", apple.Text);
        Assert.Contains("buyback", apple.Text);                                  // title and self text

        var token = Assert.Single(server.RequestsTo("/api/v1/access_token"));   // cached across listings and subreddits
        Assert.Equal("POST", token.Method);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("client-id-1:s3cret")), token.Header("Authorization"));
        Assert.Equal("grant_type=client_credentials", token.Body);
        Assert.Equal(Agent, token.Header("User-Agent"));

        var listings = server.RequestsTo("/r/wallstreetbets/new");
        Assert.Equal("/r/wallstreetbets/new?limit=100&raw_json=1", listings[0].PathAndQuery);
        Assert.EndsWith("&before=t3_1chf0aa", listings[1].PathAndQuery);      // only what is newer than the newest seen
        Assert.EndsWith("&before=t3_1chg111", listings[2].PathAndQuery);
        Assert.All(listings, l => Assert.StartsWith("bearer eyJhbGciOiJSUzI1NiIs", l.Header("Authorization")));
        Assert.NotEmpty(server.RequestsTo("/r/stocks/new"));
    }

    [Fact]
    public async Task A_401_renews_the_token_and_retries_and_an_expiring_token_is_renewed_before_use()
    {
        var tokens = 0;
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
        {
            if (req.PathAndQuery.StartsWith("/api/v1/access_token"))
            {
                var n = Interlocked.Increment(ref tokens);
                return Token(ctx, "tok-" + n, expiresIn: n == 2 ? 0.5 : 86400);
            }
            if (req.Header("Authorization") == "bearer tok-1") return HttpReplayServer.StatusAsync(ctx, 401);
            return HttpReplayServer.SendFileAsync(ctx, req.PathAndQuery.Contains("before=") ? "reddit-empty.json" : "reddit-new-1.json", Json);
        });
        var sink = new PipelineSink();
        var settings = Settings(server, pollSeconds: 0.2);
        settings.TokenRefreshMarginSeconds = 0;
        var running = Start(settings, sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2 && Volatile.Read(ref tokens) >= 3));
        await StopAsync(running);

        Assert.Equal(1, Problems(running.Source, "wallstreetbets", TextSourceProblems.TokenExpired));
        var listings = server.RequestsTo("/r/");
        Assert.Equal("bearer tok-1", listings[0].Header("Authorization"));    // refused
        Assert.Equal("bearer tok-2", listings[1].Header("Authorization"));    // retried at once with a new token
        Assert.Contains(listings, l => l.Header("Authorization") == "bearer tok-3"); // tok-2 lived 0.5 s: renewed before use
        Assert.DoesNotContain(listings.Skip(1), l => l.Header("Authorization") == "bearer tok-1");
    }

    [Fact]
    public async Task When_the_rate_limit_headers_say_the_allowance_is_spent_no_request_is_made_until_it_resets()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
        {
            if (req.PathAndQuery.StartsWith("/api/v1/access_token")) return Token(ctx);
            var listing = server_listings(req);
            ctx.Response.Headers["X-Ratelimit-Used"] = listing == 1 ? "100" : "1";
            ctx.Response.Headers["X-Ratelimit-Remaining"] = listing == 1 ? "0.0" : "99.0";
            ctx.Response.Headers["X-Ratelimit-Reset"] = "1";
            return HttpReplayServer.SendFileAsync(ctx, listing == 1 ? "reddit-new-1.json" : "reddit-empty.json", Json);
        });
        var sink = new PipelineSink();
        var running = Start(Settings(server, pollSeconds: 0.05), sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => server.RequestsTo("/r/").Count >= 4));
        await StopAsync(running);

        var l = server.RequestsTo("/r/");
        Assert.True(l[1].AtUtc - l[0].AtUtc >= TimeSpan.FromSeconds(0.95), $"{(l[1].AtUtc - l[0].AtUtc).TotalSeconds:F2} s");  // waited for the reset
        Assert.True(l[3].AtUtc - l[2].AtUtc < TimeSpan.FromSeconds(0.9));      // allowance left: normal cadence
        Assert.True(running.Source.GetStats().RateLimitWaits >= 1);
        Assert.Equal(2, sink.Snapshot().Count);

        static int server_listings(SeenRequest req) => req.PathAndQuery.Contains("before=") ? 2 : 1;
    }

    [Fact]
    public async Task A_429_waits_for_Retry_After_and_does_not_hammer()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
        {
            if (req.PathAndQuery.StartsWith("/api/v1/access_token")) return Token(ctx);
            return server_first(req) ? HttpReplayServer.StatusAsync(ctx, 429, ("Retry-After", "1")) : HttpReplayServer.SendFileAsync(ctx, "reddit-new-1.json", Json);
        });
        var sink = new PipelineSink();
        var running = Start(Settings(server, pollSeconds: 0.02), sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);
        var l = server.RequestsTo("/r/");
        Assert.True(l[1].AtUtc - l[0].AtUtc >= TimeSpan.FromSeconds(0.95));
        Assert.Equal(1, Problems(running.Source, "wallstreetbets", TextSourceProblems.RateLimited));

        static bool server_first(SeenRequest req) => req.Number == 2;           // 1 is the token request
    }

    [Fact]
    public async Task Server_errors_back_off_a_malformed_listing_is_counted_and_the_next_good_one_is_ingested()
    {
        var listings = 0;
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
        {
            if (req.PathAndQuery.StartsWith("/api/v1/access_token")) return Token(ctx);
            return Interlocked.Increment(ref listings) switch
            {
                1 => HttpReplayServer.StatusAsync(ctx, 503),
                2 => HttpReplayServer.StatusAsync(ctx, 500),
                3 => HttpReplayServer.SendFileAsync(ctx, "reddit-malformed.json", Json),
                _ => HttpReplayServer.SendFileAsync(ctx, "reddit-new-1.json", Json),
            };
        });
        var sink = new PipelineSink();
        var running = Start(Settings(server, pollSeconds: 0.01), sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);
        var l = server.RequestsTo("/r/");
        Assert.True(l[1].AtUtc - l[0].AtUtc >= TimeSpan.FromSeconds(0.15));     // 0.2 s ±20 %
        Assert.True(l[2].AtUtc - l[1].AtUtc >= TimeSpan.FromSeconds(0.3));      // 0.4 s ±20 %
        Assert.Equal(2, Problems(running.Source, "wallstreetbets", TextSourceProblems.ServerError));
        Assert.Equal(1, Problems(running.Source, "wallstreetbets", TextSourceProblems.Malformed));
    }

    [Fact]
    public async Task On_a_fake_clock_a_long_allowance_reset_is_waited_out_to_the_second_and_the_token_is_renewed_only_when_due()
    {
        var tokens = 0;
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
        {
            if (req.PathAndQuery.StartsWith("/api/v1/access_token")) return Token(ctx, "tok-" + Interlocked.Increment(ref tokens), expiresIn: 3600);
            var first = !req.PathAndQuery.Contains("before=");
            ctx.Response.Headers["X-Ratelimit-Used"] = first ? "100" : "1";
            ctx.Response.Headers["X-Ratelimit-Remaining"] = first ? "0" : "99";
            ctx.Response.Headers["X-Ratelimit-Reset"] = "1500";
            return HttpReplayServer.SendFileAsync(ctx, first ? "reddit-new-1.json" : "reddit-empty.json", Json);
        });
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 5, 2, 21, 30, 0, TimeSpan.Zero));
        var sink = new PipelineSink();
        var settings = Settings(server, pollSeconds: 1000);                        // token lives 3600 - 60 s: renewed on the 5th listing
        var source = new RedditSource(settings, new HttpClient(), sink.IngestAsync, NullLogger.Instance, clock) { BatchMaxDelay = TimeSpan.FromMilliseconds(20) };
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);
        int Listings() => server.RequestsTo("/r/").Count;
        async Task Settle(string state) => Assert.True(await PipelineSink.EventuallyAsync(() => source.GetStats().State == state), source.GetStats().State);

        Assert.True(await PipelineSink.EventuallyAsync(() => Listings() == 1));   // t0: allowance spent, resets at t0 + 1500 s
        await Settle("waiting");
        clock.Advance(TimeSpan.FromSeconds(1000));                                // next round due, but the allowance is not back
        await Settle("rate-limited");
        clock.Advance(TimeSpan.FromSeconds(499));
        await Task.Delay(300);
        Assert.Equal(1, Listings());                                              // t0 + 1499 s: still nothing sent
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await PipelineSink.EventuallyAsync(() => Listings() == 2));   // t0 + 1501 s
        for (var expected = 3; expected <= 5; expected++)
        {
            await Settle("waiting");
            clock.Advance(TimeSpan.FromSeconds(1000));
            Assert.True(await PipelineSink.EventuallyAsync(() => Listings() == expected));
        }
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var listings = server.RequestsTo("/r/");
        Assert.Equal(2, Volatile.Read(ref tokens));
        Assert.All(listings.Take(4), l => Assert.Equal("bearer tok-1", l.Header("Authorization")));  // up to t0 + 3501 s
        Assert.Equal("bearer tok-2", listings[4].Header("Authorization"));                         // t0 + 4501 s > 3540 s
        Assert.Equal(2, sink.Snapshot().Count);
        Assert.Equal(0, Problems(source, "wallstreetbets", TextSourceProblems.TokenExpired));      // renewed before it was refused
    }

    [Fact]
    public async Task A_listing_that_takes_too_long_is_abandoned_counted_and_read_on_the_next_attempt()
    {
        var listings = 0;
        await using var server = await HttpReplayServer.StartAsync(async (ctx, req) =>
        {
            if (req.PathAndQuery.StartsWith("/api/v1/access_token")) { await Token(ctx); return; }
            if (Interlocked.Increment(ref listings) == 1) await Task.Delay(TimeSpan.FromSeconds(5), ctx.RequestAborted);
            await HttpReplayServer.SendFileAsync(ctx, "reddit-new-1.json", Json);
        });
        var sink = new PipelineSink();
        var settings = Settings(server, pollSeconds: 0.05);
        settings.RequestTimeoutSeconds = 0.3;
        var running = Start(settings, sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);
        Assert.Equal(1, Problems(running.Source, "wallstreetbets", TextSourceProblems.Timeout));
        var l = server.RequestsTo("/r/");
        Assert.True(l[1].AtUtc - l[0].AtUtc >= TimeSpan.FromSeconds(0.3 + 0.15));  // the timeout, then a back-off of 0.2 s ±20 %
    }

    [Fact]
    public void Credentials_and_a_User_Agent_are_required_and_the_secret_is_not_in_the_error()
    {
        var settings = new RedditSourceSettings { Enabled = true, ClientId = "id", UserAgent = Agent, Subreddits = ["stocks"] };
        if (Environment.GetEnvironmentVariable(RedditSourceSettings.ClientSecretEnvironment) is null)
            Assert.Contains("ClientSecret", Assert.Throws<ArgumentException>(() => new RedditSource(settings, new HttpClient(), (_, _, _) => throw new InvalidOperationException(), NullLogger.Instance)).Message);
        settings.ClientSecret = "hunter2";
        settings.UserAgent = "";
        var ex = Assert.Throws<ArgumentException>(() => new RedditSource(settings, new HttpClient(), (_, _, _) => throw new InvalidOperationException(), NullLogger.Instance));
        Assert.Contains("User-Agent", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }
}
