using MarketPulse.Abstractions.Market;
using MarketPulse.Ingestion.Lean;

namespace MarketPulse.Ingestion.Tests.Lean;

public sealed class LeanDailyBarReaderTests
{
    [SharedDataFact("lean")]
    public void Reads_raw_AAPL_daily_bars_with_first_and_last_rows_worked_out_by_hand()
    {
        var log = new RejectionLog();
        using var reader = LeanDailyBarReader.Open(LeanPaths.Usa("daily", "aapl.zip"), log.Add);
        var bars = reader.ReadAll().ToList();

        Assert.Empty(log.Items);
        Assert.Equal(5849, bars.Count);
        // 19980102 00:00,136300,162500,135000,162500,6315000
        Assert.Equal(new DailyBar("AAPL", new DateOnly(1998, 1, 2), 13.63m, 16.25m, 13.50m, 16.25m, 6315000m, "lean"), bars[0]);
        // 20210331 00:00,1216500,1235400,1211500,1221500,109019052
        Assert.Equal(new DailyBar("AAPL", new DateOnly(2021, 3, 31), 121.65m, 123.54m, 121.15m, 122.15m, 109019052m, "lean"), bars[^1]);
        Assert.All(bars.Zip(bars.Skip(1)), p => Assert.True(p.First.Date < p.Second.Date));
    }

    [SharedDataFact("lean")]
    public void Factor_file_adjusts_across_the_2014_seven_for_one_split()
    {
        var log = new RejectionLog();
        var factors = LeanFactorFile.Load(LeanPaths.Usa("factor_files", "aapl.csv"), log.Add);
        Assert.Equal(41, factors.Count);
        using var reader = LeanDailyBarReader.Open(LeanPaths.Usa("daily", "aapl.zip"), log.Add, factors);
        var bars = reader.ReadAll().ToDictionary(b => b.Date);
        Assert.Empty(log.Items);

        // 2014-06-05 raw close 647.35 takes the 20140606 row (0.9011818, 0.0357143): 647.35 × 0.9011818 × 0.0357143.
        var before = bars[new DateOnly(2014, 6, 5)];
        Assert.Equal(20.8350096993576890m, before.Close);
        Assert.Equal(292467779.0128883948m, Math.Round(before.Volume, 10));
        // 2014-06-09 (first post-split day) raw close 93.70 takes the 20140806 row (0.9011818, 0.25).
        Assert.Equal(21.11018366500m, bars[new DateOnly(2014, 6, 9)].Close);
        // After the last dated row (20210204) only the 20501231 sentinel (1, 1) applies: prices stay raw.
        Assert.Equal(122.15m, bars[new DateOnly(2021, 3, 31)].Close);
        Assert.Equal("lean-adjusted", before.Source);
    }

    [Fact]
    public void Bad_daily_and_factor_rows_are_reported()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var factorPath = Path.Combine(dir, "xyz.csv");
            File.WriteAllText(factorPath, "20100101,0.5,1,10\n20100101,0.6,1,10\nnot-a-date,1,1,0\n20501231,1,1,0\n");
            var log = new RejectionLog();
            var factors = LeanFactorFile.Load(factorPath, log.Add);
            Assert.Equal(2, factors.Count);
            Assert.Equal([2L, 3], log.Items.Select(r => r.Line));

            var zipPath = Path.Combine(dir, "xyz.zip");
            LeanMinuteTradeBarReaderTests.WriteZip(zipPath, "xyz.csv",
                "20091231 00:00,100000,110000,90000,105000,100\n" +
                "20091331 00:00,100000,110000,90000,105000,100\n" +
                "20100104 00:00,100000,110000,90000\n" +
                "20100105 00:00,100000,110000,90000,105000,100\n");
            log.Items.Clear();
            using var reader = LeanDailyBarReader.Open(zipPath, log.Add, factors);
            var bars = reader.ReadAll().ToList();
            Assert.Equal([5.25m, 10.5m], bars.Select(b => b.Close));
            Assert.Equal(
                [(2L, "expected a 'YYYYMMDD HH:MM' date"), (3L, "expected 5 integer fields after the date: open,high,low,close,volume")],
                log.Items.Select(r => (r.Line, r.Reason)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
