using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketPulse.Abstractions.Security;
using MarketPulse.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MarketPulse.Server.Tests;

/// <summary>Limits high enough for the hostile run (its point is the answers, not the throttling), tokens from a loopback issuer.</summary>
public sealed class HostileServerFixture : ServerFixture
{
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
        "--MarketPulse:Api:RequestsPerMinutePerIp=10000000",
        "--MarketPulse:Api:RequestsPerMinutePerPrincipal=10000000",
        "--MarketPulse:Api:IngestRequestsPerMinute=10000000",
        "--MarketPulse:Api:KeyCacheDuration=00:00:00",
        $"--MarketPulse:Api:Jwt:Authority={Issuer.Authority}",
        $"--MarketPulse:Api:Jwt:Audience={TokenIssuer.Audience}",
        "--MarketPulse:Api:Jwt:RequireHttpsMetadata=false",
        "--Logging:LogLevel:Default=None", "--Logging:LogLevel:Microsoft.AspNetCore.Diagnostics=Error",
    ];

    public async Task<string> KeyAsync(string owner, string scopes, DateTime? expires = null, bool revoked = false)
    {
        var grains = Services.GetRequiredService<IGrainFactory>();
        var (record, key) = await ApiKeyAdmin.CreateAsync(grains, owner, owner, scopes.Split(','), expires, DateTime.UtcNow);
        if (revoked) await grains.GetGrain<IApiKeyDirectoryGrain>(0).RevokeAsync(record.Id, DateTime.UtcNow);
        return key;
    }
}

/// <summary>
/// At least 10,000 hostile requests generated from the service's own OpenAPI document, across every operation: wrong
/// types, missing and extra fields, huge and deeply nested bodies, invalid UTF-8, wrong content types, traversal and
/// injection strings, wrong/expired/revoked/forged/other principals' credentials and wrong methods. Every answer must be
/// below 500; every 4xx a ProblemDetails that shows no stack trace or internal type name; another principal's rule is
/// always 404; and what was accepted before the run is unchanged after it. Deterministic (seeded).
/// </summary>
public sealed class HostileInputTests(HostileServerFixture server, ITestOutputHelper output) : IClassFixture<HostileServerFixture>
{
    public const int MinimumRequests = 10_000;
    private const string Victim = "SAFE";

    private static readonly string[] HostileStrings =
    [
        "", " ", "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "..\\..\\windows\\win.ini", "%00", "\0", "a\0b",
        "' OR '1'='1", "1; DROP TABLE prices;--", "\" OR \"\"=\"", "admin'--", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
        "{{7*7}}", "#{7*7}", "$(id)", "`id`", "| cat /etc/passwd", "\r\nSet-Cookie: x=1", "%0d%0aX-Injected: 1", "\u202Egnp.exe",
        "😀📈", "ＡＡＰＬ", "Ä̸̢̛̗", new string('A', 300), new string('x', 5000), "-1", "0", "1e309", "NaN", "Infinity", "-0",
        "null", "true", "[]", "{}", "AAPL AAPL", "aapl/../msft", "*", "%", "%%", "\\", "/", "//", "?", "#", "&", "=",
        "SELECT * FROM users", "{\"$gt\":\"\"}", "__proto__", "constructor", "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd", "\ud800", "\uffff", "2024-13-45", "9999-12-31T23:59:59Z", "0001-01-01", "-999999999",
    ];

    private static readonly JsonNode?[] WrongValues =
    [
        null, JsonValue.Create(true), JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1e308), JsonValue.Create(long.MaxValue),
        JsonValue.Create(""), JsonValue.Create("x"), JsonValue.Create(new string('z', 20_000)), new JsonArray(), new JsonObject(),
        new JsonArray(1, 2, 3), new JsonObject { ["a"] = new JsonObject { ["b"] = 1 } }, JsonValue.Create("2024-05-01T14:30:00Z"),
        JsonValue.Create("../../etc/passwd"), JsonValue.Create("' OR 1=1--"), JsonValue.Create("<script>"),
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
        "application/json; charset=utf-16", "image/png", "application/jsonx", "*/*",
    ];

    private sealed record Operation(string Method, string Path, List<(string Name, string In)> Parameters, JsonObject? BodySchema);

    private sealed record Credential(string Name, Action<HttpRequestHeaders> Apply, bool MayWrite);

    private sealed record Probe(string Category, Operation Op, HttpRequestMessage Request, HttpStatusCode? Expect = null);

    [Fact]
    public async Task Ten_thousand_hostile_requests_from_the_openapi_document_get_no_5xx_and_only_clean_problem_details()
    {
        var http = server.Http;
        var attacker = await server.KeyAsync("mallory", "read,ingest,alerts");
        var victim = await server.KeyAsync("victim", "read,ingest,alerts");
        var credentials = await CredentialsAsync(attacker);

        // What was accepted before the run: a ticker's trades and posts, and another principal's alert rule.
        await SendOkAsync(http, HttpMethod.Post, "/api/ingest/ticks", victim, string.Join(",", Enumerable.Range(0, 30)
            .Select(i => Ingest.Tick(Victim, $"2024-05-01T14:{30 + i}:00Z", 100 + i))).Insert(0, "[") + "]");
        await SendOkAsync(http, HttpMethod.Post, "/api/ingest/posts", victim,
            """[{"source":"seed","id":"s1","time":"2024-05-01T14:30:00Z","text":"$SAFE strong quarter, excellent results","symbols":["SAFE"]}]""");
        var rule = await (await SendOkAsync(http, HttpMethod.Post, "/api/alerts", victim, """{"symbol":"SAFE","kind":"price-above","threshold":1000,"name":"victim rule"}"""))
            .Content.ReadFromJsonAsync<JsonElement>();
        var ruleId = rule.GetProperty("id").GetString()!;
        // Ingest is acknowledged once queued: wait until all 30 minute bars and the post have arrived.
        // Until the first batch reaches its ticker the symbol is unknown (404): wait for it.
        await Eventually.True(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tickers/{Victim}/bars?interval=1m");
            request.Headers.Add("X-Api-Key", victim);
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        }, "the victim's ticker");
        var before = await Eventually.Value(() => StateAsync(http, victim, ruleId),
            state => state.Contains("\"id\":\"s1\"") && state.Split("\"trades\"").Length - 1 >= 30, "the victim's 30 minute bars and post");

        var doc = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = Operations(doc);
        Assert.True(operations.Count >= 12, $"only {operations.Count} operations in the document");

        var probes = Generate(operations, credentials, attacker, ruleId);
        Assert.True(probes.Count >= MinimumRequests, $"{probes.Count} probes");

        var failures = new ConcurrentQueue<string>();
        var byStatus = new ConcurrentDictionary<int, int>();
        var byCategory = new ConcurrentDictionary<string, int>();
        var byOperation = new ConcurrentDictionary<string, int>();
        var watch = Stopwatch.StartNew();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32, AllowAutoRedirect = false })
        {
            BaseAddress = http.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (probe, ct) =>
        {
            var label = $"{probe.Category} {probe.Request.Method} {Shorten(probe.Request.RequestUri!.OriginalString)}";
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(probe.Request, ct);
            }
            catch (Exception ex)
            {
                failures.Enqueue($"{label}: no answer ({ex.GetType().Name}: {ex.Message})");
                return;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
                byCategory.AddOrUpdate(probe.Category, 1, (_, n) => n + 1);
                byOperation.AddOrUpdate($"{probe.Op.Method} {probe.Op.Path}", 1, (_, n) => n + 1);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (status >= 500) failures.Enqueue($"{label}: {status} {Shorten(body)}");
                else if (status >= 400 && response.Headers.ConnectionClose == true && body.Length == 0 && status is 400 or 414 or 431)
                {
                    // Refused by Kestrel while parsing the request (a NUL in the path, a request line or headers over its
                    // limits), before any application code: an empty answer that closes the connection, counted apart.
                    byCategory.AddOrUpdate("kestrel-protocol-refusal", 1, (_, n) => n + 1);
                }
                else if (probe.Expect is { } expected && response.StatusCode != expected) failures.Enqueue($"{label}: {status}, expected {(int)expected}");
                else if (status >= 400)
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        failures.Enqueue($"{label}: {status} is not ProblemDetails ({response.Content.Headers.ContentType}) {Shorten(body)}");
                    else if (Leaks(body) is { } leak) failures.Enqueue($"{label}: {status} leaks '{leak}': {Shorten(body)}");
                    else
                    {
                        using var problem = JsonDocument.Parse(body);
                        if (!problem.RootElement.TryGetProperty("status", out var s) || s.GetInt32() != status)
                            failures.Enqueue($"{label}: ProblemDetails without its status: {Shorten(body)}");
                    }
                }
            }
        });
        watch.Stop();

        var after = await StateAsync(http, victim, ruleId);
        var total = byStatus.Values.Sum();
        var summary = new
        {
            requests = total,
            operations = operations.Count,
            seconds = Math.Round(watch.Elapsed.TotalSeconds, 1),
            byStatus = byStatus.OrderBy(k => k.Key).ToDictionary(k => k.Key.ToString(), k => k.Value),
            byCategory = byCategory.OrderBy(k => k.Key).ToDictionary(k => k.Key, k => k.Value),
            byOperation = byOperation.OrderBy(k => k.Key).ToDictionary(k => k.Key, k => k.Value),
            failures = failures.Count,
        };
        var report = JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true });
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("MARKETPULSE_HOSTILE_REPORT") is { Length: > 0 } path) await File.WriteAllTextAsync(path, report);

        Assert.True(failures.IsEmpty, $"{failures.Count} of {total} answers wrong, e.g.:\n" + string.Join("\n", failures.Take(25)));
        Assert.True(total >= MinimumRequests, $"{total} requests answered");
        Assert.Equal(before, after);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>The victim's data as JSON text: the ticker's 1-minute bars, its posts (as accepted) and the alert rule.</summary>
    private static async Task<string> StateAsync(HttpClient http, string key, string ruleId)
    {
        var parts = new List<string>();
        foreach (var path in new[] { $"/api/tickers/{Victim}/bars?interval=1m", $"/api/tickers/{Victim}/posts", $"/api/alerts/{ruleId}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", key);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await response.Content.ReadAsStringAsync();
            // A post's score is the lexicon's until the production model refines it, whenever that happens: compare
            // what was accepted (source, id, time, text, author), not the derived score.
            if (path.EndsWith("/posts", StringComparison.Ordinal))
                json = JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement.EnumerateArray().Select(p => new
                {
                    source = p.GetProperty("source").GetString(),
                    id = p.GetProperty("id").GetString(),
                    time = p.GetProperty("time").GetString(),
                    text = p.GetProperty("text").GetString(),
                    author = p.GetProperty("author").ToString(),
                }));
            parts.Add(json);
        }
        Assert.Contains("\"close\"", parts[0]);
        return string.Join("\n", parts);
    }

    private static async Task<HttpResponseMessage> SendOkAsync(HttpClient http, HttpMethod method, string path, string key, string json)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", key);
        var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private async Task<List<Credential>> CredentialsAsync(string attacker)
    {
        var expired = await server.KeyAsync("old", "read,ingest,alerts", DateTime.UtcNow.AddSeconds(1));
        await Task.Delay(1100);
        var revoked = await server.KeyAsync("gone", "read,ingest,alerts", revoked: true);
        var readOnly = await server.KeyAsync("reader", "read");
        var issuer = server.Issuer;
        var jwt = issuer.Token("jwt-mallory", scp: "read ingest alerts");
        var expiredJwt = issuer.Token("jwt-mallory", scp: "read ingest alerts", lifetime: TimeSpan.FromMinutes(-30));
        var wrongAudience = issuer.Token("jwt-mallory", scp: "admin", audience: "api://other");
        var forged = ApiKeyFormat.Create().Key;
        return
        [
            new("none", _ => { }, false),
            new("attacker-key", h => h.Add("X-Api-Key", attacker), true),
            new("attacker-jwt", h => h.Authorization = new AuthenticationHeaderValue("Bearer", jwt), true),
            new("read-only-key", h => h.Add("X-Api-Key", readOnly), false),
            new("expired-key", h => h.Add("X-Api-Key", expired), false),
            new("revoked-key", h => h.Add("X-Api-Key", revoked), false),
            new("forged-key", h => h.Add("X-Api-Key", forged), false),
            new("wrong-key", h => h.Add("X-Api-Key", "not-a-key"), false),
            new("huge-key", h => h.TryAddWithoutValidation("X-Api-Key", new string('k', 8000)), false),
            new("injection-key", h => h.TryAddWithoutValidation("X-Api-Key", "' OR 1=1-- ${jndi:x}"), false),
            new("expired-jwt", h => h.Authorization = new AuthenticationHeaderValue("Bearer", expiredJwt), false),
            new("wrong-audience-jwt", h => h.Authorization = new AuthenticationHeaderValue("Bearer", wrongAudience), false),
            new("garbage-jwt", h => h.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."), false),
            new("basic-auth", h => h.Authorization = new AuthenticationHeaderValue("Basic", "YWRtaW46YWRtaW4="), false),
            new("empty-bearer", h => h.TryAddWithoutValidation("Authorization", "Bearer "), false),
        ];
    }

    private static List<Operation> Operations(JsonElement doc)
    {
        var list = new List<Operation>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject())
            {
                var parameters = new List<(string, string)>();
                if (op.Value.TryGetProperty("parameters", out var ps))
                    foreach (var p in ps.EnumerateArray()) parameters.Add((p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!));
                JsonObject? body = null;
                if (op.Value.TryGetProperty("requestBody", out var rb) && rb.GetProperty("content").EnumerateObject().FirstOrDefault() is { Value: var media }
                    && media.ValueKind == JsonValueKind.Object && media.TryGetProperty("schema", out var schema))
                    body = Resolve(doc, JsonNode.Parse(schema.GetRawText())!.AsObject());
                list.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        return list;
    }

    /// <summary>Inlines <c>$ref</c>s (a few levels: enough for the request bodies).</summary>
    private static JsonObject Resolve(JsonElement doc, JsonObject schema, int depth = 0)
    {
        if (depth > 5) return schema;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference.Split('/').Last();
            schema = JsonNode.Parse(doc.GetProperty("components").GetProperty("schemas").GetProperty(name).GetRawText())!.AsObject();
        }
        if (schema["items"] is JsonObject items) schema["items"] = Resolve(doc, items, depth + 1);
        if (schema["properties"] is JsonObject props)
            foreach (var name in props.Select(p => p.Key).ToList())
                if (props[name] is JsonObject p) props[name] = Resolve(doc, p, depth + 1);
        return schema;
    }

    /// <summary>A plausible value for a schema (the start of each mutation).</summary>
    private static JsonNode? Valid(JsonObject schema, Random random, string? name = null)
    {
        var type = Types(schema);
        if (type.Contains("array")) return new JsonArray(Valid(schema["items"] as JsonObject ?? new JsonObject(), random));
        if (type.Contains("object") || schema["properties"] is not null)
        {
            var obj = new JsonObject();
            if (schema["properties"] is JsonObject props)
                foreach (var (key, value) in props) obj[key] = Valid(value as JsonObject ?? new JsonObject(), random, key);
            return obj;
        }
        if (type.Contains("number") || type.Contains("integer")) return JsonValue.Create(random.Next(1, 500));
        if (type.Contains("boolean")) return JsonValue.Create(true);
        return name?.ToLowerInvariant() switch
        {
            "symbol" => JsonValue.Create(new[] { "FUZZ", "ZZZ", "AAPL", "MSFT" }[random.Next(4)]),
            "time" => JsonValue.Create($"2024-05-0{random.Next(1, 9)}T14:30:00Z"),
            "kind" => JsonValue.Create("price-above"),
            "symbols" => new JsonArray("FUZZ"),
            "webhookurl" => JsonValue.Create("https://hooks.example.com/x"),
            _ => JsonValue.Create("fuzz-" + random.Next(1000)),
        };
    }

    private static string[] Types(JsonObject schema) => schema["type"] switch
    {
        JsonValue v => [v.GetValue<string>()],
        JsonArray a => a.Select(x => x!.GetValue<string>()).ToArray(),
        _ => [],
    };

    private List<Probe> Generate(List<Operation> operations, List<Credential> credentials, string attacker, string victimRuleId)
    {
        var random = new Random(18);
        var probes = new List<Probe>();
        var hostileBodies = HostileBodies(random);
        string Hostile() => HostileStrings[random.Next(HostileStrings.Length)];
        Credential Cred() => credentials[random.Next(credentials.Count)];

        HttpRequestMessage Build(Operation op, Func<string, string> pathValue, string? query, Credential cred, HttpContent? content, string? method = null)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(op.Path, "{([^}]+)}", m => Uri.EscapeDataString(pathValue(m.Groups[1].Value)));
            var request = new HttpRequestMessage(new HttpMethod(method ?? op.Method), path + (query is null ? "" : "?" + query)) { Content = content };
            cred.Apply(request.Headers);
            return request;
        }
        string Sane(string name) => name switch { "symbol" => "FUZZ", "id" => "nosuchrule", "name" => "api", _ => "x" };
        HttpContent Json(JsonNode? node) => new StringContent(node?.ToJsonString() ?? "null", Encoding.UTF8, "application/json");

        var round = 0;
        while (probes.Count < MinimumRequests + 200)
        {
            round++;
            foreach (var op in operations)
            {
                var pathParams = op.Parameters.Where(p => p.In == "path").Select(p => p.Name).ToList();
                var queryParams = op.Parameters.Where(p => p.In == "query").Select(p => p.Name).ToList();

                // Path parameters: traversal, injection, long, odd unicode.
                foreach (var p in pathParams)
                    probes.Add(new("path-param", op, Build(op, n => n == p ? Hostile() : Sane(n), null, Cred(), op.BodySchema is null ? null : Json(Valid(op.BodySchema, random)))));

                // Query parameters: wrong types and hostile strings, duplicated, and unknown ones.
                foreach (var q in queryParams)
                    probes.Add(new("query-param", op, Build(op, Sane, $"{q}={Uri.EscapeDataString(Hostile())}&{q}={Uri.EscapeDataString(Hostile())}", Cred(), null)));
                probes.Add(new("unknown-query", op, Build(op, Sane, $"{Uri.EscapeDataString(Hostile())}={Uri.EscapeDataString(Hostile())}", Cred(), null)));

                // Credentials: every kind against every operation.
                foreach (var cred in credentials)
                    if (round % 3 == 0) probes.Add(new("credential", op, Build(op, Sane, null, cred, op.BodySchema is null ? null : Json(Valid(op.BodySchema, random)))));

                // Wrong methods.
                var wrong = new[] { "PUT", "PATCH", "DELETE", "POST", "GET" }.Where(m => m != op.Method).ToArray();
                probes.Add(new("wrong-method", op, Build(op, Sane, null, Cred(), Json(new JsonObject()), wrong[random.Next(wrong.Length)])));

                if (op.BodySchema is null) continue;
                var writer = credentials.Where(c => c.MayWrite).ToArray();
                Credential W() => writer[random.Next(writer.Length)];

                // Schema mutations: each field with a wrong value, missing, plus an extra field.
                var valid = Valid(op.BodySchema, random)!;
                var item = valid is JsonArray arr ? arr[0]!.AsObject() : valid.AsObject();
                foreach (var field in item.Select(f => f.Key).ToList())
                {
                    var copy = JsonNode.Parse(valid.ToJsonString())!;
                    var target = copy is JsonArray a ? a[0]!.AsObject() : copy.AsObject();
                    target[field] = JsonNode.Parse(WrongValues[random.Next(WrongValues.Length)]?.ToJsonString() ?? "null");
                    probes.Add(new("wrong-type", op, Build(op, Sane, null, W(), Json(copy))));
                    var missing = JsonNode.Parse(valid.ToJsonString())!;
                    (missing is JsonArray m ? m[0]!.AsObject() : missing.AsObject()).Remove(field);
                    probes.Add(new("missing-field", op, Build(op, Sane, null, W(), Json(missing))));
                    var injected = JsonNode.Parse(valid.ToJsonString())!;
                    (injected is JsonArray ia ? ia[0]!.AsObject() : injected.AsObject())[field] = Hostile();
                    probes.Add(new("injection-value", op, Build(op, Sane, null, W(), Json(injected))));
                }
                var extra = JsonNode.Parse(valid.ToJsonString())!;
                (extra is JsonArray ea ? ea[0]!.AsObject() : extra.AsObject())[Hostile() is { Length: > 0 } k ? k : "extra"] = Hostile();
                probes.Add(new("extra-field", op, Build(op, Sane, null, W(), Json(extra))));

                // Bodies that are not what the schema says at all.
                var (label, bytes) = hostileBodies[random.Next(hostileBodies.Count)];
                var raw = new ByteArrayContent(bytes);
                raw.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                probes.Add(new(label, op, Build(op, Sane, null, W(), raw)));

                // Right body, wrong or missing content type.
                var typed = new ByteArrayContent(Encoding.UTF8.GetBytes(valid.ToJsonString()));
                var contentType = WrongContentTypes[random.Next(WrongContentTypes.Length)];
                typed.Headers.TryAddWithoutValidation("Content-Type", contentType);
                probes.Add(new("wrong-content-type", op, Build(op, Sane, null, W(), typed)));
                probes.Add(new("no-content-type", op, Build(op, Sane, null, W(), new ByteArrayContent(Encoding.UTF8.GetBytes(valid.ToJsonString())))));
            }

            // Another principal's rule: hidden (404) from the attacker, whatever the method.
            foreach (var method in new[] { "GET", "DELETE" })
            {
                var request = new HttpRequestMessage(new HttpMethod(method), $"/api/alerts/{victimRuleId}");
                request.Headers.Add("X-Api-Key", attacker);
                probes.Add(new("other-user", operations.First(o => o.Path == "/api/alerts/{id}"), request, HttpStatusCode.NotFound));
            }
        }
        return probes;
    }

    private static List<(string Label, byte[] Bytes)> HostileBodies(Random random)
    {
        var deepArray = new string('[', 100_000) + new string(']', 100_000);
        var deepObject = string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000);
        var huge = "[" + string.Join(",", Enumerable.Repeat("""{"symbol":"FUZZ","time":"2024-05-01T14:30:00Z","price":1,"size":1}""", 10_001)) + "]";
        var hugeString = "[{\"symbol\":\"FUZZ\",\"text\":\"" + new string('a', 2_000_000) + "\"}]";
        return
        [
            ("empty-body", []),
            ("truncated-json", "[{\"symbol\":\"FU"u8.ToArray()),
            ("invalid-utf8", [.. "[{\"symbol\":\""u8, 0xff, 0xfe, 0xc3, 0x28, .. "\"}]"u8]),
            ("invalid-utf8", [0xc0, 0xaf, 0xed, 0xa0, 0x80]),
            ("utf16-bom", [0xff, 0xfe, (byte)'[', 0, (byte)']', 0]),
            ("deep-nesting", Encoding.UTF8.GetBytes(deepArray)),
            ("deep-nesting", Encoding.UTF8.GetBytes(deepObject)),
            ("huge-batch", Encoding.UTF8.GetBytes(huge)),
            ("huge-string", Encoding.UTF8.GetBytes(hugeString)),
            ("scalar-body", "42"u8.ToArray()),
            ("scalar-body", "\"x\""u8.ToArray()),
            ("null-body", "null"u8.ToArray()),
            ("duplicate-keys", "{\"symbol\":\"A\",\"symbol\":\"B\",\"kind\":\"price-above\",\"kind\":1}"u8.ToArray()),
            ("number-overflow", "[{\"symbol\":\"FUZZ\",\"time\":\"2024-05-01T14:30:00Z\",\"price\":1e400,\"size\":-1e400}]"u8.ToArray()),
            ("comments", "/* x */ [1]"u8.ToArray()),
            ("trailing-garbage", "[] []"u8.ToArray()),
            ("nul-bytes", [0, 0, 0, 0]),
            ("random-bytes", RandomBytes(random, 4096)),
        ];
    }

    private static byte[] RandomBytes(Random random, int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }

    /// <summary>What an answer must not show: stack frames, exception or framework type names, file paths of the build.</summary>
    private static string? Leaks(string body)
    {
        foreach (var marker in new[] { "   at ", "Exception", "System.", "Microsoft.", "Orleans.", "MarketPulse.", "StackTrace", "/work/", ".cs:line" })
            if (body.Contains(marker, StringComparison.Ordinal)) return marker;
        return null;
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
