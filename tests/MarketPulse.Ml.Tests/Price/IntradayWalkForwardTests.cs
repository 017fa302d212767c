using System.Globalization;
using System.IO.Compression;
using System.Text;
using MarketPulse.Ml.Training.Price;

namespace MarketPulse.Ml.Tests.Price;

public class IntradayWalkForwardTests
{
    /// <summary>Writes LEAN minute trade zips for regular-session minutes whose 5-minute blocks alternate up and down.</summary>
    private static string AlternatingLean(int days)
    {
        var root = Directory.CreateTempSubdirectory("mp-lean").FullName;
        var dir = Path.Combine(root, "equity", "usa", "minute", "alt");
        Directory.CreateDirectory(dir);
        var rng = new Random(1);
        var day = new DateOnly(2013, 10, 1);
        for (var d = 0; d < days; d++)
        {
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
            var csv = new StringBuilder();
            var price = 100.0;
            for (var m = 0; m < 390; m++)
            {
                var block = m / 5;
                var step = (block % 2 == 0 ? 1 : -1) * (0.02 + 0.01 * rng.NextDouble()) * (1 + d % 3);
                var open = price;
                price += step;
                long P(double x) => (long)Math.Round(x * 10000);
                var ms = (9.5 * 3600 + m * 60) * 1000;
                csv.Append(CultureInfo.InvariantCulture, $"{ms:F0},{P(open)},{P(Math.Max(open, price))},{P(Math.Min(open, price))},{P(price)},{1000 + rng.Next(500)}\n");
            }
            using var zip = ZipFile.Open(Path.Combine(dir, $"{day:yyyyMMdd}_trade.zip"), ZipArchiveMode.Create);
            using (var w = new StreamWriter(zip.CreateEntry($"{day:yyyyMMdd}_alt_minute_trade.csv").Open())) w.Write(csv.ToString());
            day = day.AddDays(1);
        }
        return root;
    }

    [Fact]
    public void APlantedPatternIsFoundAndIsSignificant()
    {
        var result = new IntradayWalkForward(TextWriter.Null).Run(AlternatingLean(10), permutations: 200);
        Assert.True(result.Folds >= 5, $"folds {result.Folds}");
        Assert.True(result.Accuracy > 0.95, $"accuracy {result.Accuracy}");
        Assert.True(result.BySignal["persistence"].Accuracy < 0.05, "persistence is always wrong on an alternating series");
        Assert.True(result.PermutationPAccuracy < 0.01);
    }

    [Fact]
    public void FiveMinuteBarsRollUpRegularSessionMinutes()
    {
        var root = AlternatingLean(1);
        var file = Directory.EnumerateFiles(root, "*.zip", SearchOption.AllDirectories).Single();
        using var reader = MarketPulse.Ingestion.Lean.LeanMinuteTradeBarReader.Open(file, r => throw new InvalidOperationException(r.Reason));
        var minutes = reader.ReadAll().ToList();
        var bars = IntradayWalkForward.FiveMinuteBars(minutes, reader.TradingDay);
        Assert.Equal(78, bars.Count);
        Assert.Equal(minutes.Take(5).Sum(m => m.Volume), bars[0].Volume);
        Assert.Equal(minutes[4].Close, bars[0].Close);
        Assert.Equal(minutes[0].Open, bars[0].Open);
        Assert.Equal(minutes.Take(5).Max(m => m.High), bars[0].High);
        // Each sample's label ends after its features' time, and one bar later.
        var samples = IntradayWalkForward.Samples("ALT", reader.TradingDay, bars).ToList();
        Assert.All(samples, s => Assert.Equal(TimeSpan.FromMinutes(5), s.LabelEnd - s.Time));
    }

    [SharedDataFact("lean")]
    public void OnTheRealLeanMinutesItIsNearACoinFlipAndSaysSo()
    {
        var result = new IntradayWalkForward(TextWriter.Null).Run(SharedData.Path("lean"), permutations: 500);
        Assert.Equal(31, result.SymbolDays);
        Assert.InRange(result.N, 1000, 2000);
        Assert.InRange(result.Accuracy, 0.45, 0.56);
        Assert.True(result.PermutationPAccuracy > 0.01, "no real 5-minute edge is expected on 13 days of data");
    }

    [Fact]
    public void ADirectoryWithoutMinuteFilesIsRefused()
    {
        var empty = Directory.CreateTempSubdirectory("mp-nolean").FullName;
        Assert.Throws<InvalidDataException>(() => IntradayWalkForward.FindMinuteRoot(empty));
    }
}
