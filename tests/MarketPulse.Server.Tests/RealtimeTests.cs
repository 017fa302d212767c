using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace MarketPulse.Server.Tests;

internal static class Ingest
{
    public static async Task<HttpResponseMessage> TicksAsync(HttpClient http, string json, string? traceParent = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/ticks") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        if (traceParent is not null) request.Headers.Add("traceparent", traceParent);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    public static string Tick(string symbol, string time, double price, double size = 1) =>
        $$"""{"symbol":"{{symbol}}","time":"{{time}}","price":{{price.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"size":{{size}}}""";
}

public class RealtimeTests(QuietServerFixture server) : IClassFixture<QuietServerFixture>
{
    private static long TicksApplied(JsonElement push) => push.GetProperty("ticker").GetProperty("ticksApplied").GetInt64();

    [Fact]
    public async Task A_subscriber_gets_its_symbols_pushes_with_the_applied_tick_count_and_nothing_for_other_symbols()
    {
        await using var client = await MarketHubClient.ConnectAsync(server.BaseAddress);
        Assert.Equal(["PSHA"], await client.SubscribeAsync("psha"));

        await Ingest.TicksAsync(server.Http, $"[{Ingest.Tick("PSHB", "2024-05-01T14:30:00Z", 7)}]");
        await Ingest.TicksAsync(server.Http, $"[{Ingest.Tick("PSHA", "2024-05-01T14:30:00Z", 10)},{Ingest.Tick("PSHA", "2024-05-01T14:30:01Z", 10.25)}]");

        var push = await MarketHubClient.WaitForAsync(client.Tickers, p => TicksApplied(p) == 2);
        Assert.Equal("PSHA", push.GetProperty("symbol").GetString());
        Assert.Equal(10.25, push.GetProperty("ticker").GetProperty("lastPrice").GetDouble());
        Assert.Equal(JsonValueKind.String, push.GetProperty("ticker").GetProperty("lastIngestedAtUtc").ValueKind);
        // Everything received so far was PSHA's, though PSHB's tick was ingested first.
        while (client.Tickers.Reader.TryRead(out var other)) Assert.Equal("PSHA", other.GetProperty("symbol").GetString());

        await client.UnsubscribeAsync("PSHA");
        await Ingest.TicksAsync(server.Http, $"[{Ingest.Tick("PSHA", "2024-05-01T14:30:02Z", 10.5)}]");
        await Task.Delay(1000);
        Assert.False(client.Tickers.Reader.TryRead(out _), "no push after unsubscribing");
    }

    [Fact]
    public async Task Subscribing_to_a_malformed_symbol_fails_with_a_message_naming_it()
    {
        await using var client = await MarketHubClient.ConnectAsync(server.BaseAddress);
        var ex = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync("AAPL", "not a symbol!"));
        Assert.Contains("symbols[1]", ex.Message);
        Assert.Contains("not a well-formed ticker symbol", ex.Message);
        await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync());
    }

    [Fact]
    public async Task The_ingest_requests_trace_id_reaches_the_grains_and_the_push()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var seen = new ConcurrentBag<(string Source, string Name)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "MarketPulse" or "Microsoft.Orleans.Application" or "Microsoft.Orleans.Runtime" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.TraceId == traceId) seen.Add((a.Source.Name, a.OperationName)); },
        };
        ActivitySource.AddActivityListener(listener);

        await using var client = await MarketHubClient.ConnectAsync(server.BaseAddress);
        await client.SubscribeAsync("TRCE");
        var traceParent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01";
        await Ingest.TicksAsync(server.Http, $"[{Ingest.Tick("TRCE", "2024-05-01T14:30:00Z", 5)}]", traceParent);
        await MarketHubClient.WaitForAsync(client.Tickers, p => p.GetProperty("symbol").GetString() == "TRCE");

        await Eventually.Last(() => Task.FromResult(seen.Any(s => s.Name == "marketpulse.push")), pushed => pushed, TimeSpan.FromSeconds(10));
        var names = seen.Select(s => $"{s.Source}:{s.Name}").ToList();
        Assert.Contains(names, n => n.StartsWith("Microsoft.AspNetCore:", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && n.Contains("MarketSourceGrain", StringComparison.Ordinal));
        Assert.Contains("MarketPulse:marketpulse.watch.ticker", names);
        Assert.Contains("MarketPulse:marketpulse.push", names);
    }
}

[Collection(MetricsCollection.Name)]
public class ReplayPushTests(ReplayServerFixture server) : IClassFixture<ReplayServerFixture>
{
    [Fact]
    public async Task A_signalr_client_receives_pushes_from_the_replaying_service_and_the_metrics_show_them()
    {
        await using var client = await MarketHubClient.ConnectAsync(server.BaseAddress);
        await client.SubscribeAsync("AAPL");
        var first = await MarketHubClient.WaitForAsync(client.Tickers, p => p.GetProperty("symbol").GetString() == "AAPL", 30);
        var applied = first.GetProperty("ticker").GetProperty("barsApplied").GetInt64() + first.GetProperty("ticker").GetProperty("ticksApplied").GetInt64();
        var later = await MarketHubClient.WaitForAsync(client.Tickers, p =>
            p.GetProperty("ticker").GetProperty("barsApplied").GetInt64() + p.GetProperty("ticker").GetProperty("ticksApplied").GetInt64() > applied, 30);
        Assert.Equal("AAPL", later.GetProperty("symbol").GetString());
        Assert.Equal(JsonValueKind.Number, later.GetProperty("ticker").GetProperty("lastPrice").ValueKind);

        // The exporter caches a scrape briefly and instruments appear at their first measurement: poll until all show.
        string[] patterns =
        [
            @"signalr_server_active_connections\{[^}]*\} [1-9]",
            @"marketpulse_push_latency_milliseconds_count\{?[^ ]*\}? [1-9]",
            @"marketpulse_push_messages_total\{[^}]*kind=""ticker""[^}]*\} [1-9]",
            @"marketpulse_stream_batches_published_total\{[^}]*namespace=""ticks""[^}]*\} [1-9]",
            @"marketpulse_stream_batches_delivered_total\{[^}]*namespace=""ticks""[^}]*\} [1-9]",
        ];
        var metrics = await Eventually.Last(() => server.Http.GetStringAsync("/metrics"),
            m => patterns.All(p => System.Text.RegularExpressions.Regex.IsMatch(m, p)), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(250));
        foreach (var pattern in patterns) Assert.Matches(pattern, metrics);
    }
}
