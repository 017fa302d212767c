using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MarketPulse.Abstractions.Security;
using MarketPulse.Grains.Alerts;
using MarketPulse.Grains.Security;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace MarketPulse.Server.Tests;

/// <summary>
/// Reads closed (<c>RequireKeyForReads</c>), stored keys trusted for no time (so revocation shows at once), bearer tokens
/// from a loopback OpenID Connect issuer, and one allowed CORS origin.
/// </summary>
public sealed class SecuredServerFixture : ServerFixture
{
    public const string AllowedOrigin = "https://dashboard.example.com";

    public TokenIssuer Issuer { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Issuer = await TokenIssuer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Issuer.DisposeAsync();
    }

    protected override IEnumerable<string> ExtraArgs() =>
    [
        "--MarketPulse:Replay:Enabled=false",
        "--MarketPulse:Api:RequireKeyForReads=true",
        "--MarketPulse:Api:KeyCacheDuration=00:00:00",
        $"--MarketPulse:Api:CorsOrigins:0={AllowedOrigin}",
        $"--MarketPulse:Api:Jwt:Authority={Issuer.Authority}",
        $"--MarketPulse:Api:Jwt:Audience={TokenIssuer.Audience}",
        "--MarketPulse:Api:Jwt:RequireHttpsMetadata=false",
    ];

    /// <summary>Stores a key as <c>marketpulse keys create</c> does and answers it.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string owner, string scopes, DateTime? expires = null)
    {
        var (record, key) = await ApiKeyAdmin.CreateAsync(Services.GetRequiredService<IGrainFactory>(), "test", owner, scopes.Split(','), expires, DateTime.UtcNow);
        return (record.Id, key);
    }
}

public sealed class SecurityTests(SecuredServerFixture server) : IClassFixture<SecuredServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private static HttpRequestMessage Request(HttpMethod method, string path, string? json = null, string? key = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return request;
    }

    private static string Tick(string symbol) => $"[{Ingest.Tick(symbol, "2024-05-01T14:30:00Z", 10)}]";

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => await _http.SendAsync(request);

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? detail = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        if (detail is not null) Assert.Contains(detail, body.GetProperty("detail").GetString());
        return body;
    }

    [Fact]
    public async Task A_stored_key_acts_with_its_own_scopes_only()
    {
        var (_, readOnly) = await server.CreateKeyAsync("reader", "read");
        var (_, ingester) = await server.CreateKeyAsync("ingester", "ingest");

        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Post, "/api/ingest/ticks", Tick("SCPA"), readOnly)), HttpStatusCode.Forbidden, "scope");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Request(HttpMethod.Post, "/api/ingest/ticks", Tick("SCPA"), ingester))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Request(HttpMethod.Get, "/api/tickers", key: readOnly))).StatusCode);
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Get, "/api/tickers", key: ingester)), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Get, "/api/alerts", key: ingester)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Reads_are_closed_by_configuration_and_a_development_key_has_every_scope()
    {
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Get, "/api/tickers")), HttpStatusCode.Unauthorized, "X-Api-Key");
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Get, "/api/models")), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Request(HttpMethod.Get, "/api/tickers", key: ServerFixture.ApiKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Request(HttpMethod.Get, "/api/alerts", key: ServerFixture.ApiKey))).StatusCode);
        // The operational endpoints stay open for probes and scrapers.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Request(HttpMethod.Get, "/health/live"))).StatusCode);
    }

    [Fact]
    public async Task Expired_revoked_and_forged_keys_are_refused_with_401()
    {
        var (_, expired) = await server.CreateKeyAsync("late", "read", DateTime.UtcNow.AddMinutes(-1));
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Get, "/api/tickers", key: expired)), HttpStatusCode.Unauthorized, "expired");

        var (id, key) = await server.CreateKeyAsync("soon-gone", "read");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Request(HttpMethod.Get, "/api/tickers", key: key))).StatusCode);
        Assert.True(await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeyDirectoryGrain>(0).RevokeAsync(id, DateTime.UtcNow));
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Get, "/api/tickers", key: key)), HttpStatusCode.Unauthorized, "revoked");

        // Right id, wrong secret; and a key that was never issued.
        var (_, good) = await server.CreateKeyAsync("forged", "read");
        var forged = good[..^4] + (good.EndsWith("AAAA") ? "BBBB" : "AAAA");
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Get, "/api/tickers", key: forged)), HttpStatusCode.Unauthorized, "not valid");
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Get, "/api/tickers", key: ApiKeyFormat.Create().Key)), HttpStatusCode.Unauthorized, "not valid");
    }

    [Fact]
    public async Task Only_the_hash_of_a_stored_key_is_kept()
    {
        var (id, key) = await server.CreateKeyAsync("hashed", "read");
        var record = await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeyDirectoryGrain>(0).FindAsync(id);
        Assert.NotNull(record);
        var secret = key[(ApiKeyFormat.Prefix.Length + 17)..];
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), record.SecretHash);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(record));
    }

    [Fact]
    public async Task Alert_rules_belong_to_their_principal_and_an_admin_sees_all()
    {
        var (_, alice) = await server.CreateKeyAsync("alice", "alerts");
        var (_, bob) = await server.CreateKeyAsync("bob", "alerts,read");
        var (_, admin) = await server.CreateKeyAsync("ops", "admin");
        var created = await SendAsync(Request(HttpMethod.Post, "/api/alerts", """{"symbol":"OWND","kind":"prediction-flip"}""", alice));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = rule.GetProperty("id").GetString()!;
        Assert.Equal("alice", rule.GetProperty("owner").GetString());

        // Bob cannot see, read or delete it: 404, exactly as for a rule that does not exist.
        var bobsList = await (await SendAsync(Request(HttpMethod.Get, "/api/alerts", key: bob))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(bobsList.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        var bobGet = await SendAsync(Request(HttpMethod.Get, $"/api/alerts/{id}", key: bob));
        var missing = await SendAsync(Request(HttpMethod.Get, "/api/alerts/doesnotexist", key: bob));
        var bobGot = await AssertProblemAsync(bobGet, HttpStatusCode.NotFound);
        Assert.Equal((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), bobGot.GetProperty("title").GetString());
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Delete, $"/api/alerts/{id}", key: bob)), HttpStatusCode.NotFound);

        // Alice sees it; the admin sees it among everyone's and may delete it.
        var alicesList = await (await SendAsync(Request(HttpMethod.Get, "/api/alerts", key: alice))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, Assert.Single(alicesList.EnumerateArray()).GetProperty("id").GetString());
        var adminList = await (await SendAsync(Request(HttpMethod.Get, "/api/alerts", key: admin))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(adminList.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(Request(HttpMethod.Delete, $"/api/alerts/{id}", key: admin))).StatusCode);
    }

    [Fact]
    public async Task One_principal_cannot_fill_the_rule_directory()
    {
        var directory = server.Services.GetRequiredService<IGrainFactory>().GetGrain<MarketPulse.Abstractions.Alerts.IAlertDirectoryGrain>(0);
        for (var i = 0; i < AlertDirectoryGrain.MaxRulesPerOwner; i++)
        {
            var added = await directory.AddAsync(new MarketPulse.Abstractions.Alerts.AlertRule($"cap{i}", $"CAP{i % 50}", "prediction-flip", null, null, null, "hoarder", DateTime.UtcNow));
            Assert.Null(added.Error);
        }
        var (_, hoarder) = await server.CreateKeyAsync("hoarder", "alerts");
        var refused = await SendAsync(Request(HttpMethod.Post, "/api/alerts", """{"symbol":"CAPX","kind":"prediction-flip"}""", hoarder));
        var errors = (await AssertProblemAsync(refused, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Contains("per principal", errors.GetProperty("rule")[0].GetString());
        var (_, other) = await server.CreateKeyAsync("someone-else", "alerts");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(Request(HttpMethod.Post, "/api/alerts", """{"symbol":"CAPX","kind":"prediction-flip"}""", other))).StatusCode);
        foreach (var i in Enumerable.Range(0, AlertDirectoryGrain.MaxRulesPerOwner)) await directory.RemoveAsync($"cap{i}");
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.5/hook")]
    [InlineData("https://192.168.1.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://224.0.0.1/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://168.63.129.16/")]
    [InlineData("http://example.com/hook")]
    public async Task A_webhook_to_an_inside_address_or_over_plain_http_is_refused_at_creation(string url)
    {
        var response = await SendAsync(Request(HttpMethod.Post, "/api/alerts", $$"""{"symbol":"HOOK","kind":"prediction-flip","webhookUrl":"{{url}}"}""", ServerFixture.ApiKey));
        var errors = (await AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("webhookUrl", out _), errors.ToString());
    }

    [Fact]
    public async Task A_public_https_webhook_is_accepted_and_its_signing_secret_shown_once()
    {
        var response = await SendAsync(Request(HttpMethod.Post, "/api/alerts", """{"symbol":"HOOK","kind":"prediction-flip","webhookUrl":"https://hooks.example.com/mp"}""", ServerFixture.ApiKey));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var rule = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("whsec_", rule.GetProperty("webhookSecret").GetString());
        var again = await (await SendAsync(Request(HttpMethod.Get, $"/api/alerts/{rule.GetProperty("id").GetString()}", key: ServerFixture.ApiKey)))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(again.TryGetProperty("webhookSecret", out _));
    }

    [Fact]
    public async Task Identity_provider_tokens_map_scopes_and_roles_to_the_same_policies()
    {
        var issuer = server.Issuer;
        var reader = issuer.Token("user-1", scp: "read");
        var ingester = issuer.Token("user-2", scp: "MarketPulse.Ingest read");
        var admin = issuer.Token("user-3", roles: ["MarketPulse.Admin"]);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Request(HttpMethod.Get, "/api/tickers", bearer: reader))).StatusCode);
        await AssertProblemAsync(await SendAsync(Request(HttpMethod.Post, "/api/ingest/ticks", Tick("JWTA"), bearer: reader)), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Request(HttpMethod.Post, "/api/ingest/ticks", Tick("JWTA"), bearer: ingester))).StatusCode);
        var created = await SendAsync(Request(HttpMethod.Post, "/api/alerts", """{"symbol":"JWTA","kind":"prediction-flip"}""", bearer: admin));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("user-3", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Tokens_that_are_expired_for_another_audience_or_signed_by_another_key_are_401()
    {
        var issuer = server.Issuer;
        var expired = issuer.Token("user-1", scp: "read", lifetime: TimeSpan.FromMinutes(-10));
        var otherAudience = issuer.Token("user-1", scp: "read", audience: "api://someone-else");
        var otherKey = issuer.Token("user-1", scp: "read", signWith: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" });
        foreach (var token in new[] { expired, otherAudience, otherKey, "a.b.c" })
        {
            var response = await SendAsync(Request(HttpMethod.Get, "/api/tickers", bearer: token));
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task SignalR_connections_authenticate_like_requests_with_the_token_in_the_query()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(async () => await MarketHubClient.ConnectAsync(server.BaseAddress));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var (_, reader) = await server.CreateKeyAsync("hub-reader", "read");
        await using (var client = await MarketHubClient.ConnectAsync(server.BaseAddress, reader))
            Assert.Equal(["AAPL"], await client.SubscribeAsync("aapl"));
        await using (var client = await MarketHubClient.ConnectAsync(server.BaseAddress, server.Issuer.Token("user-9", scp: "read")))
            Assert.Equal(["MSFT"], await client.SubscribeAsync("msft"));

        // Websockets only (no negotiate fallback): the credential can only have come in the access_token query parameter.
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/market"), Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(reader);
            })
            .Build();
        await connection.StartAsync();
        Assert.Equal(["IBM"], await connection.InvokeAsync<string[]>("Subscribe", new[] { "ibm" }));
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Cors_answers_the_configured_origin_only()
    {
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/tickers");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "X-Api-Key");
            return await SendAsync(request);
        }
        var allowed = await Preflight(SecuredServerFixture.AllowedOrigin);
        Assert.Equal(SecuredServerFixture.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var other = await Preflight("https://evil.example.net");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Health_ready_is_json_with_each_check()
    {
        var response = await SendAsync(Request(HttpMethod.Get, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("models").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_api_reference_and_the_openapi_document_with_security_schemes_are_served()
    {
        var scalar = await SendAsync(Request(HttpMethod.Get, "/scalar"));
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Contains("text/html", scalar.Content.Headers.ContentType?.MediaType);
        var doc = await (await SendAsync(Request(HttpMethod.Get, "/openapi/v1.json"))).Content.ReadFromJsonAsync<JsonElement>();
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("apiKey", schemes.GetProperty("ApiKey").GetProperty("type").GetString());
        Assert.Equal("http", schemes.GetProperty("Bearer").GetProperty("type").GetString());
        var post = doc.GetProperty("paths").GetProperty("/api/ingest/ticks").GetProperty("post");
        foreach (var status in new[] { "400", "401", "403", "413", "415", "429" }) Assert.True(post.GetProperty("responses").TryGetProperty(status, out _), status);
        Assert.Equal("ACME", post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example")[0].GetProperty("symbol").GetString());
        Assert.Equal("problem+json", post.GetProperty("responses").GetProperty("401").GetProperty("content").EnumerateObject().Single().Name.Split('/')[1]);
    }
}

/// <summary>Webhook targets are checked again where the socket opens, after name resolution.</summary>
public sealed class WebhookTargetTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("239.1.1.1", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("168.63.129.16", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("ff02::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("64:ff9b::a9fe:a9fe", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("140.82.112.3", false)]
    [InlineData("2606:4700::1111", false)]
    public void Inside_addresses_are_forbidden(string address, bool forbidden) =>
        Assert.Equal(forbidden, WebhookTargets.IsForbidden(IPAddress.Parse(address)));

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting_and_allowed_when_private_targets_are()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // "localhost" comes from the hosts file: resolution without any network, to loopback only.
        await Assert.ThrowsAsync<WebhookTargetRefusedException>(async () => await WebhookTargets.ConnectAsync(new DnsEndPoint("localhost", port), false, default));
        await using var stream = await WebhookTargets.ConnectAsync(new DnsEndPoint("localhost", port), true, default);
        Assert.True(stream.CanWrite);
    }
}

/// <summary>Low limits, so a test can reach them.</summary>
public sealed class RateLimitedServerFixture : ServerFixture
{
    public const int PerIp = 30;

    protected override IEnumerable<string> ExtraArgs() =>
        ["--MarketPulse:Replay:Enabled=false", $"--MarketPulse:Api:RequestsPerMinutePerIp={PerIp}", "--MarketPulse:Api:RequestsPerMinutePerPrincipal=10"];
}

/// <summary>Two hub connections per principal.</summary>
public sealed class HubLimitServerFixture : ServerFixture
{
    protected override IEnumerable<string> ExtraArgs() => ["--MarketPulse:Replay:Enabled=false", "--MarketPulse:Api:MaxConnectionsPerPrincipal=2"];
}

public sealed class HubConnectionLimitTests(HubLimitServerFixture server) : IClassFixture<HubLimitServerFixture>
{
    [Fact]
    public async Task A_principal_holds_at_most_its_hub_connections_and_a_closed_one_frees_a_place()
    {
        var key = (await ApiKeyAdmin.CreateAsync(server.Services.GetRequiredService<IGrainFactory>(), "hub", "hub-user", ["read"], null, DateTime.UtcNow)).Key;
        async Task<(HubConnection Connection, TaskCompletionSource Closed)> Connect()
        {
            var c = new HubConnectionBuilder().WithUrl(new Uri(server.BaseAddress, "/hubs/market"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key)).Build();
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            c.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
            await c.StartAsync();
            return (c, closed);
        }
        var first = await Connect();
        var second = await Connect();
        var third = await Connect();
        // The third is closed by the server at once; the first two stay usable.
        await third.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["AAPL"], await second.Connection.InvokeAsync<string[]>("Subscribe", new[] { "aapl" }));
        await first.Connection.DisposeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.Services.GetRequiredService<MarketPulse.Server.Realtime.HubConnectionCounter>().Open("hub-user") > 1 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var fourth = await Connect();
        Assert.Equal(["MSFT"], await fourth.Connection.InvokeAsync<string[]>("Subscribe", new[] { "msft" }));
        await second.Connection.DisposeAsync();
        await third.Connection.DisposeAsync();
        await fourth.Connection.DisposeAsync();
    }
}

public sealed class RateLimitTests(RateLimitedServerFixture server) : IClassFixture<RateLimitedServerFixture>
{
    [Fact]
    public async Task A_principal_and_then_an_address_over_their_limits_get_429_problem_details_with_retry_after()
    {
        async Task<HttpResponseMessage> Get(bool withKey)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/tickers");
            if (withKey) request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
            return await server.Http.SendAsync(request);
        }

        // The principal's 10 per minute run out first, while anonymous requests from the same address still pass.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++) statuses.Add((await Get(withKey: true)).StatusCode);
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        var limited = await Get(withKey: true);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(1), limited.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await Get(withKey: false)).StatusCode);

        // Then the address's limit: everything from it is refused, with or without credentials.
        HttpResponseMessage last;
        var n = 0;
        do last = await Get(withKey: false);
        while (last.StatusCode == HttpStatusCode.OK && ++n < RateLimitedServerFixture.PerIp * 2);
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.NotNull(last.Headers.RetryAfter);
    }
}
