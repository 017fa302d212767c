using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Server.Tests;

/// <summary>A loopback HTTP receiver for webhooks that fails the first <c>failFirst</c> attempts of each delivery with 503.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    public ConcurrentQueue<(string DeliveryId, JsonElement Body)> Received { get; } = new();

    /// <summary>Per delivery id: the signature header and the raw body as received (the bytes that were signed).</summary>
    public ConcurrentDictionary<string, (string? Signature, byte[] RawBody)> Raw { get; } = new();
    public Uri Url { get; }

    private WebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public int Attempts(string deliveryId) => _attempts.GetValueOrDefault(deliveryId);

    public static async Task<WebhookReceiver> StartAsync(int failFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var id = request.Headers["X-MarketPulse-Delivery"].ToString();
            var attempt = self!._attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (attempt <= failFirst) return Results.StatusCode(503);
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            self.Raw[id] = (request.Headers["X-MarketPulse-Signature"].FirstOrDefault(), buffer.ToArray());
            self.Received.Enqueue((id, JsonDocument.Parse(buffer.ToArray()).RootElement.Clone()));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookReceiver(app, new Uri(new Uri(address), "/hook"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public class AlertTests(AlertServerFixture server) : IClassFixture<AlertServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private static HttpRequestMessage Request(HttpMethod method, string path, string? json = null, string? key = ServerFixture.ApiKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return request;
    }

    private async Task<JsonElement> CreateAsync(string json)
    {
        var response = await _http.SendAsync(Request(HttpMethod.Post, "/api/alerts", json));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Equal($"/api/alerts/{body.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return body;
    }

    private async Task<JsonElement> EventuallyAsync(string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var json = await (await _http.SendAsync(Request(HttpMethod.Get, path))).Content.ReadFromJsonAsync<JsonElement>();
            if (done(json)) return json;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path}: {json}");
            await Task.Delay(100);
        }
    }

    [Theory]
    [InlineData("GET", "/api/alerts")]
    [InlineData("POST", "/api/alerts")]
    [InlineData("DELETE", "/api/alerts/abc")]
    public async Task Every_alert_endpoint_needs_an_api_key(string method, string path)
    {
        var response = await _http.SendAsync(Request(new HttpMethod(method), path, method == "POST" ? "{}" : null, key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("""{"kind":"price-above","threshold":10}""", "symbol", "required")]
    [InlineData("""{"symbol":"AAPL","kind":"price-sideways","threshold":10}""", "kind", "not one of")]
    [InlineData("""{"symbol":"AAPL","kind":"price-above"}""", "threshold", "required number")]
    [InlineData("""{"symbol":"AAPL","kind":"price-below","threshold":-1}""", "threshold", "positive")]
    [InlineData("""{"symbol":"AAPL","kind":"sentiment-above","threshold":2}""", "threshold", "[-1, 1]")]
    [InlineData("""{"symbol":"AAPL","kind":"prediction-flip","threshold":0.5}""", "threshold", "takes no threshold")]
    [InlineData("""{"symbol":"AAPL","kind":"price-above","threshold":1,"webhookUrl":"ftp://x/y"}""", "webhookUrl", "http or https")]
    [InlineData("""{"symbol":"AAPL","kind":"price-above","threshold":1,"webhookUrl":"https://u:p@example.com/y"}""", "webhookUrl", "without credentials")]
    [InlineData("""{"symbol":"AAPL","kind":"price-above","threshold":1,"treshold":2}""", "treshold", "unknown field")]
    [InlineData("""{"symbol":"not a symbol","kind":"price-above","threshold":1}""", "symbol", "well-formed")]
    [InlineData("""[1,2]""", "body", "JSON object")]
    public async Task An_invalid_rule_is_400_problem_details_naming_the_field(string json, string field, string message)
    {
        var response = await _http.SendAsync(Request(HttpMethod.Post, "/api/alerts", json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(message, errors.GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Rules_are_listed_fetched_and_deleted()
    {
        var created = await CreateAsync("""{"symbol":"crud","kind":"prediction-flip","name":"flip watch"}""");
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("CRUD", created.GetProperty("symbol").GetString());
        Assert.Equal("api-key-0", created.GetProperty("owner").GetString());

        var list = await (await _http.SendAsync(Request(HttpMethod.Get, "/api/alerts?symbol=CRUD"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        var one = await (await _http.SendAsync(Request(HttpMethod.Get, $"/api/alerts/{id}"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("flip watch", one.GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(Request(HttpMethod.Delete, $"/api/alerts/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(Request(HttpMethod.Delete, $"/api/alerts/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(Request(HttpMethod.Get, $"/api/alerts/{id}"))).StatusCode);
    }

    [Fact]
    public async Task A_price_alert_fires_once_per_crossing_to_signalr_and_to_its_webhook_which_is_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var client = await MarketHubClient.ConnectAsync(server.BaseAddress, ServerFixture.ApiKey);
        await client.SubscribeAsync("ALRT");
        var rule = await CreateAsync($$"""{"symbol":"ALRT","kind":"price-above","threshold":100,"webhookUrl":"{{receiver.Url}}"}""");
        var id = rule.GetProperty("id").GetString()!;

        // 99 → 101 crosses (fires), 102 stays above (no second firing), 98 re-arms, 103 crosses again (fires).
        await Ingest.TicksAsync(_http, $"[{Ingest.Tick("ALRT", "2024-05-01T14:30:00Z", 99)}]");
        await Ingest.TicksAsync(_http, $"[{Ingest.Tick("ALRT", "2024-05-01T14:30:01Z", 101)}]");
        var alert = await MarketHubClient.WaitForAsync(client.Alerts, _ => true);
        Assert.Equal(id, alert.GetProperty("ruleId").GetString());
        Assert.Equal(101, alert.GetProperty("value").GetDouble());
        Assert.Equal(99, alert.GetProperty("previousValue").GetDouble());
        Assert.Contains("above 100", alert.GetProperty("message").GetString());

        await Ingest.TicksAsync(_http, $"[{Ingest.Tick("ALRT", "2024-05-01T14:30:02Z", 102)}]");
        await Ingest.TicksAsync(_http, $"[{Ingest.Tick("ALRT", "2024-05-01T14:30:03Z", 98)}]");
        await Ingest.TicksAsync(_http, $"[{Ingest.Tick("ALRT", "2024-05-01T14:30:04Z", 103)}]");
        var second = await MarketHubClient.WaitForAsync(client.Alerts, _ => true);
        Assert.Equal(103, second.GetProperty("value").GetDouble());

        var status = await EventuallyAsync($"/api/alerts/{id}", j => j.GetProperty("timesFired").GetInt64() == 2);
        Assert.Equal(103, status.GetProperty("lastValue").GetDouble());

        // Each delivery failed twice with 503 and then succeeded: three attempts, one receipt, same delivery id.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (receiver.Received.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(2, receiver.Received.Count);
        var first = receiver.Received.First(r => r.DeliveryId == alert.GetProperty("deliveryId").GetString());
        Assert.Equal(3, receiver.Attempts(first.DeliveryId));
        Assert.Equal("ALRT", first.Body.GetProperty("symbol").GetString());
        Assert.Equal("price-above", first.Body.GetProperty("kind").GetString());

        // Signed as docs/security.md tells receivers to verify: HMAC-SHA256 keyed with the secret shown at creation, over "t.body".
        var secret = rule.GetProperty("webhookSecret").GetString()!;
        var (signature, raw) = receiver.Raw[first.DeliveryId];
        Assert.True(WebhookSignature.Verify(secret, signature, raw, TimeSpan.FromMinutes(5)), $"signature {signature} does not verify");
        Assert.False(WebhookSignature.Verify("whsec_wrong", signature, raw, TimeSpan.FromMinutes(5)));
        var tampered = (byte[])raw.Clone();
        tampered[^2] ^= 1;
        Assert.False(WebhookSignature.Verify(secret, signature, tampered, TimeSpan.FromMinutes(5)));
        // The secret is shown once: reading the rule back does not show it.
        var again = await (await _http.SendAsync(Request(HttpMethod.Get, $"/api/alerts/{id}"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(again.TryGetProperty("webhookSecret", out _));
        Assert.False(client.Alerts.Reader.TryRead(out var extra), $"only two firings, got also {extra}");
    }

    [Fact]
    public async Task A_sentiment_alert_fires_when_posts_push_the_score_over_its_threshold()
    {
        await using var client = await MarketHubClient.ConnectAsync(server.BaseAddress, ServerFixture.ApiKey);
        await client.SubscribeAsync("SNTA");
        var rule = await CreateAsync("""{"symbol":"SNTA","kind":"sentiment-above","threshold":0.3}""");
        var request = Request(HttpMethod.Post, "/api/ingest/posts", """
            [{"source":"test","id":"p1","time":"2024-05-01T14:30:00Z","text":"$SNTA is excellent, wonderful, superb results! Great win!","symbols":["SNTA"]}]
            """);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(request)).StatusCode);
        var alert = await MarketHubClient.WaitForAsync(client.Alerts, a => a.GetProperty("ruleId").GetString() == rule.GetProperty("id").GetString());
        Assert.Equal("sentiment-above", alert.GetProperty("kind").GetString());
        Assert.True(alert.GetProperty("value").GetDouble() > 0.3);
    }
}

/// <summary>What a receiver does to check a delivery (the recipe in docs/security.md), written independently of the server's code.</summary>
public static class WebhookSignature
{
    public static bool Verify(string secret, string? header, byte[] body, TimeSpan tolerance)
    {
        if (header is null) return false;
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, out var seconds)) return false;
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds) return false;
        var signed = Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray();
        var expected = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }
}
