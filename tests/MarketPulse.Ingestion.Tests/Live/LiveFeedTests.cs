using System.Net.WebSockets;
using System.Text.Json;
using MarketPulse.Ingestion.Live;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketPulse.Ingestion.Tests.Live;

/// <summary>
/// The two live adapters against a real websocket server on loopback that replays recorded sessions, with malformed
/// frames, an abrupt disconnect, a server that goes silent, a slow fragmented frame, a refused login and a cluster
/// that is briefly unreachable.
/// </summary>
public class LiveFeedTests
{
    private static LiveFeedSettings Fast(Uri url, double staleSeconds = 1) => new()
    {
        Enabled = true,
        Url = url.ToString(),
        StaleAfterSeconds = staleSeconds,
        ReconnectInitialSeconds = 0.05,
        ReconnectMaxSeconds = 0.4,
        BatchMaxItems = 3,
        BatchMaxDelayMs = 20,
    };

    private static Task Until(Func<bool> done, string what, int seconds = 15) =>
        Eventually.True(done, what, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(20));

    private static async Task AlpacaLoginAsync(WebSocket socket, int n, FrameServer server, CancellationToken ct)
    {
        await FrameServer.SendAsync(socket, """[{"T":"success","msg":"connected"}]""", ct);
        await server.ReceiveAsync(socket, n, ct);                                   // auth
        await FrameServer.SendAsync(socket, """[{"T":"success","msg":"authenticated"}]""", ct);
        await server.ReceiveAsync(socket, n, ct);                                   // subscribe
        await FrameServer.SendAsync(socket, """[{"T":"subscription","trades":["AAPL","SPY"],"quotes":["AAPL","SPY"],"bars":[]}]""", ct);
    }

    [Fact]
    public async Task Alpaca_logs_in_subscribes_reads_trades_with_quotes_and_survives_bad_frames_a_drop_and_a_silent_server()
    {
        await using var server = await FrameServer.StartAsync(async (socket, n, srv, ct) =>
        {
            await AlpacaLoginAsync(socket, n, srv, ct);
            switch (n)
            {
                case 1:
                    await FrameServer.SendFramesAsync(socket, "alpaca-1.jsonl", ct);
                    await Task.Delay(200, ct);
                    socket.Abort();                                                  // dropped without a close handshake
                    break;
                case 2:
                    await FrameServer.SendFramesAsync(socket, "alpaca-2.jsonl", ct);
                    await Task.Delay(Timeout.Infinite, ct);                          // then silence: the client must notice
                    break;
                default:
                    await FrameServer.SendFramesAsync(socket, "alpaca-3.jsonl", ct);
                    await Task.Delay(Timeout.Infinite, ct);
                    break;
            }
        });
        var sink = new RecordingSink();
        var feed = new WebSocketMarketFeed(new AlpacaProtocol("key-1", "secret-1", ["AAPL", "SPY"]), Fast(server.Url), sink.IngestAsync, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = feed.RunAsync(stop.Token);
        await Until(() => sink.Snapshot().Any(t => t.Sequence == 5022), "the third connection's trade");
        await stop.CancelAsync();
        await run;

        // The client's messages: auth with the configured credentials, then a per-symbol subscription, on every connection.
        var first = server.Received.Where(r => r.Connection == 1).Select(r => JsonDocument.Parse(r.Text).RootElement).ToList();
        Assert.Equal(("auth", "key-1", "secret-1"), (first[0].GetProperty("action").GetString(), first[0].GetProperty("key").GetString(), first[0].GetProperty("secret").GetString()));
        Assert.Equal("subscribe", first[1].GetProperty("action").GetString());
        Assert.Equal(["AAPL", "SPY"], first[1].GetProperty("trades").EnumerateArray().Select(e => e.GetString()));

        // Accepted in order, across the reconnects; the replayed trade 96923 is a duplicate; −1 is refused by validation.
        var accepted = sink.Snapshot();
        Assert.Equal([96921L, 5021, 96923, 96925, 5022], accepted.Select(t => t.Sequence!.Value));
        var aapl = accepted[0];
        Assert.Equal((126.55m, 1m, 126.50m, 126.60m), (aapl.Price, aapl.Size, aapl.Bid!.Value, aapl.Ask!.Value));
        Assert.Equal(new DateTime(2021, 2, 22, 15, 51, 44, 300, DateTimeKind.Utc).AddTicks(1234), accepted[1].Time);   // 9 digits cut to 7
        Assert.Equal((126.50m, 126.60m), (accepted[2].Bid, accepted[2].Ask));   // the crossed quote was not kept

        var stats = feed.GetStats();
        var p = stats.ProblemsByReason;
        Assert.Equal(1, p[FeedProblems.NotJson]);
        Assert.Equal(1, p[FeedProblems.BadTrade]);
        Assert.Equal(1, p[FeedProblems.CrossedQuote]);
        Assert.Equal(1, p[RejectReasons.Price]);
        Assert.Equal(1, p[RejectReasons.Duplicate]);
        Assert.Equal(1, p[FeedProblems.Lost]);
        Assert.True(p[FeedProblems.Stale] >= 1);
        Assert.True(stats.Connects >= 3);
        Assert.Equal(5, stats.Accepted);
        Assert.Equal(7, stats.Forwarded);
        Assert.True(stats.Subscribed);
    }

    [Fact]
    public async Task A_refused_Alpaca_login_closes_the_connection_backs_off_and_the_next_attempt_uses_credentials_from_the_environment()
    {
        Environment.SetEnvironmentVariable(AlpacaFeedSettings.KeyEnvironment, "env-key");
        Environment.SetEnvironmentVariable(AlpacaFeedSettings.SecretEnvironment, "env-secret");
        var creds = new AlpacaFeedSettings().ResolveCredentials();
        Assert.Equal(("env-key", "env-secret"), creds);
        Assert.Equal(("cfg-key", "env-secret"), new AlpacaFeedSettings { KeyId = "cfg-key" }.ResolveCredentials());
        Environment.SetEnvironmentVariable(AlpacaFeedSettings.KeyEnvironment, null);
        Environment.SetEnvironmentVariable(AlpacaFeedSettings.SecretEnvironment, null);
        Assert.Null(new AlpacaFeedSettings().ResolveCredentials());

        await using var server = await FrameServer.StartAsync(async (socket, n, srv, ct) =>
        {
            if (n == 1)
            {
                await FrameServer.SendAsync(socket, """[{"T":"success","msg":"connected"}]""", ct);
                await srv.ReceiveAsync(socket, n, ct);
                await FrameServer.SendAsync(socket, """[{"T":"error","code":402,"msg":"auth failed"}]""", ct);
                await srv.ReceiveAsync(socket, n, ct);   // waits for the client's close
                return;
            }
            await AlpacaLoginAsync(socket, n, srv, ct);
            await FrameServer.SendFramesAsync(socket, "alpaca-3.jsonl", ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var sink = new RecordingSink();
        var feed = new WebSocketMarketFeed(new AlpacaProtocol(creds!.Value.Key, creds.Value.Secret, ["SPY"]), Fast(server.Url, 5), sink.IngestAsync, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = feed.RunAsync(stop.Token);
        await Until(() => sink.Snapshot().Count == 1, "a trade after the second login");
        await stop.CancelAsync();
        await run;
        Assert.Equal(1, feed.GetStats().ProblemsByReason[FeedProblems.AuthFailed]);
        Assert.Equal(2, server.Connections);
        Assert.Contains(server.Received, r => r.Connection == 2 && r.Text.Contains("\"env-key\"") && r.Text.Contains("\"env-secret\""));
    }

    [Fact]
    public async Task Coinbase_needs_no_credentials_reads_matches_and_resumes_after_a_close_without_double_counting()
    {
        await using var server = await FrameServer.StartAsync(async (socket, n, srv, ct) =>
        {
            await srv.ReceiveAsync(socket, n, ct);                                   // subscribe
            if (n == 1)
            {
                await FrameServer.SendFramesAsync(socket, "coinbase-1.jsonl", ct);
                await Task.Delay(100, ct);
                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "maintenance", ct);
                return;
            }
            await FrameServer.SendFramesAsync(socket, "coinbase-2.jsonl", ct);
            // A slow server: one match in three fragments 150 ms apart, then heartbeats only.
            await FrameServer.SendSlowlyAsync(socket, """{"type":"match","trade_id":61300006,"side":"buy","size":"0.01","price":"43214.00","product_id":"BTC-USD","time":"2024-01-10T15:00:05Z"}""",
                3, TimeSpan.FromMilliseconds(150), ct);
            while (!ct.IsCancellationRequested)
            {
                await FrameServer.SendAsync(socket, """{"type":"heartbeat","last_trade_id":61300006,"product_id":"BTC-USD","sequence":7100009,"time":"2024-01-10T15:00:06Z"}""", ct);
                await Task.Delay(200, ct);
            }
        });
        var sink = new RecordingSink { FailNext = 1 };   // the first batch meets an unreachable cluster and is retried
        var feed = new WebSocketMarketFeed(new CoinbaseProtocol(["BTC-USD", "ETH-USD"]), Fast(server.Url, 3), sink.IngestAsync, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = feed.RunAsync(stop.Token);
        await Until(() => sink.Snapshot().Any(t => t.Sequence == 61300006), "the slow fragmented match");
        await Task.Delay(3500);   // heartbeats every 200 ms keep a 3 s staleness limit from firing
        await stop.CancelAsync();
        await run;

        var subscribe = JsonDocument.Parse(server.Received.First().Text).RootElement;
        Assert.Equal("subscribe", subscribe.GetProperty("type").GetString());
        Assert.Equal(["BTC-USD", "ETH-USD"], subscribe.GetProperty("product_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["matches", "heartbeat"], subscribe.GetProperty("channels").EnumerateArray().Select(e => e.GetString()));

        var accepted = sink.Snapshot();
        Assert.Equal([61300001L, 61300002, 9100001, 61300004, 61300005, 61300006], accepted.Select(t => t.Sequence!.Value));
        Assert.Equal(("BTC-USD", 43211.00m, 0.5m), (accepted[1].Symbol, accepted[1].Price, accepted[1].Size));
        Assert.Equal("ETH-USD", accepted[2].Symbol);

        var stats = feed.GetStats();
        var p = stats.ProblemsByReason;
        Assert.Equal(1, p[FeedProblems.NotJson]);
        Assert.Equal(1, p[FeedProblems.BadTrade]);
        Assert.Equal(1, p[FeedProblems.ProviderError]);
        Assert.Equal(1, p[RejectReasons.Duplicate]);          // last_match repeated after the reconnect
        Assert.Equal(1, p[FeedProblems.QueueFailed]);
        Assert.False(p.ContainsKey(FeedProblems.Stale), "heartbeats count as life");
        Assert.Equal(2, stats.Connects);
        // The server's close is normally read as a close frame; on a loaded machine the transport can be torn down first,
        // which the client sees as a lost connection. Either way: one end of connection, one reconnect.
        Assert.Equal(1, stats.Disconnects + p.GetValueOrDefault(FeedProblems.Lost));
    }

    [Fact]
    public void Back_off_doubles_from_the_initial_delay_up_to_the_cap_with_bounded_jitter()
    {
        var random = new Random(7);
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var nominal = Math.Min(30, 0.5 * Math.Pow(2, attempt));
            var d = RetryBackoff.Exponential(attempt, 0.5, 30, random).TotalSeconds;
            Assert.InRange(d, 0.8 * nominal - 1e-9, Math.Min(30, 1.2 * nominal) + 1e-9);
        }
        Assert.InRange(RetryBackoff.Exponential(1000, 0.5, 30, new Random(1)).TotalSeconds, 24, 30);   // capped, still jittered
    }
}
