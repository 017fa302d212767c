using System.IO.Compression;
using MarketPulse.Core.Market;
using MarketPulse.Ingestion.Lean;

namespace MarketPulse.Ingestion.Tests.Lean;

public sealed class LeanMinuteTradeBarReaderTests
{
    [SharedDataFact("lean")]
    public void Reads_the_AAPL_2014_06_05_file_with_first_and_last_rows_worked_out_by_hand()
    {
        var log = new RejectionLog();
        using var reader = LeanMinuteTradeBarReader.Open(LeanPaths.Usa("minute", "aapl", "20140605_trade.zip"), log.Add);
        var bars = reader.ReadAll().ToList();

        Assert.Empty(log.Items);
        // 686 rows: LEAN files end without a final newline, so `wc -l` says 685.
        Assert.Equal(686, bars.Count);
        // 15300000,6448000,6448000,6448000,6448000,90 — 15,300,000 ms = 04:15 New York, EDT (UTC−4) in June → 08:15 UTC.
        Assert.Equal(new Bar(new DateTime(2014, 6, 5, 8, 15, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1), new DateOnly(2014, 6, 5),
            644.8, 644.8, 644.8, 644.8, 90, 0), bars[0]);
        // 71940000,6467500,6469900,6467500,6469700,370 — 19:59 EDT → 23:59 UTC.
        Assert.Equal(new Bar(new DateTime(2014, 6, 5, 23, 59, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1), new DateOnly(2014, 6, 5),
            646.75, 646.99, 646.75, 646.97, 370, 0), bars[^1]);
        Assert.Equal(DateTimeKind.Utc, bars[0].Start.Kind);
        Assert.All(bars.Zip(bars.Skip(1)), p => Assert.True(p.First.Start < p.Second.Start));
    }

    [SharedDataFact("lean")]
    public void Converts_winter_files_with_the_standard_time_offset()
    {
        var log = new RejectionLog();
        using var reader = LeanMinuteTradeBarReader.Open(LeanPaths.Usa("minute", "goog", "20151223_trade.zip"), log.Add);
        var bars = reader.ReadAll().ToList();

        Assert.Empty(log.Items);
        Assert.Equal(432, bars.Count);
        // 17940000,7524800,… — 04:59 New York, EST (UTC−5) in December → 09:59 UTC.
        Assert.Equal(new DateTime(2015, 12, 23, 9, 59, 0, DateTimeKind.Utc), bars[0].Start);
        Assert.Equal(752.48, bars[0].Close);
        // 65880000,7494400,7494400,7494400,7494400,1 — 18:18 EST → 23:18 UTC.
        Assert.Equal(new DateTime(2015, 12, 23, 23, 18, 0, DateTimeKind.Utc), bars[^1].Start);
        Assert.Equal(749.44, bars[^1].Close);
        Assert.Equal(1, bars[^1].Volume);
    }

    [SharedDataFact("lean")]
    public void Every_staged_minute_trade_file_reads_completely_and_cleanly()
    {
        var files = Directory.GetFiles(LeanPaths.Usa("minute"), "*_trade.zip", SearchOption.AllDirectories);
        Assert.Equal(31, files.Length);
        foreach (var file in files)
        {
            var log = new RejectionLog();
            using var reader = LeanMinuteTradeBarReader.Open(file, log.Add);
            Assert.Empty(log.Items);
            Assert.Equal(CountLines(file), reader.ReadAll().Count());
        }
    }

    [Fact]
    public void Malformed_rows_are_reported_with_file_line_and_reason_and_the_rest_is_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mp-{Guid.NewGuid():N}", "20131007_trade.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            WriteZip(path, "20131007_spy_minute_trade.csv",
                "34200000,1674100,1674500,1673900,1674200,1000\n" + // 1 good: 09:30 EDT
                "34260000,abc,1674500,1673900,1674200,1000\n" +     // 2 not a number
                "34320000,1674100,1674500\n" +                      // 3 too few fields
                "34380000,1674100,1673000,1675000,1674200,1000\n" + // 4 low above high
                "34440000,1674100,1674500,1673900,1674200,10,7\n" + // 5 extra field
                "34500000,1674100,1674500,1673900,1674200,-5\n" +   // 6 negative volume
                "\n" +                                              // 7 blank: no row, nothing to report
                "90000000,1674100,1674500,1673900,1674200,1000\n" + // 8 past midnight
                "34560000,1674100,1674500,1673900,1676000,1000\n" + // 9 close above high
                "34620000,1674100,1674500,1673900,1674200,1000\r\n" + // 10 good, CRLF
                "34680000,1674100,1674500,1673900,1674300,1000");   // 11 good, no final newline
            var log = new RejectionLog();
            using var reader = LeanMinuteTradeBarReader.Open(path, log.Add);
            var bars = reader.ReadAll().ToList();

            Assert.Equal([new DateTime(2013, 10, 7, 13, 30, 0, DateTimeKind.Utc), new DateTime(2013, 10, 7, 13, 37, 0, DateTimeKind.Utc), new DateTime(2013, 10, 7, 13, 38, 0, DateTimeKind.Utc)],
                bars.Select(b => b.Start));
            Assert.Equal(167.43, bars[^1].Close);
            Assert.Equal(
                [
                    (2L, "expected 6 integer fields: ms,open,high,low,close,volume"),
                    (3L, "expected 6 integer fields: ms,open,high,low,close,volume"),
                    (4L, "low above high"),
                    (5L, "more than 6 fields"),
                    (6L, "negative volume"),
                    (8L, "time outside the trading day"),
                    (9L, "open or close outside the high-low range"),
                ],
                log.Items.Select(r => (r.Line, r.Reason)));
            Assert.All(log.Items, r => Assert.Equal(path, r.File));
            Assert.Equal(7, reader.Rejected);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void A_line_longer_than_the_buffer_is_reported_and_reading_goes_on()
    {
        var csv = new string('9', 70_000) + "\n34200000,1674100,1674500,1673900,1674200,1000\n";
        var log = new RejectionLog();
        using var reader = new LeanMinuteTradeBarReader(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(csv)), "mem.csv",
            new DateOnly(2013, 10, 7), log.Add);
        var bars = reader.ReadAll().ToList();
        Assert.Single(bars);
        Assert.Equal(new LeanRowRejection("mem.csv", 1, "line too long"), Assert.Single(log.Items));
    }

    internal static void WriteZip(string path, string entryName, string content)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
        writer.Write(content);
    }

    private static int CountLines(string zipPath)
    {
        using var archive = ZipFile.OpenRead(zipPath);
        using var reader = new StreamReader(archive.Entries.Single().Open());
        var n = 0;
        while (reader.ReadLine() is { Length: > 0 }) n++;
        return n;
    }
}
