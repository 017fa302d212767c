using MarketPulse.Ingestion.Text.Live;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketPulse.Ingestion.Tests.Text.Live;

public class XFilteredStreamSourceTests
{
    private const string Json = "application/json";
    private const string StreamPath = "/2/tweets/search/stream?";
    private const string RulesPath = "/2/tweets/search/stream/rules";

    private static XSourceSettings Settings(HttpReplayServer server) => new()
    {
        Enabled = true,
        BearerToken = "AAAA-test-bearer",
        ApiUrl = server.Url.ToString(),
        Symbols = ["AAPL", "MSFT", "XOM"],
        MaxRuleLength = 15,
        StallSeconds = 5,
        RequestTimeoutSeconds = 5,
        NetworkBackoffStepSeconds = 0.05,
        NetworkBackoffMaxSeconds = 0.5,
        BackoffInitialSeconds = 0.1,
        BackoffMaxSeconds = 1,
        RateLimitBackoffInitialSeconds = 0.5,
    };

    private static RunningSource<XFilteredStreamSource> Start(XSourceSettings settings, PipelineSink sink) =>
        RunningSource<XFilteredStreamSource>.Start(new XFilteredStreamSource(settings, new HttpClient(), sink.IngestAsync, NullLogger.Instance) { BatchMaxDelay = TimeSpan.FromMilliseconds(20) });

    private static Task StopAsync(RunningSource<XFilteredStreamSource> running) => running.StopAsync();

    private static long Problems(XFilteredStreamSource source, string reason) =>
        source.GetStats().ProblemsBySource.TryGetValue(XFilteredStreamSource.SourceName, out var d) ? d.GetValueOrDefault(reason) : 0;

    /// <summary>Rules as the docs show them; the stream sends a recorded session, then (later connections) one tweet and keep-alives until the client leaves.</summary>
    private static Task Api(HttpContext ctx, SeenRequest req, Func<int, HttpContext, Task>? stream = null)
    {
        if (req.PathAndQuery.StartsWith(RulesPath))
        {
            if (req.Method == "GET") return HttpReplayServer.SendFileAsync(ctx, "x-rules.json", Json);
            return HttpReplayServer.SendFileAsync(ctx, req.Body.Contains("\"delete\"") ? "x-rules-deleted.json" : "x-rules-added.json", Json);
        }
        return stream!(req.Number, ctx);
    }

    private static async Task SendLinesAsync(HttpContext ctx, string file)
    {
        foreach (var line in await File.ReadAllLinesAsync(HttpReplayServer.ResponseFile(file)))
        {
            await ctx.Response.WriteAsync(line + "\r\n", ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }
    }

    private static async Task KeepAlivesAsync(HttpContext ctx, TimeSpan every)
    {
        while (!ctx.RequestAborted.IsCancellationRequested)
        {
            await ctx.Response.WriteAsync("\r\n", ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            await Task.Delay(every, ctx.RequestAborted);
        }
    }

    [Fact]
    public async Task Rules_are_made_to_match_without_re_adding_existing_ones_and_tweets_keep_alives_and_a_disconnect_are_handled()
    {
        var connections = 0;
        await using var server = await HttpReplayServer.StartAsync((ctx, req) => Api(ctx, req, async (_, c) =>
        {
            c.Response.ContentType = Json;
            if (Interlocked.Increment(ref connections) == 1) await SendLinesAsync(c, "x-stream-1.jsonl");
            else
            {
                await SendLinesAsync(c, "x-stream-2.jsonl");
                await KeepAlivesAsync(c, TimeSpan.FromMilliseconds(50));
            }
        }));
        var sink = new PipelineSink();
        var running = Start(Settings(server), sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 3 && running.Source.GetStats().KeepAlives >= 5));
        await StopAsync(running);

        // Rules: one GET; the stale rule of ours deleted, only the missing group added; someone else's rule left alone.
        var rules = server.RequestsTo(RulesPath);
        Assert.Equal(["GET", "POST", "POST"], rules.Select(r => r.Method));
        Assert.Equal("""{"delete":{"ids":["2"]}}""", rules[1].Body);
        Assert.Equal("""{"add":[{"value":"$XOM","tag":"marketpulse"}]}""", rules[2].Body);
        Assert.All(rules, r => Assert.Equal("Bearer AAAA-test-bearer", r.Header("Authorization")));

        // Stream: reconnected after the operational disconnect without touching the rules again.
        var streams = server.RequestsTo(StreamPath);
        Assert.Equal(2, streams.Count);
        Assert.All(streams, s => Assert.Equal("/2/tweets/search/stream?tweet.fields=created_at,author_id,lang", s.PathAndQuery));
        var stats = running.Source.GetStats();
        Assert.Equal(2, stats.Connects);
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.Disconnect));
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.Malformed));   // the cut-off line
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.BadItem));     // a tweet without text
        Assert.Equal(0, Problems(running.Source, TextSourceProblems.Stall));       // keep-alives count as life
        Assert.Equal(1, Problems(running.Source, MarketPulse.Core.Text.TextDropReasons.Language));  // X labelled it "fr"

        var posts = sink.Snapshot();
        Assert.Equal(["AAPL", "XOM", "MSFT"], posts.Select(p => p.Symbols[0]));
        Assert.All(posts, p => Assert.Equal("x:filtered", p.Source));
        Assert.Equal("1786160000000000001", posts[0].Id);
        Assert.Equal("2244994945", posts[0].Author);
        Assert.Equal(new DateTime(2024, 5, 2, 21, 5, 30, DateTimeKind.Utc), posts[1].Time);
    }

    [Fact]
    public async Task A_stalled_connection_is_detected_and_replaced()
    {
        var connections = 0;
        await using var server = await HttpReplayServer.StartAsync((ctx, req) => Api(ctx, req, async (_, c) =>
        {
            c.Response.ContentType = Json;
            if (Interlocked.Increment(ref connections) == 1)
            {
                await SendLinesAsync(c, "x-stream-2.jsonl");
                await Task.Delay(Timeout.Infinite, c.RequestAborted);              // then silence: no data, no keep-alive
            }
            await KeepAlivesAsync(c, TimeSpan.FromMilliseconds(50));
        }));
        var sink = new PipelineSink();
        var settings = Settings(server);
        settings.StallSeconds = 0.5;
        var running = Start(settings, sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => server.RequestsTo(StreamPath).Count >= 2 && running.Source.GetStats().KeepAlives >= 3));
        await StopAsync(running);

        var streams = server.RequestsTo(StreamPath);
        Assert.True(streams[1].AtUtc - streams[0].AtUtc >= TimeSpan.FromSeconds(0.5));
        Assert.True(Problems(running.Source, TextSourceProblems.Stall) >= 1);
        Assert.Single(sink.Snapshot());
    }

    [Fact]
    public async Task HTTP_errors_back_off_exponentially_and_429_from_a_minute_doubling()
    {
        var attempts = 0;
        await using var server = await HttpReplayServer.StartAsync((ctx, req) => Api(ctx, req, async (_, c) =>
        {
            switch (Interlocked.Increment(ref attempts))
            {
                case 1: c.Response.StatusCode = 503; return;
                case 2: c.Response.StatusCode = 503; return;
                case 3: c.Response.StatusCode = 429; return;
                case 4: c.Response.StatusCode = 429; return;
            }
            c.Response.ContentType = Json;
            await SendLinesAsync(c, "x-stream-2.jsonl");
            await KeepAlivesAsync(c, TimeSpan.FromMilliseconds(50));
        }));
        var sink = new PipelineSink();
        var running = Start(Settings(server), sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 1));
        await StopAsync(running);

        var s = server.RequestsTo(StreamPath);
        var gaps = Enumerable.Range(1, 4).Select(i => (s[i].AtUtc - s[i - 1].AtUtc).TotalSeconds).ToArray();
        // 503: 0.1 s then 0.2 s (exponential); 429: 0.5 s then 1.0 s (its own, longer regime).
        Assert.True(gaps[0] >= 0.09 && gaps[1] >= 0.19 && gaps[2] >= 0.49 && gaps[3] >= 0.99, string.Join(", ", gaps));
        Assert.True(gaps[3] < 3, string.Join(", ", gaps));
        Assert.Equal(2, Problems(running.Source, TextSourceProblems.ServerError));
        Assert.Equal(2, Problems(running.Source, TextSourceProblems.RateLimited));
        Assert.Single(server.RequestsTo(RulesPath), r => r.Method == "GET");   // server errors are no reason to re-read the rules
    }

    [Fact]
    public async Task A_refused_bearer_token_is_counted_backed_off_and_the_rules_are_checked_again_before_reconnecting()
    {
        var attempts = 0;
        await using var server = await HttpReplayServer.StartAsync((ctx, req) => Api(ctx, req, async (_, c) =>
        {
            if (Interlocked.Increment(ref attempts) == 1) { c.Response.StatusCode = 401; return; }
            c.Response.ContentType = Json;
            await SendLinesAsync(c, "x-stream-2.jsonl");
            await KeepAlivesAsync(c, TimeSpan.FromMilliseconds(50));
        }));
        var sink = new PipelineSink();
        var running = Start(Settings(server), sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 1));
        await StopAsync(running);
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.AuthFailed));
        var s = server.RequestsTo(StreamPath);
        Assert.True(s[1].AtUtc - s[0].AtUtc >= TimeSpan.FromSeconds(0.09));       // HTTP regime: 0.1 s first
        Assert.Equal(2, server.RequestsTo(RulesPath).Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task An_oversize_line_is_skipped_and_counted_and_the_stream_goes_on()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) => Api(ctx, req, async (_, c) =>
        {
            c.Response.ContentType = Json;
            await c.Response.WriteAsync("{\"data\":{\"id\":\"1\",\"text\":\"" + new string('x', 300_000) + "\"}}\r\n", c.RequestAborted);
            await SendLinesAsync(c, "x-stream-2.jsonl");
            await KeepAlivesAsync(c, TimeSpan.FromMilliseconds(50));
        }));
        var sink = new PipelineSink();
        var settings = Settings(server);
        settings.MaxLineBytes = 100_000;
        var running = Start(settings, sink);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 1));
        await StopAsync(running);
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.TooLarge));
        Assert.Equal("1786160000000000004", sink.Snapshot()[0].Id);
        Assert.Equal(1, running.Source.GetStats().Connects);                       // same connection throughout
    }

    [Fact]
    public void Cashtags_are_grouped_into_as_few_rules_as_fit_the_length_limit()
    {
        Assert.Equal(["$AAPL OR $MSFT", "$XOM"], XFilteredStreamSource.RuleValues(["AAPL", "MSFT", "XOM"], 15));
        Assert.Equal(["$AAPL OR $MSFT OR $XOM"], XFilteredStreamSource.RuleValues(["AAPL", "MSFT", "XOM"], 512));
        var many = Enumerable.Range(0, 200).Select(i => "T" + i).ToList();
        var rules = XFilteredStreamSource.RuleValues(many, 512);
        Assert.All(rules, r => Assert.True(r.Length <= 512));
        Assert.Equal(many.Count, rules.Sum(r => r.Split(" OR ").Length));
    }
}
