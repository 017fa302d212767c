using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Market;
using MarketPulse.Ingestion.Lean;
using MarketPulse.Ml.Training.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace MarketPulse.Ml.Training.Price;

public sealed record IntradayResult(
    [property: JsonPropertyName("n")] long N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("mcc")] double Mcc,
    [property: JsonPropertyName("by_signal")] Dictionary<string, SignalResult> BySignal,
    [property: JsonPropertyName("permutation_p_accuracy")] double PermutationPAccuracy,
    [property: JsonPropertyName("permutation_p_mcc")] double PermutationPMcc,
    [property: JsonPropertyName("permutations")] int Permutations,
    [property: JsonPropertyName("folds")] int Folds,
    [property: JsonPropertyName("symbol_days")] int SymbolDays,
    [property: JsonPropertyName("purged")] int Purged,
    [property: JsonPropertyName("rejected_rows")] long RejectedRows)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// Walk-forward test of 5-minute direction on LEAN minute trade bars. Regular-session minutes are rolled into 5-minute
/// bars from 09:30 New York; at the end of bar k the model predicts whether bar k+1 closes above bar k's close (flat
/// outcomes dropped). Folds are trading days in time order: for each day, a LightGbm model (fixed settings, never tuned
/// here) is refitted on every earlier day and scored on that day. Training samples whose label interval ends within the
/// embargo before the test day's first bar are purged (with whole-day folds none overlap; the count is reported).
/// Baselines on the same samples: the training majority class and persistence (the last bar's direction). The
/// permutation p-value shuffles the test labels against the model's calls.
/// </summary>
public sealed class IntradayWalkForward(TextWriter progress)
{
    public const int BarMinutes = 5;
    public const int History = 6;
    public static readonly TimeSpan Embargo = TimeSpan.FromMinutes(30);

    public static readonly string[] FeatureNames =
    [
        "ret_1", "ret_2", "ret_3", "ret_6", "ret_since_open", "range", "vol_6", "volume_vs_6", "close_location",
        "time_of_day", "from_vwap", "from_high", "from_low",
    ];

    private sealed class Row
    {
        [VectorType(13)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    public readonly record struct Sample(string Symbol, DateOnly Day, DateTime Time, DateTime LabelEnd, float[] Features, bool Up);

    public IntradayResult Run(string leanDir, int permutations = 2000, int seed = 11)
    {
        var minuteRoot = FindMinuteRoot(leanDir);
        long rejected = 0;
        var samples = new List<Sample>();
        var symbolDays = 0;
        foreach (var file in Directory.EnumerateFiles(minuteRoot, "*_trade.zip", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var symbol = Path.GetFileName(Path.GetDirectoryName(file)!).ToUpperInvariant();
            using var reader = LeanMinuteTradeBarReader.Open(file, _ => rejected++);
            var bars = FiveMinuteBars(reader.ReadAll().ToList(), reader.TradingDay);
            if (bars.Count < History + 2) continue;
            symbolDays++;
            samples.AddRange(Samples(symbol, reader.TradingDay, bars));
        }
        if (samples.Count == 0) throw new InvalidDataException($"no usable minute trade bars under {minuteRoot}");
        var days = samples.Select(s => s.Day).Distinct().Order().ToList();
        progress.WriteLine($"{samples.Count} samples from {symbolDays} symbol-days over {days.Count} trading days");

        var calls = new List<(bool Up, double PModel, bool Majority, bool? Persistence)>();
        int folds = 0, purged = 0;
        for (var i = 1; i < days.Count; i++)
        {
            var testDay = days[i];
            var test = samples.Where(s => s.Day == testDay).ToList();
            var testStart = test.Min(s => s.Time);
            var candidates = samples.Where(s => s.Day < testDay).ToList();
            var train = candidates.Where(s => s.LabelEnd <= testStart - Embargo).ToList();
            purged += candidates.Count - train.Count;
            if (train.Count < 300 || train.All(s => s.Up) || train.All(s => !s.Up)) continue;
            folds++;
            var majority = train.Count(s => s.Up) * 2 >= train.Count;
            var p = FitPredict(train, test, seed);
            for (var k = 0; k < test.Count; k++)
            {
                var r1 = test[k].Features[0];
                calls.Add((test[k].Up, p[k], majority, r1 == 0 ? null : r1 > 0));
            }
            progress.WriteLine($"fold {folds}: test {testDay:yyyy-MM-dd} ({test.Count} samples), trained on {train.Count}");
        }

        var model = new BinaryMetrics();
        var major = new BinaryMetrics();
        var persist = new BinaryMetrics();
        foreach (var c in calls)
        {
            model.Add(c.PModel, c.Up);
            major.Add(c.Majority ? 1 : 0, c.Up);
            persist.Add((c.Persistence ?? c.Majority) ? 1 : 0, c.Up);
        }

        // Permutation test: how often do shuffled outcomes agree with the model's calls as well as the real ones do?
        var rng = new Random(seed);
        var labels = calls.Select(c => c.Up).ToArray();
        var predicted = calls.Select(c => c.PModel).ToArray();
        int atLeastAcc = 0, atLeastMcc = 0;
        for (var k = 0; k < permutations; k++)
        {
            rng.Shuffle(labels);
            var m = new BinaryMetrics();
            for (var j = 0; j < labels.Length; j++) m.Add(predicted[j], labels[j]);
            if (m.Accuracy >= model.Accuracy) atLeastAcc++;
            if (m.Mcc >= model.Mcc) atLeastMcc++;
        }
        return new IntradayResult(model.Count, Math.Round(model.Accuracy, 4), Math.Round(model.Mcc, 4),
            new() { ["model"] = SignalResult.From(model), ["majority"] = SignalResult.From(major), ["persistence"] = SignalResult.From(persist) },
            Math.Round((1.0 + atLeastAcc) / (1 + permutations), 4), Math.Round((1.0 + atLeastMcc) / (1 + permutations), 4), permutations,
            folds, symbolDays, purged, rejected);
    }

    private static double[] FitPredict(List<Sample> train, List<Sample> test, int seed)
    {
        var ml = new MLContext(seed);
        var view = ml.Data.LoadFromEnumerable(train.Select(s => new Row { Features = s.Features, Label = s.Up }));
        var model = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = 7,
            MinimumExampleCountPerLeaf = 50,
            LearningRate = 0.05,
            NumberOfIterations = 100,
            Seed = seed,
            Deterministic = true,
            NumberOfThreads = 1,
            Silent = true,
        }).Fit(view);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(test.Select(s => new Row { Features = s.Features, Label = s.Up })));
        return scored.GetColumn<float>("Probability").Select(p => (double)p).ToArray();
    }

    /// <summary>Accepts the LEAN root, its <c>Data</c> folder, or the <c>minute</c> folder itself.</summary>
    public static string FindMinuteRoot(string dir) => LeanMinuteFiles.FindRoot(dir);

    /// <summary>Regular-session (09:30–16:00 New York) minutes rolled into 5-minute bars aligned at the open.</summary>
    public static List<Bar> FiveMinuteBars(List<Bar> minutes, DateOnly day)
    {
        var open = ExchangeCalendar.UsEquities.CloseUtc(day) - TimeSpan.FromHours(6.5);
        var close = ExchangeCalendar.UsEquities.CloseUtc(day);
        var bars = new List<Bar>();
        foreach (var m in minutes)
        {
            if (m.Start < open || m.Start >= close) continue;
            var slot = (int)((m.Start - open).TotalMinutes / BarMinutes);
            var start = open.AddMinutes(slot * BarMinutes);
            if (bars.Count > 0 && bars[^1].Start == start)
            {
                var b = bars[^1];
                bars[^1] = b with { High = Math.Max(b.High, m.High), Low = Math.Min(b.Low, m.Low), Close = m.Close, Volume = b.Volume + m.Volume };
            }
            else bars.Add(m with { Start = start, Interval = TimeSpan.FromMinutes(BarMinutes) });
        }
        return bars;
    }

    public static IEnumerable<Sample> Samples(string symbol, DateOnly day, List<Bar> bars)
    {
        double pv = 0, v = 0, high = double.MinValue, low = double.MaxValue;
        for (var k = 0; k < bars.Count - 1; k++)
        {
            var b = bars[k];
            pv += (b.High + b.Low + b.Close) / 3 * b.Volume;
            v += b.Volume;
            high = Math.Max(high, b.High);
            low = Math.Min(low, b.Low);
            if (k < History) continue;
            var next = bars[k + 1];
            if (next.Close == b.Close) continue; // flat: no direction to learn or score
            double R(int lag) => Math.Log(b.Close / bars[k - lag].Close);
            var rets = Enumerable.Range(0, History).Select(j => Math.Log(bars[k - j].Close / bars[k - j - 1].Close)).ToArray();
            var mean = rets.Average();
            var volume6 = Enumerable.Range(1, History).Average(j => bars[k - j].Volume);
            float[] f =
            [
                (float)R(1), (float)R(2), (float)R(3), (float)R(6), (float)Math.Log(b.Close / bars[0].Open),
                (float)((b.High - b.Low) / b.Close),
                (float)Math.Sqrt(rets.Sum(r => (r - mean) * (r - mean)) / (History - 1)),
                (float)(b.Volume > 0 && volume6 > 0 ? Math.Log(b.Volume / volume6) : 0),
                (float)(b.High > b.Low ? (b.Close - b.Low) / (b.High - b.Low) - 0.5 : 0),
                k / 78f,
                (float)(v > 0 ? Math.Log(b.Close / (pv / v)) : 0),
                (float)Math.Log(b.Close / high), (float)Math.Log(b.Close / low),
            ];
            yield return new Sample(symbol, day, b.End, next.End, f, next.Close > b.Close);
        }
    }
}
