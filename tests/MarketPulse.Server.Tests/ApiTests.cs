using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MarketPulse.Server.Tests;

public class ApiTests(QuietServerFixture server) : IClassFixture<QuietServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private static HttpRequestMessage Post(string path, string json, string? key = ServerFixture.ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return request;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<JsonElement> EventuallyGet(string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await _http.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                var json = await Json(response);
                if (done(json)) return json;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }

    [Theory]
    [InlineData(null, "Send an API key")]
    [InlineData("wrong-key", "not valid")]
    public async Task Ingest_without_a_valid_key_is_401_problem_details(string? key, string detail)
    {
        var response = await _http.SendAsync(Post("/api/ingest/ticks", """[{"symbol":"AAPL","time":"2024-05-01T14:30:00Z","price":1,"size":1}]""", key));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await Json(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_batch_with_bad_items_keeps_the_good_ones_and_says_which_failed_and_why()
    {
        const string body = """
            [
              {"symbol":"ACME","time":"2024-05-01T14:30:00Z","price":10.5,"size":100},
              {"symbol":"ACME","time":"2024-05-01T14:30:01Z","price":"abc","size":1},
              {"symbol":"ACME","time":"2024-05-01T14:30:02Z","price":10.6,"size":-3},
              {"symbol":"ACME","time":"2024-05-01 14:30:03","price":10.7,"size":1},
              {"symbol":"ACME","time":"2024-05-01T14:30:04+00:00","price":10.8,"size":5,"bid":10.7,"ask":10.9,"sequence":7}
            ]
            """;
        var response = await _http.SendAsync(Post("/api/ingest/ticks", body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Json(response);
        Assert.Equal(2, json.GetProperty("accepted").GetInt32());
        var rejected = json.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([1, 2, 3], rejected.Select(r => r.Item1));
        Assert.StartsWith("price:", rejected[0].Item2);
        Assert.StartsWith("size:", rejected[1].Item2);
        Assert.StartsWith("time:", rejected[2].Item2);

        var snapshot = await EventuallyGet("/api/tickers/acme", j => j.GetProperty("ticker").GetProperty("ticksApplied").GetInt64() == 2);
        Assert.Equal(10.8, snapshot.GetProperty("ticker").GetProperty("lastPrice").GetDouble());
        var list = await EventuallyGet("/api/tickers", j => j.EnumerateArray().Any(t => t.GetProperty("symbol").GetString() == "ACME"));
        Assert.Equal(2, list.EnumerateArray().Single(t => t.GetProperty("symbol").GetString() == "ACME").GetProperty("ticksApplied").GetInt64());
        var bars = await Json(await _http.GetAsync("/api/tickers/ACME/bars?interval=1m"));
        Assert.Equal(10.8, bars.EnumerateArray().Last().GetProperty("close").GetDouble());
    }

    [Fact]
    public async Task A_batch_with_no_good_item_is_a_400_that_names_the_fields()
    {
        var response = await _http.SendAsync(Post("/api/ingest/ticks", """[{"symbol":"ACME","time":"2024-05-01T14:30:00Z","size":1},{"symbol":"1BAD","time":"2024-05-01T14:30:00Z","price":1,"size":1}]"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await Json(response);
        var errors = json.GetProperty("errors");
        Assert.True(errors.TryGetProperty("[0].price", out _), json.ToString());
        Assert.True(errors.TryGetProperty("[1].symbol", out _), json.ToString());
        Assert.Equal(0, json.GetProperty("accepted").GetInt32());
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""{"symbol":"ACME"}""", "expected a JSON array")]
    [InlineData("[]", "empty")]
    public async Task A_malformed_body_is_a_400_problem(string body, string detail)
    {
        var response = await _http.SendAsync(Post("/api/ingest/ticks", body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await Json(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Posts_are_scored_and_served_newest_first()
    {
        const string body = """
            [
              {"source":"newswire","id":"n1","time":"2024-05-01T12:00:00Z","text":"$ZETA beats estimates, strong growth"},
              {"source":"newswire","id":"n2","time":"2024-05-01T13:00:00Z","text":"ZETA recalls product after awful failures","symbols":["zeta"]},
              {"source":"newswire","id":"n3","time":"2024-05-01T13:30:00Z","text":"no ticker in this one"}
            ]
            """;
        var json = await Json(await _http.SendAsync(Post("/api/ingest/posts", body)));
        Assert.Equal(2, json.GetProperty("accepted").GetInt32());
        Assert.StartsWith("symbols:", json.GetProperty("rejected")[0].GetProperty("reason").GetString());

        // A ticker appears in the directory once market data arrives for it.
        await _http.SendAsync(Post("/api/ingest/ticks", """[{"symbol":"ZETA","time":"2024-05-01T14:30:00Z","price":5,"size":1}]"""));
        var posts = await EventuallyGet("/api/tickers/ZETA/posts?limit=5", j => j.GetArrayLength() == 2);
        Assert.Equal("n2", posts[0].GetProperty("id").GetString());
        Assert.True(posts[0].GetProperty("polarity").GetDouble() < 0);
        Assert.True(posts[1].GetProperty("polarity").GetDouble() > 0);
    }

    [Theory]
    [InlineData("/api/tickers/NOPE", HttpStatusCode.NotFound, "NOPE")]
    [InlineData("/api/tickers/bad%20symbol", HttpStatusCode.BadRequest, "symbol")]
    [InlineData("/api/tickers/NOPE/bars?interval=5m", HttpStatusCode.BadRequest, "interval")]
    [InlineData("/api/tickers/NOPE/posts?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/tickers/NOPE/predictions?from=yesterday", HttpStatusCode.BadRequest, "from")]
    [InlineData("/api/nothing-here", HttpStatusCode.NotFound, "No such")]
    public async Task Bad_reads_are_problem_details(string path, HttpStatusCode status, string mentioned)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentioned, (await Json(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_openapi_and_models_are_served()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health/ready")).StatusCode);
        var openapi = await Json(await _http.GetAsync("/openapi/v1.json"));
        var paths = openapi.GetProperty("paths");
        foreach (var p in new[] { "/api/tickers", "/api/tickers/{symbol}", "/api/tickers/{symbol}/bars", "/api/tickers/{symbol}/predictions", "/api/tickers/{symbol}/posts", "/api/models", "/api/ingest/ticks", "/api/ingest/posts" })
            Assert.True(paths.TryGetProperty(p, out _), $"OpenAPI lacks {p}");
        var models = await _http.GetFromJsonAsync<JsonElement>("/api/models");
        var catalog = models.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal("model", catalog["price"].GetProperty("kind").GetString());
        Assert.StartsWith("price-", catalog["price"].GetProperty("version").GetString());
        // What actually produces the signals: the transformer for sentiment, the stacking model for the ensemble.
        Assert.Equal("model", catalog["sentiment"].GetProperty("kind").GetString());
        Assert.StartsWith("minilm-", catalog["sentiment"].GetProperty("version").GetString());
        // The shipped json sets a temperature: the description says the probabilities are calibrated, and by which T.
        Assert.Contains("temperature-calibrated (T = ", catalog["sentiment"].GetProperty("description").GetString());
        Assert.Equal("stacking-v1", catalog["ensemble"].GetProperty("version").GetString());
        Assert.Equal("hedge-v1", catalog["ensemble_hedge"].GetProperty("version").GetString());
        // The shipped out-of-sample report (models/price-walkforward.json), under the live signals' names.
        var report = models.GetProperty("outOfSample");
        Assert.Equal("2014-09-01", report.GetProperty("from").GetString());
        Assert.Equal(273, report.GetProperty("days").GetInt32());
        var measured = report.GetProperty("signals").EnumerateArray().ToDictionary(m => m.GetProperty("signal").GetString()!);
        Assert.Equal(["ensemble", "price", "sentiment", "persistence", "ensemble_hedge", "always_rise"], measured.Keys);
        var mcc = measured["price"].GetProperty("mccCi95").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.InRange(measured["price"].GetProperty("mcc").GetDouble(), mcc[0], mcc[1]);
        Assert.Contains("Walk-forward", report.GetProperty("method").GetString());
    }
}

[Collection(MetricsCollection.Name)]
public class MetricsTests(QuietServerFixture server) : IClassFixture<QuietServerFixture>
{
    [Fact]
    public async Task Ingest_and_rejections_show_up_in_the_prometheus_exposition()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/ticks")
        {
            Content = new StringContent("""[{"symbol":"MTRC","time":"2024-05-01T14:30:00Z","price":3,"size":1},{"symbol":"MTRC","time":"2024-05-01T14:30:01Z","price":0,"size":1}]""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(request)).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        string text = "";
        while (DateTime.UtcNow < deadline)
        {
            text = await server.Http.GetStringAsync("/metrics");
            if (text.Contains("marketpulse_pipeline_latency_milliseconds_count")) break;
            await Task.Delay(200);
        }
        Assert.Matches(@"marketpulse_ticks_ingested_total\{[^}]*source=""api""[^}]*\} [1-9]", text);
        Assert.Matches(@"marketpulse_ticks_rejected_total\{[^}]*reason=""price""[^}]*\} [1-9]", text);
        Assert.Contains("marketpulse_pipeline_latency_milliseconds_bucket", text);
        Assert.Contains("http_server_request_duration_seconds", text);
    }
}

public class QuickStartTests(ReplayServerFixture server) : IClassFixture<ReplayServerFixture>
{
    [Fact]
    public async Task The_bundled_sample_fills_every_ticker_with_prices_indicators_sentiment_and_predictions_within_30_seconds()
    {
        string[] expected = ["AAPL", "AMZN", "GE", "GOOG", "JNJ", "JPM", "MSFT", "XOM"];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement list = default;
        while (DateTime.UtcNow < deadline)
        {
            list = await server.Http.GetFromJsonAsync<JsonElement>("/api/tickers");
            var ready = list.EnumerateArray().Count(t => t.GetProperty("lastPrice").ValueKind == JsonValueKind.Number
                                                          && t.GetProperty("ensembleDirection").ValueKind == JsonValueKind.String);
            if (ready == expected.Length) break;
            await Task.Delay(250);
        }
        Assert.Equal(expected, list.EnumerateArray().Select(t => t.GetProperty("symbol").GetString()));
        Assert.All(list.EnumerateArray(), t => Assert.Equal(JsonValueKind.String, t.GetProperty("ensembleDirection").ValueKind));

        var aapl = await server.Http.GetFromJsonAsync<JsonElement>("/api/tickers/AAPL");
        var indicators = aapl.GetProperty("ticker").GetProperty("indicators");
        Assert.Equal(JsonValueKind.Number, indicators.GetProperty("rsi14").ValueKind);
        Assert.Equal(JsonValueKind.Number, indicators.GetProperty("ema26").ValueKind);
        Assert.True(aapl.GetProperty("sentiment").GetProperty("postsScored").GetInt64() > 0);
        Assert.Equal("price", aapl.GetProperty("ensemble").GetProperty("latestBySignal")[0].GetProperty("prediction").GetProperty("signal").GetString());
        var scored = aapl.GetProperty("ensemble").GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("signal").GetString() == "ensemble");
        Assert.True(scored.GetProperty("scored").GetInt64() > 0, "predictions are being scored against realised moves");
    }

    [Fact]
    public async Task Between_closes_the_quick_start_shows_the_open_call_for_the_next_trading_day()
    {
        // The replay runs 12 h of market time per second; its clock reaches the tickers at 00:00 UTC, the prediction time,
        // so the call for the next day is open (issued, not yet scored) for most of each replayed night and day.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var open = 0;
        var polls = 0;
        while (DateTime.UtcNow < deadline && open < 3)
        {
            using var response = await server.Http.GetAsync("/api/tickers/AAPL");
            if (response.StatusCode == HttpStatusCode.NotFound) { await Task.Delay(100); continue; } // replay not there yet
            var aapl = await response.Content.ReadFromJsonAsync<JsonElement>();
            polls++;
            if (aapl.GetProperty("ensemble").TryGetProperty("latest", out var latest) && latest.ValueKind == JsonValueKind.Object
                && latest.GetProperty("outcome").ValueKind == JsonValueKind.Null)
            {
                var prediction = latest.GetProperty("prediction");
                var basis = DateOnly.Parse(prediction.GetProperty("basisDay").GetString()!);
                var madeAt = prediction.GetProperty("madeAt").GetDateTime().ToUniversalTime();
                Assert.Equal(TimeSpan.Zero, madeAt.TimeOfDay); // issued at the prediction time, 00:00 UTC of the target day
                Assert.True(DateOnly.FromDateTime(madeAt) > basis);
                open++;
            }
            await Task.Delay(100);
        }
        Assert.True(open >= 3, $"an open next-day call was seen in {open} of {polls} polls");
    }
}
