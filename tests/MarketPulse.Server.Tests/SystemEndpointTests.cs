using System.Net.Http.Json;
using System.Text.Json;

namespace MarketPulse.Server.Tests;

/// <summary>GET /api/system: the service's own numbers, as the System page shows them.</summary>
public class SystemEndpointTests(QuietServerFixture server) : IClassFixture<QuietServerFixture>
{
    [Fact]
    public async Task The_summary_shows_what_was_ingested_rejected_and_applied_and_the_silo_with_its_grains()
    {
        string Ticks(int from) => "[" + string.Join(",", Enumerable.Range(from, 5).Select(i =>
            Ingest.Tick("SYSA", DateTime.Parse("2024-05-01T14:30:00Z").ToUniversalTime().AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ"), 20 + i * 0.01))) + "]";
        await Ingest.TicksAsync(server.Http, Ticks(0));
        await Ingest.TicksAsync(server.Http, Ticks(2)); // 14:30:02 and :03 are older than the last accepted tick (:04)

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement s = default;
        while (DateTime.UtcNow < deadline)
        {
            s = await server.Http.GetFromJsonAsync<JsonElement>("/api/system");
            // The rate needs half a second of its window: a fast pipeline applies the ticks sooner than that after the service starts.
            if (s.GetProperty("pipelineLatencyMs").GetProperty("count").GetInt32() >= 2 && s.GetProperty("ingest").GetProperty("ticksTotal").GetInt64() >= 7
                && s.GetProperty("ingest").GetProperty("ticksPerSecond").GetDouble() > 0) break;
            await Task.Delay(200);
        }
        var ingest = s.GetProperty("ingest");
        Assert.True(ingest.GetProperty("ticksTotal").GetInt64() >= 7, ingest.GetRawText());
        Assert.True(ingest.GetProperty("ticksPerSecond").GetDouble() > 0, "ticks in the last seconds give a rate: " + ingest.GetRawText());

        var latency = s.GetProperty("pipelineLatencyMs");
        Assert.True(latency.GetProperty("count").GetInt32() >= 2, latency.GetRawText());
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());

        var rejected = s.GetProperty("rejections").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "tick" && r.GetProperty("reason").GetString() == "out_of_order");
        Assert.Equal(2, rejected.GetProperty("count").GetInt64());

        var silo = Assert.Single(s.GetProperty("silos").EnumerateArray());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        var grains = s.GetProperty("grains");
        Assert.Contains(grains.GetProperty("byType").EnumerateArray(), g => g.GetProperty("type").GetString() == "TickerGrain" && g.GetProperty("activations").GetInt32() >= 1);
        Assert.Equal(grains.GetProperty("byType").EnumerateArray().Sum(g => g.GetProperty("activations").GetInt32()), grains.GetProperty("total").GetInt32());

        var ticks = s.GetProperty("streams").EnumerateArray().Single(n => n.GetProperty("namespace").GetString() == "ticks");
        Assert.True(ticks.GetProperty("delivered").GetInt64() >= 2, ticks.GetRawText());
        // The silo's refine queue (null only in a process without one): nothing waits in it, no text was ingested.
        var refine = s.GetProperty("refineQueue");
        Assert.True(refine.ValueKind == JsonValueKind.Null || refine.GetInt64() == 0, refine.GetRawText());
    }
}
