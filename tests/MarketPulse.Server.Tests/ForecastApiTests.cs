using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MarketPulse.Server.Tests;

/// <summary>The quick start's replay issues, scores and serves the volatility, expected-move and volume forecasts.</summary>
public class ForecastApiTests(ReplayServerFixture server) : IClassFixture<ReplayServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private async Task<JsonElement> EventuallyAsync(string path, Func<JsonElement, bool> done, int seconds = 40)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var json = default(JsonElement);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _http.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                json = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (done(json)) return json;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{path}: {json}");
    }

    [Fact]
    public async Task Every_ticker_gets_next_day_forecasts_scored_against_what_the_day_did()
    {
        var list = await EventuallyAsync("/api/tickers", l => l.GetArrayLength() == 8
            && l.EnumerateArray().All(t => t.TryGetProperty("expectedMove80", out var m) && m.ValueKind == JsonValueKind.Number));
        Assert.All(list.EnumerateArray(), t =>
        {
            Assert.InRange(t.GetProperty("expectedMove80").GetDouble(), 0.002, 0.2);
            Assert.InRange(t.GetProperty("forecastVolatility").GetDouble(), 0.001, 0.2);
        });

        var aapl = await EventuallyAsync("/api/tickers/AAPL", a => a.GetProperty("forecasts").GetProperty("lastScored").ValueKind == JsonValueKind.Object);
        var forecasts = aapl.GetProperty("forecasts");
        var scored = forecasts.GetProperty("lastScored");
        var f = scored.GetProperty("forecast");
        Assert.True(f.GetProperty("band95Low").GetDouble() < f.GetProperty("band80Low").GetDouble());
        Assert.True(f.GetProperty("band80High").GetDouble() < f.GetProperty("band95High").GetDouble());
        Assert.Equal(Math.Sqrt(f.GetProperty("variance").GetDouble()), f.GetProperty("volatility").GetDouble(), 12);
        Assert.Equal(TimeSpan.Zero, f.GetProperty("issuedAtUtc").GetDateTime().ToUniversalTime().TimeOfDay);
        Assert.True(DateOnly.Parse(f.GetProperty("targetDay").GetString()!) > DateOnly.Parse(f.GetProperty("basisDay").GetString()!));
        var outcome = scored.GetProperty("outcome");
        Assert.True(outcome.GetProperty("realizedVariance").GetDouble() >= 0);
        var r = outcome.GetProperty("realizedReturn").GetDouble();
        Assert.Equal(r >= f.GetProperty("band80Low").GetDouble() && r <= f.GetProperty("band80High").GetDouble(), outcome.GetProperty("inBand80").GetBoolean());
        Assert.True(forecasts.GetProperty("scorecard").GetProperty("scored").GetInt64() >= 1);
        // The next-30-minutes forecast rides along; the quick start replays daily bars only, so it has no minutes to issue from.
        var intraday = forecasts.GetProperty("intraday");
        Assert.Equal(JsonValueKind.Null, intraday.GetProperty("next").ValueKind);
        Assert.Equal(0, intraday.GetProperty("scored").GetInt64());

        var history = await _http.GetFromJsonAsync<JsonElement>("/api/tickers/AAPL/forecasts?from=2015-01-01");
        var days = history.EnumerateArray().Select(h => DateOnly.Parse(h.GetProperty("forecast").GetProperty("targetDay").GetString()!)).ToList();
        Assert.NotEmpty(days);
        Assert.Equal(days.Order(), days);

        var models = await EventuallyAsync("/api/models", m => m.GetProperty("forecasts").GetProperty("live").GetProperty("scored").GetInt64() >= 8);
        var report = models.GetProperty("forecasts");
        Assert.StartsWith("forecast-", report.GetProperty("version").GetString());
        Assert.InRange(report.GetProperty("live").GetProperty("band95Coverage").GetDouble(), 0, 1);
        var catalog = models.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("volatility", catalog);
        Assert.Contains("volume", catalog);
    }

    [Theory]
    [InlineData("/api/tickers/AAPL/forecasts?from=yesterday", "from")]
    [InlineData("/api/tickers/AAPL/forecasts?to=13/45/2015", "to")]
    [InlineData("/api/tickers/bad%20symbol/forecasts", "symbol")]
    public async Task Bad_forecast_reads_are_400_problem_details_naming_the_field(string path, string field)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_expected_move_rule_fires_when_the_forecast_move_crosses_its_threshold()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts")
        {
            Content = new StringContent("""{"symbol":"MSFT","kind":"expected-move-above","threshold":0.5}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        var created = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        // Any stock's 80 % next-day move is more than ±0.5 %: the first forecast the rule sees fires it.
        var deadline = DateTime.UtcNow.AddSeconds(40);
        JsonElement rule = default;
        while (DateTime.UtcNow < deadline)
        {
            var get = new HttpRequestMessage(HttpMethod.Get, $"/api/alerts/{id}");
            get.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
            using var response = await _http.SendAsync(get);
            rule = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.IsSuccessStatusCode && rule.GetProperty("timesFired").GetInt64() > 0) break;
            await Task.Delay(200);
        }
        Assert.True(rule.GetProperty("timesFired").GetInt64() > 0, rule.ToString());
        Assert.True(rule.GetProperty("lastValue").GetDouble() > 0.5);
    }
    private async Task<string> CreateRuleAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        using var created = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> RuleAsync(string id)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, $"/api/alerts/{id}");
        get.Headers.Add("X-Api-Key", ServerFixture.ApiKey);
        using var response = await _http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_volume_spike_rule_fires_on_the_forecast_volume_ratio_and_one_above_any_plausible_ratio_does_not()
    {
        var low = await CreateRuleAsync("""{"symbol":"AAPL","kind":"volume-spike","threshold":0.05}""");
        var high = await CreateRuleAsync("""{"symbol":"AAPL","kind":"volume-spike","threshold":1000}""");

        // A volume forecast is a multiple of the 22-day mean volume near 1: above 0.05×, never above 1000×.
        var fired = await Eventually.Value(() => RuleAsync(low), r => r.GetProperty("timesFired").GetInt64() > 0,
            "the 0.05× volume-spike rule to fire", TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(200));
        Assert.InRange(fired.GetProperty("lastValue").GetDouble(), 0.05, 20);

        // The high rule saw the same forecasts (same symbol, same watch grain) and stayed quiet.
        var quiet = await RuleAsync(high);
        Assert.Equal(0, quiet.GetProperty("timesFired").GetInt64());
    }
}
