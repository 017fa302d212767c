using MarketPulse.Ingestion.Text.Live;
using MarketPulse.Ingestion.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketPulse.Ingestion.Tests.Text.Live;

public class RssFeedSourceTests
{
    private const string Atom = "application/atom+xml";
    private const string Agent = "MarketPulse Tests admin@example.com";

    private static RssSourceSettings Settings(double pollSeconds = 0.05) => new()
    {
        Enabled = true,
        UserAgent = Agent,
        PollSeconds = pollSeconds,
        RequestTimeoutSeconds = 5,
        BackoffInitialSeconds = 0.2,
        BackoffMaxSeconds = 2,
        DefaultRequestsPerSecond = 1000,
        RequestsPerSecondByHost = new(StringComparer.OrdinalIgnoreCase),
    };

    private static async Task<(RssFeedSource Source, Task Run, CancellationTokenSource Stop, HostRateLimits Limits)> StartAsync(
        HttpReplayServer server, PipelineSink sink, RssSourceSettings settings, string name = "sec-8k", string path = "/feed")
    {
        var limits = new HostRateLimits(settings.RequestsPerSecondByHost, settings.DefaultRequestsPerSecond);
        var source = new RssFeedSource(new RssFeedSettings { Name = name, Url = new Uri(server.Url, path).ToString() }, settings, new HttpClient(), limits,
            sink.SymbolForCompany, sink.IngestAsync, NullLogger.Instance)
        { BatchMaxDelay = TimeSpan.FromMilliseconds(20) };
        var stop = new CancellationTokenSource();
        await Task.Yield();
        return (source, source.RunAsync(stop.Token), stop, limits);
    }

    private static async Task StopAsync((RssFeedSource Source, Task Run, CancellationTokenSource Stop, HostRateLimits Limits) running)
    {
        running.Stop.Cancel();
        await running.Run.WaitAsync(TimeSpan.FromSeconds(10));
        await running.Limits.DisposeAsync();
    }

    private static long Problems(RssFeedSource source, string reason) =>
        source.GetStats().ProblemsBySource.TryGetValue(source.Name, out var d) ? d.GetValueOrDefault(reason) : 0;

    [Fact]
    public async Task Edgar_filings_reach_the_pipeline_with_the_filers_tickers_and_times_and_an_unknown_filer_is_dropped_with_a_reason()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, _) => HttpReplayServer.SendFileAsync(ctx, "edgar-8k-1.xml", Atom));
        var sink = new PipelineSink();
        var running = await StartAsync(server, sink, Settings(pollSeconds: 60));
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2 && sink.DroppedFor(RejectReasons.NoSymbol) == 1));
        await StopAsync(running);

        var posts = sink.Snapshot();
        var apple = Assert.Single(posts, p => p.Symbols.Contains("AAPL"));          // by name: "APPLE INC" ~ "Apple Inc."
        Assert.Equal(["AAPL"], apple.Symbols);
        Assert.Equal("rss:sec-8k", apple.Source);
        Assert.Equal("urn:tag:sec.gov,2008:accession-number=0000320193-24-000069", apple.Id);
        Assert.Equal(new DateTime(2024, 5, 2, 20, 30, 37, DateTimeKind.Utc), apple.Time);   // 16:30:37 EDT
        Assert.Equal(DateTimeKind.Utc, apple.Time.Kind);
        Assert.Contains("Results of Operations", apple.Text);
        Assert.Equal("APPLE INC", apple.Author);                                  // the filer, for the pipeline's per-author checks
        Assert.DoesNotContain("<b>", apple.Text);
        var microsoft = Assert.Single(posts, p => p.Symbols.Contains("MSFT"));     // "MICROSOFT CORP" ~ "Microsoft Corporation"
        Assert.Equal(new DateTime(2024, 5, 2, 20, 12, 5, DateTimeKind.Utc), microsoft.Time);
        Assert.True(apple.Time > microsoft.Time && posts.IndexOf(microsoft) < posts.IndexOf(apple)); // handed on in time order
        Assert.Equal(1, sink.DroppedFor(RejectReasons.NoSymbol));                  // ACME WIDGETS: no known ticker, counted

        var request = Assert.Single(server.Requests);
        Assert.Equal(Agent, request.Header("User-Agent"));
    }

    [Fact]
    public async Task A_configured_CIK_gives_the_ticker_of_a_filer_the_stock_table_does_not_know()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, _) => HttpReplayServer.SendFileAsync(ctx, "edgar-8k-1.xml", Atom));
        var sink = new PipelineSink();
        var settings = Settings(pollSeconds: 60);
        settings.Ciks["1999999"] = "ACMW";                                          // leading zeros do not matter
        var running = await StartAsync(server, sink, settings);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 3));
        await StopAsync(running);
        Assert.Equal(["ACMW"], Assert.Single(sink.Snapshot(), p => p.Id.EndsWith("0001999999-24-000001")).Symbols);
        Assert.Equal(0, sink.DroppedFor(RejectReasons.NoSymbol));
    }

    [Fact]
    public async Task A_second_poll_is_conditional_a_304_counts_as_nothing_new_and_items_are_not_handed_on_twice()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
        {
            if (req.Header("If-None-Match") == "\"v1\"" && req.Header("If-Modified-Since") == "Thu, 02 May 2024 20:35:12 GMT")
                return HttpReplayServer.StatusAsync(ctx, 304);
            return HttpReplayServer.SendFileAsync(ctx, "edgar-8k-1.xml", Atom, ("ETag", "\"v1\""), ("Last-Modified", "Thu, 02 May 2024 20:35:12 GMT"));
        });
        var sink = new PipelineSink();
        var running = await StartAsync(server, sink, Settings());
        Assert.True(await PipelineSink.EventuallyAsync(() => running.Source.GetStats().NotModified >= 3));
        await StopAsync(running);

        Assert.Equal(2, sink.Snapshot().Count);
        Assert.Equal(1, sink.DroppedFor(RejectReasons.NoSymbol));
        Assert.Null(server.RequestsTo("/feed")[0].Header("If-None-Match"));
        Assert.All(server.RequestsTo("/feed").Skip(1), r => Assert.Equal("\"v1\"", r.Header("If-None-Match")));
    }

    [Fact]
    public async Task Items_already_seen_are_skipped_across_polls_and_new_ones_are_added()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) =>
            HttpReplayServer.SendFileAsync(ctx, req.Number == 1 ? "edgar-8k-1.xml" : "edgar-8k-2.xml", Atom));
        var sink = new PipelineSink();
        var running = await StartAsync(server, sink, Settings());
        Assert.True(await PipelineSink.EventuallyAsync(() => server.Requests.Count >= 4 && sink.Snapshot().Count == 3));
        await StopAsync(running);
        var posts = sink.Snapshot();
        Assert.Equal(["MSFT", "AAPL", "XOM"], posts.Select(p => p.Symbols[0]));
        Assert.Equal(0, sink.DroppedFor(RejectReasons.DuplicatePost));            // never even sent again
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_without_hammering_the_server()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) => req.Number == 1
            ? HttpReplayServer.StatusAsync(ctx, 429, ("Retry-After", "1"))
            : HttpReplayServer.SendFileAsync(ctx, "edgar-8k-1.xml", Atom));
        var sink = new PipelineSink();
        var running = await StartAsync(server, sink, Settings(pollSeconds: 0.05));
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);

        var requests = server.RequestsTo("/feed");
        // Polling every 50 ms would have sent ~20 requests in that second; Retry-After: 1 allows one.
        Assert.True(requests[1].AtUtc - requests[0].AtUtc >= TimeSpan.FromSeconds(0.95), $"second request after {(requests[1].AtUtc - requests[0].AtUtc).TotalSeconds:F2} s");
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.RateLimited));
        Assert.Equal(1, running.Source.GetStats().RateLimitWaits);
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_and_the_feed_is_read_once_the_server_recovers()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) => req.Number <= 3
            ? HttpReplayServer.StatusAsync(ctx, req.Number == 2 ? 502 : 503)
            : HttpReplayServer.SendFileAsync(ctx, "edgar-8k-1.xml", Atom));
        var sink = new PipelineSink();
        var running = await StartAsync(server, sink, Settings(pollSeconds: 0.01));
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);

        var r = server.RequestsTo("/feed");
        var gaps = Enumerable.Range(1, 3).Select(i => (r[i].AtUtc - r[i - 1].AtUtc).TotalSeconds).ToArray();
        // 0.2 s, 0.4 s, 0.8 s with ±20 % jitter: each wait at least doubles the floor of the one before, far above the
        // 10 ms poll interval. Only lower bounds: on a loaded machine any request can arrive late, never early.
        Assert.True(gaps[0] >= 0.15 && gaps[1] >= 0.3 && gaps[2] >= 0.6, string.Join(", ", gaps));
        Assert.Equal(3, Problems(running.Source, TextSourceProblems.ServerError));
    }

    [Fact]
    public async Task A_malformed_document_is_counted_the_loop_survives_and_later_items_are_ingested_without_losing_earlier_ones()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, req) => HttpReplayServer.SendFileAsync(ctx, req.Number switch
        {
            1 => "edgar-8k-1.xml",
            2 => "malformed.xml",
            _ => "edgar-8k-2.xml",
        }, Atom));
        var sink = new PipelineSink();
        var running = await StartAsync(server, sink, Settings());
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 3));
        await StopAsync(running);
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.Malformed));
        Assert.Equal(["AAPL", "MSFT", "XOM"], sink.Snapshot().Select(p => p.Symbols[0]).Order());
    }

    [Fact]
    public async Task A_request_that_takes_too_long_is_abandoned_counted_and_the_next_poll_succeeds()
    {
        await using var server = await HttpReplayServer.StartAsync(async (ctx, req) =>
        {
            if (req.Number == 1) await Task.Delay(TimeSpan.FromSeconds(5), ctx.RequestAborted);
            await HttpReplayServer.SendFileAsync(ctx, "edgar-8k-1.xml", Atom);
        });
        var sink = new PipelineSink();
        var settings = Settings();
        settings.RequestTimeoutSeconds = 0.3;
        var running = await StartAsync(server, sink, settings);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.Timeout));
    }

    [Fact]
    public async Task Posts_are_kept_while_the_cluster_cannot_take_them_and_delivered_once_it_can()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, _) => HttpReplayServer.SendFileAsync(ctx, "edgar-8k-1.xml", Atom));
        var sink = new PipelineSink { FailNext = 2 };
        var running = await StartAsync(server, sink, Settings(pollSeconds: 60));
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);
        Assert.Equal(2, Problems(running.Source, TextSourceProblems.QueueFailed));
    }

    [Fact]
    public async Task Press_releases_over_RSS_2_get_their_tickers_from_company_names_in_the_text()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, _) => HttpReplayServer.SendFileAsync(ctx, "wire-1.xml", "application/rss+xml"));
        var sink = new PipelineSink();
        var settings = Settings(pollSeconds: 60);
        settings.UserAgent = "";                                                   // only the SEC insists on one
        var running = await StartAsync(server, sink, settings, name: "wire");
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);
        var posts = sink.Snapshot();
        Assert.Equal(["JNJ"], posts[0].Symbols);
        Assert.Equal(new DateTime(2024, 7, 17, 10, 45, 0, DateTimeKind.Utc), posts[0].Time);
        Assert.Equal(["MSFT"], posts[1].Symbols);
        Assert.Equal("wire-2024-0917-001", posts[1].Id);
        Assert.Contains("$0.83 per share", posts[1].Text);
    }

    [Fact]
    public async Task Feeds_on_one_host_share_its_request_rate_limit()
    {
        await using var server = await HttpReplayServer.StartAsync((ctx, _) => HttpReplayServer.StatusAsync(ctx, 304));
        var sink = new PipelineSink();
        var settings = Settings(pollSeconds: 0);
        settings.RequestsPerSecondByHost["127.0.0.1"] = 10;
        var limits = new HostRateLimits(settings.RequestsPerSecondByHost, settings.DefaultRequestsPerSecond);
        using var stop = new CancellationTokenSource();
        var runs = new[] { "a", "b", "c" }.Select(n => new RssFeedSource(new RssFeedSettings { Name = n, Url = new Uri(server.Url, "/" + n).ToString() },
            settings, new HttpClient(), limits, sink.SymbolForCompany, sink.IngestAsync, NullLogger.Instance).RunAsync(stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        stop.Cancel();
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10));
        await limits.DisposeAsync();

        var times = server.Requests.Select(r => r.AtUtc).Order().ToList();
        Assert.True(times.Count is >= 5 and <= 17, $"{times.Count} requests in 1.5 s at 10/s");
        var busiestSecond = times.Max(t => times.Count(u => u >= t && u < t.AddSeconds(1)));
        Assert.True(busiestSecond <= 11, $"{busiestSecond} requests within one second");
        Assert.Equal(3, server.Requests.Select(r => r.PathAndQuery).Distinct().Count());
    }

    [Fact]
    public async Task A_Latin_1_document_is_read_in_its_declared_encoding()
    {
        var xml = (await File.ReadAllTextAsync(HttpReplayServer.ResponseFile("edgar-8k-2.xml"))).Replace("EXXON MOBIL CORP", "SOCIÉTÉ GÉNÉRALE EXXON MOBIL CORP");
        var latin1 = System.Text.Encoding.Latin1.GetBytes(xml);                   // EDGAR declares ISO-8859-1; no charset in the header
        await using var server = await HttpReplayServer.StartAsync((ctx, _) =>
        {
            ctx.Response.ContentType = Atom;
            return ctx.Response.Body.WriteAsync(latin1).AsTask();
        });
        var sink = new PipelineSink();
        var settings = Settings(pollSeconds: 60);
        settings.Ciks["34088"] = "XOM";
        var running = await StartAsync(server, sink, settings);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);
        Assert.Contains("SOCIÉTÉ GÉNÉRALE", Assert.Single(sink.Snapshot(), p => p.Symbols[0] == "XOM").Text);
    }

    [Fact]
    public async Task An_oversize_document_is_abandoned_and_counted_and_the_next_one_is_read()
    {
        await using var server = await HttpReplayServer.StartAsync(async (ctx, req) =>
        {
            if (req.Number > 1) { await HttpReplayServer.SendFileAsync(ctx, "edgar-8k-1.xml", Atom); return; }
            ctx.Response.ContentType = Atom;                                      // chunked, no Content-Length: the cap applies while reading
            var padding = new byte[64 * 1024];
            Array.Fill(padding, (byte)' ');
            for (var i = 0; i < 40; i++) await ctx.Response.Body.WriteAsync(padding, ctx.RequestAborted);
        });
        var sink = new PipelineSink();
        var settings = Settings();
        settings.MaxDocumentBytes = 1 << 20;
        var running = await StartAsync(server, sink, settings);
        Assert.True(await PipelineSink.EventuallyAsync(() => sink.Snapshot().Count == 2));
        await StopAsync(running);
        Assert.Equal(1, Problems(running.Source, TextSourceProblems.TooLarge));
    }

    [Fact]
    public void An_SEC_feed_without_a_contact_User_Agent_is_refused_with_a_clear_error()
    {
        var settings = Settings();
        settings.UserAgent = "MarketPulse/1.0";
        var ex = Assert.Throws<ArgumentException>(() => new RssFeedSource(
            new RssFeedSettings { Name = "sec-8k", Url = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom" },
            settings, new HttpClient(), new HostRateLimits(settings.RequestsPerSecondByHost, 1), _ => null, (_, _, _) => throw new InvalidOperationException(), NullLogger.Instance));
        Assert.Contains("User-Agent", ex.Message);
        Assert.Contains("MarketPulse:Text:Rss:UserAgent", ex.Message);
    }
}
