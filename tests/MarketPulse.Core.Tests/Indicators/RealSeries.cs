using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>
/// Real price series for the indicator tests, parsed here with plain string splitting — deliberately not with
/// the production LEAN readers, so that a reader bug cannot hide an indicator bug or the reverse.
/// Keys: <c>stocknet:TICKER</c> (Yahoo daily, raw closes), <c>lean-daily:sym</c> (LEAN daily, deci-cents) and
/// <c>lean-minute:sym</c> (every LEAN minute trade file of the symbol, in date order, pre-market included).
/// </summary>
public static class RealSeries
{
    private static readonly ConcurrentDictionary<string, TestBar[]> Cache = new();

    public static readonly string[] Keys =
    [
        "stocknet:AAPL", "stocknet:GOOG", "stocknet:BAC", "stocknet:BRK-A", "stocknet:XOM",
        "lean-daily:spy", "lean-daily:aapl", "lean-minute:spy", "lean-minute:aapl", "lean-minute:bac",
    ];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var key in Keys) data.Add(key);
        return data;
    }

    public static TestBar[] Bars(string key) => Cache.GetOrAdd(key, Load);

    public static double[] Closes(string key) => Bars(key).Select(b => b.Close).ToArray();

    private static TestBar[] Load(string key)
    {
        var (kind, symbol) = (key[..key.IndexOf(':')], key[(key.IndexOf(':') + 1)..]);
        var bars = kind switch
        {
            "stocknet" => LoadStockNet(symbol),
            "lean-daily" => LoadLeanDaily(symbol),
            "lean-minute" => LoadLeanMinute(symbol),
            _ => throw new ArgumentException(key),
        };
        Assert.True(bars.Length > 500, $"{key}: only {bars.Length} bars");
        return bars;
    }

    private static TestBar[] LoadStockNet(string ticker)
    {
        var lines = File.ReadAllLines(SharedData.Path("stocknet", "price", "raw", ticker + ".csv"));
        return lines.Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return new TestBar(DateOnly.ParseExact(f[0], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                D(f[1]), D(f[2]), D(f[3]), D(f[4]), D(f[6]));
        }).ToArray();
    }

    private static TestBar[] LoadLeanDaily(string symbol)
    {
        var rows = ZipLines(SharedData.Path("lean", "Data", "equity", "usa", "daily", symbol + ".zip"));
        return rows.Select(line =>
        {
            var f = line.Split(',');
            var day = DateOnly.ParseExact(f[0][..8], "yyyyMMdd", CultureInfo.InvariantCulture);
            return new TestBar(day, D(f[1]) / 10000, D(f[2]) / 10000, D(f[3]) / 10000, D(f[4]) / 10000, D(f[5]));
        }).ToArray();
    }

    private static TestBar[] LoadLeanMinute(string symbol)
    {
        var folder = SharedData.Path("lean", "Data", "equity", "usa", "minute", symbol);
        var bars = new List<TestBar>();
        foreach (var zip in Directory.GetFiles(folder, "*_trade.zip").Order(StringComparer.Ordinal))
        {
            var day = DateOnly.ParseExact(Path.GetFileName(zip)[..8], "yyyyMMdd", CultureInfo.InvariantCulture);
            foreach (var line in ZipLines(zip))
            {
                var f = line.Split(',');
                bars.Add(new TestBar(day, D(f[1]) / 10000, D(f[2]) / 10000, D(f[3]) / 10000, D(f[4]) / 10000, D(f[5])));
            }
        }
        return bars.ToArray();
    }

    private static List<string> ZipLines(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        using var reader = new StreamReader(archive.Entries.Single().Open());
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) lines.Add(line);
        }
        return lines;
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
