using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Sentiment;
using MarketPulse.Core.Text;
using MarketPulse.Ml.Onnx;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Ml.Training.Price;

public sealed record CandidateResult(string Name, string Config, double DevAccuracy, double DevMcc, double DevBrier, long DevN, double CalA, double CalB);

/// <summary>
/// <c>marketpulse train price</c>: trains on the StockNet train period only (2014-01-01..2015-05-31 for fitting,
/// 2015-06-01..2015-07-31 held out for Platt calibration), selects on the dev period only (2015-08-01..2015-09-30), and
/// writes the winner as <c>price.onnx</c> + <c>price.json</c> and the price-only baseline as <c>price-baseline.*</c>.
/// The test period is never read.
/// </summary>
public sealed class PriceTraining(TextWriter progress)
{
    public static readonly DateOnly TrainFrom = new(2014, 1, 1);
    public static readonly DateOnly CalibrateFrom = new(2015, 6, 1);
    public static readonly DateOnly DevFrom = new(2015, 8, 1);
    public static readonly DateOnly DevTo = new(2015, 10, 1);

    public static readonly GbmPriceTrainer.Config[] GbmGrid =
    [
        new(7, 200, 0.03, 150, 0.7),
        new(15, 300, 0.02, 300, 0.7),
        new(31, 500, 0.02, 300, 0.5),
    ];

    public List<CandidateResult> Candidates { get; } = [];

    /// <summary>
    /// Version of the models this code writes (v2: trained on the texts the live text pipeline keeps; v3: StockNet's text
    /// window, ending at 00:00 UTC of the target day instead of the basis day's close; v4: a bag of LightGbm seeds in one
    /// graph, chosen by comparing procedures rather than single draws).
    /// </summary>
    public const string ModelVersion = "v4";

    /// <summary>LightGbm seeds in the bag (fixed a priori; docs/models/price.md, "v4").</summary>
    public const int DefaultGbmBag = 16;

    /// <param name="seeds">GRU seeds: the first is the single model; with more than one, their logit average is a candidate too.</param>
    /// <param name="gbmBag">
    /// K LightGbm seeds (17..17+K−1) of the selected setting: their bag (one graph, mean raw score, Platt on the mean)
    /// replaces the single seed-17 model if its dev MCC beats the mean dev MCC of the K single models (the single-seed
    /// procedure's expectation). 1 = the single seed-17 model, no comparison.
    /// </param>
    /// <param name="gbmSeeds">
    /// Diagnostic only (it never changes what ships): retrain the selected GBM setting with this many LightGbm seeds
    /// (17, 18, …) and report each seed's dev numbers, their spread, and those of the mean of their calibrated probabilities.
    /// </param>
    public void Run(string dataDir, string outDir, ISentimentScorer scorer, GruPriceTrainer.Options? gru, CancellationToken ct = default, int seeds = 1,
        int gbmSeeds = 1, int gbmBag = DefaultGbmBag)
    {
        if (gbmBag < 1) throw new ArgumentOutOfRangeException(nameof(gbmBag), "the bag needs at least one member");
        var (sectors, sectorNames) = LoadSectors(dataDir);

        // Texts up to the end of dev only: the held-back test period is never read, even where a directory has it.
        var data = StockNetData.Load(dataDir, scorer, s => sectors.GetValueOrDefault(s, -1), TrainFrom.AddDays(-15), DevTo, progress);
        var train = PriceDataset.Build(data, TrainFrom, DevFrom);
        var dev = PriceDataset.Build(data, DevFrom, DevTo);
        var fit = train.Where(s => s.Target < CalibrateFrom);
        var cal = train.Where(s => s.Target >= CalibrateFrom);
        progress.WriteLine($"samples: train {train.Rows} (fit {fit.Rows}, calibrate {cal.Rows}), dev {dev.Rows}");

        PriceModelCard Card(string name, string kind, string input, string? seqInput, string output, int[] masked) => new()
        {
            Name = name,
            Version = ModelVersion,
            Kind = kind,
            FeaturesInput = input,
            SequenceInput = seqInput,
            ScoreOutput = output,
            FeatureNames = PriceFeatures.Names,
            MaskedFeatures = masked,
            FeatureMeans = fit.Masked(masked).FeatureMeans(),
            SequenceMeans = fit.SequenceMeans(),
            CalibrationA = 1,
            CalibrationB = 0,
            Sectors = sectors,
            SectorNames = sectorNames,
            TrainedOn = $"StockNet {TrainFrom:yyyy-MM-dd}..{CalibrateFrom.AddDays(-1):yyyy-MM-dd} ({fit.Rows} samples)",
            CalibratedOn = $"StockNet {CalibrateFrom:yyyy-MM-dd}..{DevFrom.AddDays(-1):yyyy-MM-dd} ({cal.Rows} samples)",
        };

        (byte[] Onnx, PriceModelCard Card, CandidateResult Result) Assess(string name, string kind, string config, byte[] onnx,
            string input, string? seqInput, string output, int[] masked)
        {
            var card = Calibration.FitPlatt(onnx, Card(name, kind, input, seqInput, output, masked), cal);
            var (a, b) = (card.CalibrationA, card.CalibrationB);
            using var model = new PriceModel(onnx, card);
            var devScores = model.Scores(dev.Masked(masked).Features, dev.Sequences, dev.Rows);
            var m = new BinaryMetrics();
            for (var i = 0; i < dev.Rows; i++) m.Add(model.Calibrate(devScores[i]), dev.Samples[i].Up);
            var result = new CandidateResult(name, config, m.Accuracy, m.Mcc, m.Brier, m.Count, a, b);
            Candidates.Add(result);
            progress.WriteLine($"{name} [{config}]: dev accuracy {m.Accuracy:P2}, MCC {m.Mcc:F3}, Brier {m.Brier:F4} (n={m.Count}); Platt A={a:F3} B={b:F3}");
            card = card with { DevMetrics = new() { ["accuracy"] = m.Accuracy, ["mcc"] = m.Mcc, ["brier"] = m.Brier, ["n"] = m.Count } };
            return (onnx, card, result);
        }

        var gbm = new GbmPriceTrainer();
        (byte[] Onnx, PriceModelCard Card, CandidateResult Result)? bestGbm = null;
        GbmPriceTrainer.Config? bestConfig = null;
        foreach (var config in GbmGrid)
        {
            ct.ThrowIfCancellationRequested();
            var (onnx, input, output) = gbm.Train(fit, config);
            var c = Assess("price-gbm", "gbm", config.ToString(), onnx, input, null, output, []);
            if (bestGbm is null || c.Result.DevMcc > bestGbm.Value.Result.DevMcc) { bestGbm = c; bestConfig = config; }
        }
        if (gbmSeeds > 1) GbmSeedSpread(bestConfig!, bestGbm!.Value, gbmSeeds, fit, dev, Assess, ct);

        // Procedures, not draws (docs/models/price.md, "v4"): the single-seed procedure is worth the mean of its seeds' dev
        // MCC; the bag is worth its own. Each family enters the final comparison with the procedure it would ship.
        var winner = bestGbm!.Value;
        var winnerExpected = winner.Result.DevMcc;
        var bagK = 1;
        if (gbmBag > 1)
        {
            var (singleMean, bag) = GbmBag(bestConfig!, bestGbm!.Value, gbmBag, fit, [], Assess, ct);
            var bagWins = bag.Result.DevMcc > singleMean;
            progress.WriteLine($"GBM bag of {gbmBag}: dev MCC {bag.Result.DevMcc:F3} vs the single-seed procedure's mean {singleMean:F3}: "
                + (bagWins ? "the bag ships" : "the single seed-17 model stays"));
            if (bagWins) { winner = bag; winnerExpected = bag.Result.DevMcc; bagK = gbmBag; }
            else
            {
                winnerExpected = singleMean;
                Candidates.Remove(bag.Result);
                Candidates.Add(bag.Result with { Config = bag.Result.Config + " (lost to the single-seed mean)" });
            }
        }
        var masked = PriceFeatures.TextFeatureIndices;
        // The price-only baseline is trained the way the shipped GBM is (a bag of the same K when the bag ships).
        var baseline = bagK > 1
            ? GbmBag(bestConfig!, null, bagK, fit, masked, Assess, ct).Bag
            : BaselineSingle();
        (byte[] Onnx, PriceModelCard Card, CandidateResult Result) BaselineSingle()
        {
            var (baseOnnx, baseIn, baseOut) = gbm.Train(fit.Masked(masked), bestConfig!);
            return Assess("price-only-gbm", "gbm", bestConfig!.ToString(), baseOnnx, baseIn, null, baseOut, masked);
        }

        if (gru is not null)
        {
            ct.ThrowIfCancellationRequested();
            var members = new List<GruPriceTrainer>();
            var singles = new List<(byte[] Onnx, PriceModelCard Card, CandidateResult Result)>();
            for (var k = 0; k < Math.Max(1, seeds); k++)
            {
                ct.ThrowIfCancellationRequested();
                var trainer = new GruPriceTrainer(gru with { Seed = gru.Seed + k }, progress);
                var onnx = trainer.Train(fit, cal);
                members.Add(trainer);
                singles.Add(Assess(k == 0 ? "price-gru" : $"price-gru-seed{trainer.Seed}", "gru",
                    $"{gru} seed={trainer.Seed} epoch={trainer.BestEpoch}", onnx, GruPriceTrainer.FeaturesInput, GruPriceTrainer.SequenceInput, GruPriceTrainer.ScoreOutput, []));
            }
            var deep = singles[0];
            var deepExpected = singles.Average(c => c.Result.DevMcc); // the single-seed procedure's expectation
            if (members.Count > 1)
            {
                var average = Assess($"price-gru-avg{members.Count}", "gru",
                    $"{gru} mean logit of seeds {members[0].Seed}..{members[^1].Seed}", GruPriceTrainer.ExportAverage(members),
                    GruPriceTrainer.FeaturesInput, GruPriceTrainer.SequenceInput, GruPriceTrainer.ScoreOutput, []);
                var m = singles.Select(c => c.Result).ToList();
                progress.WriteLine($"GRU seeds: dev MCC mean {m.Average(c => c.DevMcc):F3} (min {m.Min(c => c.DevMcc):F3}, max {m.Max(c => c.DevMcc):F3}), "
                    + $"accuracy mean {m.Average(c => c.DevAccuracy):P2}; average of {members.Count}: MCC {average.Result.DevMcc:F3}, accuracy {average.Result.DevAccuracy:P2}");
                // The same rule as the GBM bag: the seed average replaces the single model if it beats the seeds' mean dev MCC.
                if (average.Result.DevMcc > deepExpected) { deep = average; deepExpected = average.Result.DevMcc; }
            }
            progress.WriteLine($"families by expected dev MCC: GBM {winnerExpected:F3} ({winner.Result.Config}), GRU {deepExpected:F3} ({deep.Result.Config})");
            if (deepExpected > winnerExpected) winner = deep;
            else progress.WriteLine("the deep model did not beat gradient boosting on expected dev MCC; shipping the GBM");
        }

        Directory.CreateDirectory(outDir);
        Write(outDir, "price", winner.Onnx, winner.Card);
        Write(outDir, "price-baseline", baseline.Onnx, baseline.Card);
        progress.WriteLine($"wrote {Path.Combine(outDir, "price.onnx")} ({winner.Card.Name}) and price-baseline.onnx");
    }

    /// <summary>The sector id of each symbol (index into the sorted sector names) from the directory's <c>StockTable</c>.</summary>
    public static (Dictionary<string, int> Sectors, string[] SectorNames) LoadSectors(string dataDir)
    {
        var tablePath = Path.Combine(dataDir, "StockTable");
        if (!File.Exists(tablePath)) throw new InvalidDataException($"training needs the sector table {tablePath}");
        var table = StockTable.Load(tablePath);
        var sectorNames = table.Listings.Select(l => l.Sector).Distinct().Order(StringComparer.Ordinal).ToArray();
        return (table.Listings.ToDictionary(l => l.Symbol, l => Array.IndexOf(sectorNames, l.Sector), StringComparer.Ordinal), sectorNames);
    }

    private delegate (byte[] Onnx, PriceModelCard Card, CandidateResult Result) AssessFn(string name, string kind, string config, byte[] onnx,
        string input, string? seqInput, string output, int[] masked);

    /// <summary>
    /// Trains seeds 17..17+K−1 of <paramref name="config"/> (over the features with <paramref name="masked"/> zeroed), merges
    /// them into one graph that outputs the mean raw score (<see cref="OnnxGraphAverage"/>) and assesses it (Platt fitted once
    /// on the calibration months, on the mean score). With the unmasked features the K single models are assessed too (as
    /// the single-seed procedure's draws) and their mean dev MCC returned; <paramref name="first"/> is seed 17's model
    /// when it has already been trained.
    /// </summary>
    private (double SingleMean, (byte[] Onnx, PriceModelCard Card, CandidateResult Result) Bag) GbmBag(GbmPriceTrainer.Config config,
        (byte[] Onnx, PriceModelCard Card, CandidateResult Result)? first, int count, PriceDataset fit, int[] masked, AssessFn assess,
        CancellationToken ct)
    {
        var baseline = masked.Length > 0;
        var members = new List<byte[]>();
        var mccs = new List<double>();
        string input = "", output = "";
        for (var k = 0; k < count; k++)
        {
            ct.ThrowIfCancellationRequested();
            var seed = GbmPriceTrainer.DefaultSeed + k;
            if (k == 0 && first is { } f)
            {
                members.Add(f.Onnx);
                mccs.Add(f.Result.DevMcc);
                (input, output) = (f.Card.FeaturesInput, f.Card.ScoreOutput);
                continue;
            }
            var (onnx, i, o) = new GbmPriceTrainer(seed).Train(fit.Masked(masked), config);
            (input, output) = (i, o);
            members.Add(onnx);
            if (!baseline)
                mccs.Add(assess($"price-gbm-seed{seed}", "gbm", $"{config} seed={seed} (single-seed procedure)", onnx, i, null, o, []).Result.DevMcc);
        }
        var bag = OnnxGraphAverage.Average(members, output);
        var last = GbmPriceTrainer.DefaultSeed + count - 1;
        var result = assess(baseline ? "price-only-gbm" : "price-gbm", "gbm", $"{config} bag of {count}: mean score of seeds {GbmPriceTrainer.DefaultSeed}..{last}",
            bag, input, null, output, masked);
        if (!baseline)
            progress.WriteLine($"GBM seeds {GbmPriceTrainer.DefaultSeed}..{last} [{config}] (single-seed procedure): dev MCC "
                + string.Join(", ", mccs.Select(m => m.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))
                + $"; mean {mccs.Average():F3} (min {mccs.Min():F3}, max {mccs.Max():F3})");
        return (baseline ? double.NaN : mccs.Average(), result);
    }

    /// <summary>How much of the selected GBM's dev score is its seed (LightGbm's feature-fraction draws): see <see cref="Run"/>.</summary>
    private void GbmSeedSpread(GbmPriceTrainer.Config config, (byte[] Onnx, PriceModelCard Card, CandidateResult Result) first, int count,
        PriceDataset fit, PriceDataset dev, AssessFn assess, CancellationToken ct)
    {
        var runs = new List<(CandidateResult Result, double[] P)> { (first.Result, DevProbabilities(first.Onnx, first.Card, dev)) };
        for (var k = 1; k < count; k++)
        {
            ct.ThrowIfCancellationRequested();
            var seed = GbmPriceTrainer.DefaultSeed + k;
            var (onnx, input, output) = new GbmPriceTrainer(seed).Train(fit, config);
            var c = assess($"price-gbm-seed{seed}", "gbm", $"{config} seed={seed} (diagnostic, not a candidate)", onnx, input, null, output, []);
            Candidates.Remove(c.Result); // never a candidate for shipping; listed below as part of the spread
            runs.Add((c.Result, DevProbabilities(onnx, c.Card, dev)));
        }
        var mean = new BinaryMetrics();
        for (var i = 0; i < dev.Rows; i++) mean.Add(runs.Average(r => r.P[i]), dev.Samples[i].Up);
        var mccs = runs.Select(r => r.Result.DevMcc).ToList();
        progress.WriteLine($"GBM seeds {GbmPriceTrainer.DefaultSeed}..{GbmPriceTrainer.DefaultSeed + count - 1} [{config}]: dev MCC "
            + string.Join(", ", mccs.Select(m => m.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))
            + $"; mean {mccs.Average():F3} (min {mccs.Min():F3}, max {mccs.Max():F3}), accuracy mean {runs.Average(r => r.Result.DevAccuracy):P2}; "
            + $"mean of the {count} calibrated probabilities: accuracy {mean.Accuracy:P2}, MCC {mean.Mcc:F3}, Brier {mean.Brier:F4}");
        GbmSeedSummary = new(mccs, mean.Accuracy, mean.Mcc, mean.Brier);
    }

    public sealed record SeedSpread(IReadOnlyList<double> DevMcc, double MeanAccuracy, double MeanMcc, double MeanBrier);

    /// <summary>Set by a run with more than one GBM seed.</summary>
    public SeedSpread? GbmSeedSummary { get; private set; }

    private static double[] DevProbabilities(byte[] onnx, PriceModelCard card, PriceDataset dev)
    {
        using var model = new PriceModel(onnx, card);
        var scores = model.Scores(dev.Features, dev.Sequences, dev.Rows);
        return [.. scores.Select(model.Calibrate)];
    }

    private static void Write(string dir, string name, byte[] onnx, PriceModelCard card)
    {
        File.WriteAllBytes(Path.Combine(dir, name + ".onnx"), onnx);
        File.WriteAllText(Path.Combine(dir, name + ".json"), card.ToJson());
    }
}
