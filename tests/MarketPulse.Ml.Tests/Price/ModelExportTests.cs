using MarketPulse.Ml.Onnx;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training;
using MarketPulse.Ml.Training.Price;

namespace MarketPulse.Ml.Tests.Price;

[Collection(StockNetCollection.Name)]
public class ModelExportTests(StockNetFixture fixture)
{
    private static PriceModelCard Card(string kind, string input, string? seq, string output) => new()
    {
        Name = "test",
        Version = "v0",
        Kind = kind,
        FeaturesInput = input,
        SequenceInput = seq,
        ScoreOutput = output,
        FeatureNames = PriceFeatures.Names,
        FeatureMeans = new float[PriceFeatures.Count],
        CalibrationA = 1,
        CalibrationB = 0,
        Sectors = [],
        SectorNames = [],
        TrainedOn = "test",
    };

    [SharedDataFact("stocknet")]
    public void GruRunUnderOnnxRuntimeMatchesTorchSharp()
    {
        var data = PriceDataset.Build(fixture.Data, new DateOnly(2015, 8, 1), new DateOnly(2015, 10, 1));
        var fit = data.Where(s => s.Target < new DateOnly(2015, 9, 10));
        var holdout = data.Where(s => s.Target >= new DateOnly(2015, 9, 10));
        var trainer = new GruPriceTrainer(new GruPriceTrainer.Options(Hidden: 12, Head: 8, Epochs: 2), TextWriter.Null);
        var onnx = trainer.Train(fit, holdout);
        // Export the final weights so both sides hold the same ones (Train returns the best epoch's).
        onnx = trainer.ExportOnnx();

        var torch = trainer.TorchLogits(holdout.Features, holdout.Sequences, holdout.Rows);
        using var model = new PriceModel(onnx, Card("gru", GruPriceTrainer.FeaturesInput, GruPriceTrainer.SequenceInput, GruPriceTrainer.ScoreOutput));
        var ort = model.Scores(holdout.Features, holdout.Sequences, holdout.Rows);

        Assert.Equal(holdout.Rows, ort.Length);
        Assert.True(holdout.Rows > 500);
        var maxDiff = torch.Select((t, i) => Math.Abs(t - ort[i])).Max();
        Assert.True(maxDiff <= 1e-4, $"max |torch - onnx| = {maxDiff}");
        Assert.True(torch.Max() - torch.Min() > 1e-3, "the trained net must not be constant, or the comparison proves nothing");
    }

    [SharedDataFact("stocknet")]
    public void SeedAverageGraphOutputsTheMeanOfItsMembersLogits()
    {
        var data = PriceDataset.Build(fixture.Data, new DateOnly(2015, 8, 1), new DateOnly(2015, 10, 1));
        var fit = data.Where(s => s.Target < new DateOnly(2015, 9, 10));
        var holdout = data.Where(s => s.Target >= new DateOnly(2015, 9, 10));
        var members = new List<GruPriceTrainer>();
        var singles = new List<double[]>();
        foreach (var seed in new[] { 3, 4 })
        {
            var trainer = new GruPriceTrainer(new GruPriceTrainer.Options(Hidden: 8, Head: 8, Epochs: 2, Seed: seed), TextWriter.Null);
            var onnx = trainer.Train(fit, holdout);
            members.Add(trainer);
            using var single = new PriceModel(onnx, Card("gru", GruPriceTrainer.FeaturesInput, GruPriceTrainer.SequenceInput, GruPriceTrainer.ScoreOutput));
            singles.Add(single.Scores(holdout.Features, holdout.Sequences, holdout.Rows));
        }
        using var average = new PriceModel(GruPriceTrainer.ExportAverage(members),
            Card("gru", GruPriceTrainer.FeaturesInput, GruPriceTrainer.SequenceInput, GruPriceTrainer.ScoreOutput));
        var scores = average.Scores(holdout.Features, holdout.Sequences, holdout.Rows);

        Assert.Equal(holdout.Rows, scores.Length);
        var maxDiff = scores.Select((s, i) => Math.Abs(s - (singles[0][i] + singles[1][i]) / 2)).Max();
        Assert.True(maxDiff <= 1e-5, $"max |average - mean of members| = {maxDiff}");
        // Different seeds give different nets, or the average is not an ensemble at all.
        Assert.True(singles[0].Select((s, i) => Math.Abs(s - singles[1][i])).Max() > 1e-3, "the two seeds trained the same net");
    }

    [SharedDataFact("stocknet")]
    public void GbmExportScoresEveryRowAndSeparatesClassesInSample()
    {
        var data = PriceDataset.Build(fixture.Data, new DateOnly(2015, 8, 1), new DateOnly(2015, 10, 1));
        var (onnx, input, output) = new GbmPriceTrainer().Train(data, new GbmPriceTrainer.Config(7, 20, 0.1, 50, 1.0));
        using var model = new PriceModel(onnx, Card("gbm", input, null, output));
        var scores = model.Scores(data.Features, null, data.Rows);
        // In sample, boosted trees must rank rises above falls: a broken export (wrong input wiring) would not.
        var up = Enumerable.Range(0, data.Rows).Where(i => data.Samples[i].Up).Average(i => scores[i]);
        var down = Enumerable.Range(0, data.Rows).Where(i => !data.Samples[i].Up).Average(i => scores[i]);
        Assert.True(up > down + 0.1, $"mean score up {up:F3} vs down {down:F3}");
    }

    [SharedDataFact("stocknet")]
    public void GbmSeedBagGraphOutputsTheMeanOfItsMembersScoresAndABagOfOneIsTheSingleModel()
    {
        var data = PriceDataset.Build(fixture.Data, new DateOnly(2015, 8, 1), new DateOnly(2015, 10, 1));
        var fit = data.Where(s => s.Target < new DateOnly(2015, 9, 10));
        var rows = data.Where(s => s.Target >= new DateOnly(2015, 9, 10));
        var config = new GbmPriceTrainer.Config(7, 20, 0.1, 40, 0.5); // feature fraction < 1: the seed changes the trees
        var members = new[] { 17, 18, 19 }.Select(seed => new GbmPriceTrainer(seed).Train(fit, config)).ToList();
        var (input, output) = (members[0].Input, members[0].ScoreOutput);
        var singles = members.Select(m =>
        {
            using var single = new PriceModel(m.Onnx, Card("gbm", input, null, output));
            return single.Scores(rows.Features, null, rows.Rows);
        }).ToList();

        var bag = OnnxGraphAverage.Average([.. members.Select(m => m.Onnx)], output);
        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bag))
        {
            Assert.Equal([input], session.InputMetadata.Keys); // one shared features input, as served today
            Assert.Equal([output], session.OutputMetadata.Keys); // one score output under the single model's name
        }
        using var bagged = new PriceModel(bag, Card("gbm", input, null, output));
        var scores = bagged.Scores(rows.Features, null, rows.Rows);
        Assert.True(rows.Rows > 500);
        Assert.Equal(rows.Rows, scores.Length);
        var maxDiff = scores.Select((s, i) => Math.Abs(s - singles.Average(m => m[i]))).Max();
        Assert.True(maxDiff <= 1e-5, $"max |bag - mean of members| = {maxDiff}");
        Assert.True(singles[0].Select((s, i) => Math.Abs(s - singles[1][i])).Max() > 1e-3, "two seeds grew the same trees: the bag proves nothing");

        using var one = new PriceModel(OnnxGraphAverage.Average([members[0].Onnx], output), Card("gbm", input, null, output));
        Assert.Equal(singles[0], one.Scores(rows.Features, null, rows.Rows));
    }

    [SharedDataFact("stocknet")]
    public void AveragingGraphsThatReadDifferentInputsOrLackTheOutputIsRefused()
    {
        var data = PriceDataset.Build(fixture.Data, new DateOnly(2015, 8, 1), new DateOnly(2015, 9, 1));
        var (gbm, _, output) = new GbmPriceTrainer().Train(data, new GbmPriceTrainer.Config(3, 20, 0.1, 5, 1.0));
        var g = new OnnxGraphWriter();
        g.Input("other", (long?)null, PriceFeatures.Count);
        g.Output(output, (long?)null, PriceFeatures.Count);
        g.Node("Identity", ["other"], [output]);
        var other = g.ToModel("other", 17, "test");

        var inputs = Assert.Throws<InvalidDataException>(() => OnnxGraphAverage.Average([gbm, other], output));
        Assert.Contains("reads inputs [other]", inputs.Message);
        var missing = Assert.Throws<InvalidDataException>(() => OnnxGraphAverage.Average([gbm], "no_such_output"));
        Assert.Contains("no output 'no_such_output'", missing.Message);
    }

    [Fact]
    public void PlattScalingRecoversAKnownLogistic()
    {
        var rng = new Random(3);
        var scores = new List<double>();
        var labels = new List<bool>();
        for (var i = 0; i < 20_000; i++)
        {
            var s = rng.NextDouble() * 6 - 3;
            scores.Add(s);
            labels.Add(rng.NextDouble() < 1 / (1 + Math.Exp(-(0.8 * s - 0.3))));
        }
        var (a, b) = Calibration.FitPlatt(scores, labels);
        Assert.InRange(a, 0.72, 0.88);
        Assert.InRange(b, -0.38, -0.22);
    }

    [Fact]
    public void TorchSharpNativeLibraryIsMadeLoadableByMarkingOneVersionWeak()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var original = File.ReadAllBytes(Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
        var copy = (byte[])original.Clone();
        Assert.True(TorchNativeCompat.MakeVersionWeak(copy, "GLIBCXX_3.4.32"));
        Assert.Equal(1, original.Zip(copy).Count(p => p.First != p.Second));
        Assert.False(TorchNativeCompat.MakeVersionWeak(copy, "GLIBCXX_3.4.32"));
        Assert.True(File.Exists(path));
    }
}
