using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MarketPulse.Server.Tests;

/// <summary>
/// The default service (Local profile) keeps its state in the embedded store under its data path: the real service
/// process is stopped — politely (SIGTERM) or not at all (SIGKILL) — and started again on the same path, and what a user
/// had is still there: alert rules, applied ticks, the ensemble's scorecards and the prediction history.
/// </summary>
public class LocalPersistenceTests
{
    private const string Symbol = "DURL";
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "MarketPulse.Server.dll");

    // Six trading days (Wed 1 May to Wed 8 May 2024): a tick before, during and after each regular session, so each day
    // closes by the feed's clock and the next day's first tick brings its 00:00 UTC prediction time.
    private static readonly DateOnly[] Days = [new(2024, 5, 1), new(2024, 5, 2), new(2024, 5, 3), new(2024, 5, 6), new(2024, 5, 7), new(2024, 5, 8)];
    private static readonly TimeOnly[] Times = [new(13, 35), new(15, 0), new(17, 0), new(19, 59), new(20, 30)];

    private static string Ticks()
    {
        var ticks = new List<string>();
        var price = 50.0;
        for (var d = 0; d < Days.Length; d++)
        {
            foreach (var t in Times)
            {
                price += d % 2 == 0 ? 0.4 : -0.25;
                ticks.Add(Ingest.Tick(Symbol, Days[d].ToDateTime(t, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), Math.Round(price, 2), 100));
            }
        }
        return "[" + string.Join(",", ticks) + "]";
    }

    private static int TickCount => Days.Length * Times.Length;

    private sealed class Service : IAsyncDisposable
    {
        private readonly ExternalProcess _process;

        public HttpClient Http { get; }

        public Service(string dataPath, string name)
        {
            var port = ServerFixture.FreePort();
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            Http.DefaultRequestHeaders.Add("X-Api-Key", ServerFixture.ApiKey);
            _process = new ExternalProcess(name, "dotnet",
            [
                ServerDll, "--urls", Http.BaseAddress.ToString(),
                $"--MarketPulse:Orleans:SiloPort={ServerFixture.FreePort()}", $"--MarketPulse:Orleans:GatewayPort={ServerFixture.FreePort()}",
                $"--MarketPulse:Api:Keys:0={ServerFixture.ApiKey}", "--MarketPulse:Replay:Enabled=false",
                $"--MarketPulse:Local:DataPath={dataPath}",
                "--Logging:LogLevel:Default=Warning",
            ], AppContext.BaseDirectory);
        }

        public ExternalProcess Process => _process;

        public async Task WaitReadyAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                try
                {
                    if ((await Http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }
                if (_process.HasExited || DateTime.UtcNow > deadline) throw new TimeoutException($"{_process.Name} not ready:\n{_process.Tail}");
                await Task.Delay(200);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _process.DisposeAsync();
        }
    }

    /// <summary>What the user sees of the symbol: its applied ticks, the ensemble's scorecards, the prediction history, its alert rules.</summary>
    private sealed record Seen(long TicksApplied, string Scorecards, string Predictions, string Alerts, long ScoredEnsemble, int PredictionCount);

    private static async Task<Seen> LookAsync(HttpClient http)
    {
        var ticker = await http.GetFromJsonAsync<JsonElement>($"/api/tickers/{Symbol}");
        var signals = ticker.GetProperty("ensemble").GetProperty("signals");
        var predictions = await http.GetFromJsonAsync<JsonElement>($"/api/tickers/{Symbol}/predictions");
        var alerts = await http.GetFromJsonAsync<JsonElement>($"/api/alerts?symbol={Symbol}");
        var scored = signals.EnumerateArray().Where(s => s.GetProperty("signal").GetString() == "ensemble").Select(s => s.GetProperty("scored").GetInt64()).SingleOrDefault();
        return new Seen(ticker.GetProperty("ticker").GetProperty("ticksApplied").GetInt64(), signals.GetRawText(), predictions.GetRawText(),
            alerts.GetRawText(), scored, predictions.GetArrayLength());
    }

    private static string Scorecards(string signals) => string.Join("\n", JsonDocument.Parse(signals).RootElement.EnumerateArray().Select(s =>
        string.Join(" ", s.EnumerateObject().Where(p => p.Name is not ("weight" or "coefficient")).Select(p => $"{p.Name}={p.Value.GetRawText()}"))));

    /// <summary>Creates a rule, ingests the six days and waits until they are applied and the ensemble has scored calls.</summary>
    private static async Task<Seen> UseAsync(HttpClient http)
    {
        var create = new HttpRequestMessage(HttpMethod.Post, "/api/alerts")
        {
            Content = new StringContent($$"""{"symbol":"{{Symbol}}","kind":"price-above","threshold":1000}""", Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(create)).StatusCode);
        await Ingest.TicksAsync(http, Ticks());

        var deadline = DateTime.UtcNow.AddSeconds(60);
        Seen? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            if ((await http.GetAsync($"/api/tickers/{Symbol}")).IsSuccessStatusCode)
            {
                seen = await LookAsync(http);
                if (seen.TicksApplied == TickCount && seen.ScoredEnsemble >= 3) break;
            }
            await Task.Delay(200);
        }
        Assert.NotNull(seen);
        Assert.Equal(TickCount, seen.TicksApplied);
        Assert.True(seen.ScoredEnsemble >= 3, $"the ensemble scored {seen.ScoredEnsemble} calls over six days");
        Assert.True(seen.PredictionCount >= 3, $"{seen.PredictionCount} predictions recorded");
        Assert.Contains("price-above", seen.Alerts);
        return seen;
    }

    [Fact]
    public async Task After_a_SIGTERM_restart_on_the_same_data_path_rules_ticks_scorecards_and_predictions_are_all_there()
    {
        var data = Directory.CreateTempSubdirectory("marketpulse-local-").FullName;
        try
        {
            Seen before;
            await using (var first = new Service(data, "first"))
            {
                await first.WaitReadyAsync();
                before = await UseAsync(first.Http);
                Assert.Equal(0, await first.Process.TerminateAsync(TimeSpan.FromSeconds(60)));
            }
            Assert.True(Directory.Exists(Path.Combine(data, "AOF")), "the store's append-only file is under the data path");

            await using var second = new Service(data, "second");
            await second.WaitReadyAsync();
            var after = await LookAsync(second.Http);
            Assert.Equal(before, after);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task After_a_SIGKILL_nothing_written_before_the_last_flush_is_lost()
    {
        var data = Directory.CreateTempSubdirectory("marketpulse-local-").FullName;
        try
        {
            Seen before;
            await using (var first = new Service(data, "first"))
            {
                await first.WaitReadyAsync();
                await UseAsync(first.Http);
                // The prediction history is flushed every 5 s (DeferredState<T>.Interval); past that, everything
                // the user has seen is in the store's log. Then more ticks of the open day: applied ⇒ written (write-through).
                await Task.Delay(TimeSpan.FromSeconds(6));
                await Ingest.TicksAsync(first.Http, "[" + Ingest.Tick(Symbol, "2024-05-09T14:00:00Z", 52) + "," + Ingest.Tick(Symbol, "2024-05-09T14:01:00Z", 52.5) + "]");
                var watch = Stopwatch.StartNew();
                do
                {
                    before = await LookAsync(first.Http);
                } while (before.TicksApplied < TickCount + 2 && watch.Elapsed < TimeSpan.FromSeconds(30));
                Assert.Equal(TickCount + 2, before.TicksApplied);
                // The store answers a write before its log record is on disk and commits it right behind (WaitForCommit
                // off, the default): the documented bound is the last moment's writes, so the kill comes a second later.
                await Task.Delay(TimeSpan.FromSeconds(1));
                first.Process.Kill(); // at once: no shutdown, no checkpoint, no flush on deactivation
                await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            await using var second = new Service(data, "second");
            await second.WaitReadyAsync();
            var after = await LookAsync(second.Http);
            Assert.Equal(before.TicksApplied, after.TicksApplied);
            Assert.Equal(before.Alerts, after.Alerts);
            // Scorecards (scored, hits, Brier, reliability) as they were. The weights shown beside them are the market-wide
            // pool's current ones after a restart (until the next close), and the pool writes on each refit, not on each
            // outcome: compared without them.
            Assert.Equal(Scorecards(before.Scorecards), Scorecards(after.Scorecards));
            // The new day's first tick issued that day's calls (its 00:00 UTC prediction time has passed) within the last
            // 5 s: the history may lack those. Every record older than the last flush is there, unchanged.
            static List<string> Records(string json, bool flushedOnly) => JsonDocument.Parse(json).RootElement.EnumerateArray()
                .Where(p => !flushedOnly || p.GetProperty("targetDay").GetString() != "2024-05-09").Select(p => p.GetRawText()).ToList();
            var flushed = Records(before.Predictions, flushedOnly: true);
            var recovered = Records(after.Predictions, flushedOnly: false);
            Assert.NotEmpty(flushed);
            Assert.All(flushed, p => Assert.Contains(p, recovered));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
