using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MarketPulse.Server.Tests;

/// <summary>The per-day RSI and MACD series that the dashboard's indicator panes draw are the ticker snapshot's own numbers.</summary>
public class IndicatorSeriesApiTests(ReplayServerFixture server) : IClassFixture<ReplayServerFixture>
{
    private readonly HttpClient _http = server.Http;

    private static double? Num(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Number ? e.GetProperty(name).GetDouble() : null;

    [Fact]
    public async Task The_series_ends_at_the_snapshot_value_of_the_last_closed_day_and_covers_every_closed_bar()
    {
        // The replay keeps closing days: read the snapshot before and after the series and use a read where neither moved,
        // once the series is past the MACD's 34-day warm-up.
        var deadline = DateTime.UtcNow.AddSeconds(40);
        JsonElement before = default, series = default, after = default;
        var consistent = false;
        while (DateTime.UtcNow < deadline && !consistent)
        {
            await Task.Delay(100);
            using var first = await _http.GetAsync("/api/tickers/AAPL");
            if (!first.IsSuccessStatusCode) continue;
            before = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticker");
            if (Num(before.GetProperty("indicators"), "macdHistogram") is null) continue; // still warming up
            series = await _http.GetFromJsonAsync<JsonElement>("/api/tickers/AAPL/indicators");
            after = (await _http.GetFromJsonAsync<JsonElement>("/api/tickers/AAPL")).GetProperty("ticker");
            consistent = series.GetArrayLength() > 40
                         && before.GetProperty("lastClosedDay").GetString() == after.GetProperty("lastClosedDay").GetString()
                         && before.GetProperty("indicators").ToString() == after.GetProperty("indicators").ToString();
        }
        Assert.True(consistent, "no read of AAPL's indicators past 40 closed days between two closes within 40 s");

        var points = series.EnumerateArray().ToList();
        var last = points[^1];
        Assert.Equal(before.GetProperty("lastClosedDay").GetString(), last.GetProperty("tradingDay").GetString());
        var snapshot = before.GetProperty("indicators");
        foreach (var (field, snap) in new[] { ("rsi14", "rsi14"), ("macdLine", "macdLine"), ("macdSignal", "macdSignal"), ("macdHistogram", "macdHistogram") })
            Assert.Equal(Num(snapshot, snap)!.Value, Num(last, field)!.Value, 9);

        // One point per closed daily bar, in order; RSI 14 needs 15 closes, MACD 12/26/9 needs 34.
        var closedDays = (await _http.GetFromJsonAsync<JsonElement>("/api/tickers/AAPL/bars?interval=1d")).EnumerateArray()
            .Select(b => b.GetProperty("tradingDay").GetString()!)
            .Where(d => string.CompareOrdinal(d, last.GetProperty("tradingDay").GetString()) <= 0).ToList();
        Assert.Equal(closedDays, points.Select(p => p.GetProperty("tradingDay").GetString()!));
        Assert.Null(Num(points[13], "rsi14"));
        Assert.NotNull(Num(points[14], "rsi14"));
        Assert.Null(Num(points[32], "macdHistogram"));
        Assert.NotNull(Num(points[33], "macdHistogram"));
        Assert.All(points.Skip(14), p => Assert.InRange(Num(p, "rsi14")!.Value, 0, 100));
        Assert.All(points.Skip(33), p => Assert.Equal(Num(p, "macdLine")!.Value - Num(p, "macdSignal")!.Value, Num(p, "macdHistogram")!.Value, 9));

        // A window is a slice of the same series (the warm-up reads the bars before it), not a restart.
        var from = points[20].GetProperty("tradingDay").GetString()!;
        var to = points[30].GetProperty("tradingDay").GetString()!;
        var window = (await _http.GetFromJsonAsync<JsonElement>($"/api/tickers/AAPL/indicators?from={from}&to={to}")).EnumerateArray().ToList();
        Assert.Equal(10, window.Count);
        Assert.Equal(from, window[0].GetProperty("tradingDay").GetString());
        Assert.Equal(Num(points[20], "rsi14"), Num(window[0], "rsi14"));
    }

    [Theory]
    [InlineData("/api/tickers/AAPL/indicators?from=yesterday", HttpStatusCode.BadRequest, "from")]
    [InlineData("/api/tickers/AAPL/indicators?to=13/45/2015", HttpStatusCode.BadRequest, "to")]
    [InlineData("/api/tickers/bad%20symbol/indicators", HttpStatusCode.BadRequest, "symbol")]
    [InlineData("/api/tickers/NOPE/indicators", HttpStatusCode.NotFound, "NOPE")]
    public async Task Bad_indicator_reads_are_problem_details_naming_the_field(string path, HttpStatusCode status, string mentioned)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentioned, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
