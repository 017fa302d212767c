using System.Globalization;
using MarketPulse.Ingestion.StockNet;

namespace MarketPulse.Ingestion.Tests.StockNet;

public sealed class StockNetPreprocessedReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mp-stocknet-pre-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SharedDataFact("stocknet")]
    public void AAPL_features_agree_with_the_raw_Yahoo_file_by_their_definitions()
    {
        var rejected = new List<string>();
        var features = StockNetPreprocessedReader.Read(SharedData.Path("stocknet", "price", "preprocessed", "AAPL.txt"), (_, l, r) => rejected.Add($"{l}: {r}")).ToList();
        Assert.Empty(rejected);

        // The raw file, read independently: Date,Open,High,Low,Close,Adj Close,Volume (ascending).
        var raw = File.ReadLines(SharedData.Path("stocknet", "price", "raw", "AAPL.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Select(f => (Date: DateOnly.Parse(f[0], CultureInfo.InvariantCulture), Open: D(f[1]), High: D(f[2]), Low: D(f[3]), Close: D(f[4]), Adj: D(f[5]), Volume: D(f[6])))
            .ToList();
        var byDate = raw.Select((r, i) => (r, i)).ToDictionary(x => x.r.Date, x => x.i);
        var checkedRows = 0;
        foreach (var x in features)
        {
            if (!byDate.TryGetValue(x.Date, out var i) || i == 0) continue;
            var (t, y) = (raw[i], raw[i - 1]);
            Assert.Equal(t.Adj / y.Adj - 1, x.Movement, 1e-5);
            // Relative to the previous *adjusted* close (PROVENANCE says Close; 2015-09-30 shows the difference).
            Assert.Equal(t.Open / y.Adj - 1, x.Open, 1e-5);
            Assert.Equal(t.High / y.Adj - 1, x.High, 1e-5);
            Assert.Equal(t.Low / y.Adj - 1, x.Low, 1e-5);
            Assert.Equal(t.Adj - y.Adj, x.CloseChange, 1e-5);
            Assert.Equal(t.Volume, x.Volume, 0);
            checkedRows++;
        }
        Assert.True(checkedRows >= features.Count - 1 && checkedRows > 700, $"{checkedRows} of {features.Count} rows checked");
        Assert.True(features[0].Date > features[^1].Date, "released in descending date order");
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Bad_rows_are_reported_with_their_line_and_skipped()
    {
        var path = Path.Combine(_dir, "X.txt");
        File.WriteAllLines(path,
        [
            "2015-09-30\t0.01\t0.02\t0.03\t0.00\t1.2\t1000",
            "2015-09-29\t0.01\t0.02",                              // too few fields
            "2015/09/28\t0.01\t0.02\t0.03\t0.00\t1.2\t1000",       // date format
            "2015-09-27\tNaN\t0.02\t0.03\t0.00\t1.2\t1000",        // not finite
            "2015-09-30\t0.01\t0.02\t0.03\t0.00\t1.2\t1000",       // not descending
            "",
            "2015-09-25\t-0.02\t0.01\t0.02\t-0.01\t-0.5\t2000",
        ]);
        var rejected = new List<(int Line, string Reason)>();
        var rows = StockNetPreprocessedReader.Read(path, (_, l, r) => rejected.Add((l, r))).ToList();
        Assert.Equal([new DateOnly(2015, 9, 30), new DateOnly(2015, 9, 25)], rows.Select(r => r.Date));
        Assert.Equal([2, 3, 4, 5], rejected.Select(r => r.Line));
        Assert.Equal(-0.5, rows[1].CloseChange);
    }
}
