using System.Text;
using MarketPulse.Ingestion.Lean;

namespace MarketPulse.Ingestion.Tests.Lean;

public sealed class LeanTickTradeReaderTests
{
    [SharedDataFact("lean")]
    public void Reads_the_SPY_2013_10_07_ticks_with_first_and_last_rows_worked_out_by_hand()
    {
        var log = new RejectionLog();
        using var reader = LeanTickTradeReader.Open(LeanPaths.Usa("tick", "spy", "20131007_trade.zip"), log.Add);
        LeanTradeTick first = default, last = default;
        var count = 0;
        while (reader.TryRead(out var tick))
        {
            if (count == 0) first = tick;
            else Assert.True(tick.TimeUtc >= last.TimeUtc, $"tick {count} goes back in time");
            last = tick;
            count++;
        }

        Assert.Empty(log.Items);
        Assert.Equal(250_601, count);
        // 14400464,1674100,100,P,20002000,0 — 04:00:00.464 EDT → 08:00:00.464 UTC, 167.4100 dollars.
        Assert.Equal(new LeanTradeTick(new DateTime(2013, 10, 7, 8, 0, 0, 464, DateTimeKind.Utc), 167.41m, 100, 'P', 0x20002000, false), first);
        // 71999536,1673000,100,K,2000,0 — 19:59:59.536 EDT → 23:59:59.536 UTC.
        Assert.Equal(new LeanTradeTick(new DateTime(2013, 10, 7, 23, 59, 59, 536, DateTimeKind.Utc), 167.30m, 100, 'K', 0x2000, false), last);
        Assert.Equal(4, first.Price.Scale);
        Assert.True(reader.BytesRead > 7_000_000);
    }

    [SharedDataFact("lean")]
    public void Keeps_LEANs_suspicious_flag()
    {
        var log = new RejectionLog();
        using var reader = LeanTickTradeReader.Open(LeanPaths.Usa("tick", "spy", "20131010_trade.zip"), log.Add);
        var ticks = reader.ReadAll().ToList();
        Assert.Empty(log.Items);
        Assert.Equal(460_032, ticks.Count);
        Assert.Equal(10, ticks.Count(t => t.Suspicious));
    }

    [Fact]
    public void Converts_to_the_wire_tick()
    {
        var tick = new LeanTradeTick(new DateTime(2013, 10, 7, 8, 0, 0, 464, DateTimeKind.Utc), 167.41m, 100, 'P', 0x20002000, false);
        var wire = tick.ToMarketTick("SPY", 7);
        Assert.Equal(("SPY", tick.TimeUtc, 167.41m, 100m, "lean", (long?)7), (wire.Symbol, wire.Time, wire.Price, wire.Size, wire.Source, wire.Sequence));
    }

    [Fact]
    public void Fractional_milliseconds_and_bad_fields_are_handled_row_by_row()
    {
        var csv =
            "14400009.367,137450,100,D,1,0\n" +   // 1 good: fractional ms
            "14400010,137450,100,DD,1,0\n" +      // 2 exchange is two letters
            "14400011,137450,100,D,XYZ,0\n" +     // 3 not hex
            "14400012,137450,100,D,1,2\n" +       // 4 suspicious flag not 0/1
            "14400013,0,100,D,1,0\n" +            // 5 zero price
            "14400014,137450,100,D,1,0,9\n" +     // 6 extra field
            "1440001x,137450,100,D,1,0\n" +       // 7 bad time
            "14400015,137450,100,D,1A,1\n";       // 8 good, suspicious
        var log = new RejectionLog();
        using var reader = new LeanTickTradeReader(Stream(csv), "bac.csv", new DateOnly(2013, 10, 8), log.Add);
        var ticks = reader.ReadAll().ToList();

        Assert.Equal(2, ticks.Count);
        Assert.Equal(new DateTime(2013, 10, 8, 8, 0, 0, 9, DateTimeKind.Utc).AddTicks(3670), ticks[0].TimeUtc);
        Assert.Equal(13.745m, ticks[0].Price);
        Assert.Equal((0x1Au, true), (ticks[1].SaleCondition, ticks[1].Suspicious));
        Assert.Equal([2L, 3, 4, 5, 6, 7], log.Items.Select(r => r.Line));
        Assert.All(log.Items, r => Assert.Equal("bac.csv", r.File));
        Assert.Equal("expected a one-letter exchange code", log.Items[0].Reason);
    }

    [Fact]
    public void On_the_spring_forward_day_the_missing_hour_is_rejected_and_the_offset_changes()
    {
        var csv =
            "5400000,100000,1,P,0,0\n" +   // 01:30 EST → 06:30 UTC
            "9000000,100000,1,P,0,0\n" +   // 02:30 does not exist on 2014-03-09
            "12600000,100000,1,P,0,0\n";   // 03:30 EDT → 07:30 UTC
        var log = new RejectionLog();
        using var reader = new LeanTickTradeReader(Stream(csv), "dst.csv", new DateOnly(2014, 3, 9), log.Add);
        var ticks = reader.ReadAll().ToList();
        Assert.Equal([new DateTime(2014, 3, 9, 6, 30, 0, DateTimeKind.Utc), new DateTime(2014, 3, 9, 7, 30, 0, DateTimeKind.Utc)],
            ticks.Select(t => t.TimeUtc));
        Assert.Equal(new LeanRowRejection("dst.csv", 2, "local time does not exist (DST switch)"), Assert.Single(log.Items));
    }

    private static MemoryStream Stream(string csv) => new(Encoding.ASCII.GetBytes(csv));
}
