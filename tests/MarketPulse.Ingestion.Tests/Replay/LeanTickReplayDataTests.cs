using MarketPulse.Ingestion.Replay;
using MarketPulse.Ingestion.Validation;
using Xunit.Abstractions;

namespace MarketPulse.Ingestion.Tests.Replay;

/// <summary>
/// The LEAN SPY tick days as a replay reads them: one merged, time-ordered stream, and what the readers and the
/// validator (default settings, as the service runs) reject from the real files, and why.
/// </summary>
public class LeanTickReplayDataTests(ITestOutputHelper output)
{
    private static string LeanRoot => SharedData.Path("lean");

    [SharedDataFact("lean", "stocknet", "vader")]
    public void The_layout_is_recognised_from_the_LEAN_root_or_its_Data_folder()
    {
        Assert.Equal(ReplayTimeline.Format.LeanTicks, ReplayTimeline.Detect(LeanRoot, out _));
        Assert.Equal(ReplayTimeline.Format.LeanTicks, ReplayTimeline.Detect(Path.Combine(LeanRoot, "Data"), out _));
        Assert.Equal(ReplayTimeline.Format.StockNet, ReplayTimeline.Detect(SharedData.Path("stocknet"), out _));
        Assert.Null(ReplayTimeline.Detect(SharedData.Path("vader"), out var why));
        Assert.Contains("neither", why);
    }

    [SharedDataFact("lean")]
    public void Five_SPY_tick_days_stream_in_time_order_and_every_rejection_has_a_reason()
    {
        var rows = new Dictionary<string, long>();
        var validation = new Dictionary<string, long>();
        var validator = new MarketValidator();
        long accepted = 0, events = 0;
        var days = new SortedDictionary<DateOnly, long>();
        DateTime? last = null;
        var blockSpikes = 0;
        var historyBars = 0;
        foreach (var e in ReplayTimeline.Open(LeanRoot, ["SPY"], r => rows[r.Reason] = rows.GetValueOrDefault(r.Reason) + 1))
        {
            events++;
            Assert.True(last is null || e.Time >= last, "the timeline is in time order");
            last = e.Time;
            if (e.Bar is { } bar)
            {
                Assert.True(bar.Date < new DateOnly(2013, 10, 7), "warm-up history comes before the first tick day");
                historyBars++;
                continue;
            }
            var tick = Assert.IsType<Abstractions.Market.MarketTick>(e.Tick);
            var reason = validator.Check(tick, out _);
            if (reason is null)
            {
                accepted++;
                var day = DateOnly.FromDateTime(e.Time.AddHours(-4));
                days[day] = days.GetValueOrDefault(day) + 1;
            }
            else
            {
                validation[reason] = validation.GetValueOrDefault(reason) + 1;
                if (reason == RejectReasons.Spike && tick.Size >= 100_000) blockSpikes++;
            }
        }
        output.WriteLine($"events {events}, accepted {accepted}");
        foreach (var (k, v) in rows) output.WriteLine($"row skipped: {k} = {v}");
        foreach (var (k, v) in validation) output.WriteLine($"validation: {k} = {v}");
        foreach (var (k, v) in days) output.WriteLine($"{k}: {v} accepted");

        output.WriteLine($"spikes that are block prints of >= 100,000 shares: {blockSpikes}");

        // Pinned on the staged files: the only row-level rejections are the vendor's suspicious marks; the files are in
        // time order (no out-of-order or duplicate rejections); the spike filter catches off-market prints, mostly
        // large blocks reported at a price from earlier in the day (derivatively priced / prior-reference prints).
        Assert.Equal(new Dictionary<string, long> { [LeanTickTimeline.Suspicious] = 10 }, rows);
        Assert.Equal(new Dictionary<string, long> { [RejectReasons.Spike] = 56 }, validation);
        Assert.Equal(1_887_394, accepted);
        Assert.True(blockSpikes > 40, $"{blockSpikes} of 56 spikes are block prints");
        Assert.Equal(5, days.Count);
        Assert.Equal(60, historyBars);
        Assert.All(days.Values, n => Assert.InRange(n, 200_000, 600_000));
    }
}

public sealed class LeanTickTimelineFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mp-lean-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [SharedDataFact("lean")]
    public void An_unreadable_day_file_is_reported_and_the_other_days_still_replay()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "equity", "usa", "tick", "spy")).FullName;
        File.Copy(SharedData.Path("lean", "Data", "equity", "usa", "tick", "spy", "20131011_trade.zip"), Path.Combine(dir, "20131011_trade.zip"));
        File.WriteAllText(Path.Combine(dir, "20131010_trade.zip"), "this is not a zip archive");
        var rejected = new List<ReplayRowRejection>();
        var events = ReplayTimeline.Open(_root, null, rejected.Add).ToList();
        Assert.Equal(ReplayTimeline.Format.LeanTicks, ReplayTimeline.Detect(_root, out _));
        var unreadable = Assert.Single(rejected, r => r.Reason == LeanTickTimeline.UnreadableFile);
        Assert.EndsWith("20131010_trade.zip", unreadable.File);
        Assert.InRange(events.Count, 280_000, 300_000);   // 2013-10-11 read in full (no daily file here: no warm-up bars)
        Assert.All(events, e => Assert.Equal(new DateOnly(2013, 10, 11), DateOnly.FromDateTime(e.Time.AddHours(-4))));
    }
}
