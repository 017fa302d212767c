using Google.Protobuf;
using MarketPulse.Ml.Onnx;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Price;

namespace MarketPulse.Ml.Tests.Price;

/// <summary>How <see cref="PriceModel"/> explains: Shapley values for the tree ensembles, occlusion for anything else.</summary>
[Collection(StockNetCollection.Name)]
public class PriceExplanationTests(StockNetFixture fixture)
{
    private static readonly int F = PriceFeatures.Count;

    [SharedDataFact("stocknet")]
    public void ContributionsAddUpToTheProbabilityMinusTheReferencesAndAFeatureAtItsMeanGetsNone()
    {
        using var model = Repo.ShippedPriceModel();
        Assert.Equal(PriceExplanation.Shapley, model.Explanation);
        var reference = model.Card.FeatureMeans;
        var pReference = model.Calibrate(model.Scores(reference, null, 1)[0]);
        foreach (var row in TreeShapleyTests.Rows(fixture, 30, 0))
        {
            var prediction = model.PredictRow(row, topContributions: F);
            Assert.Equal(F, prediction.TopContributions.Count);
            Assert.Equal(model.PredictRow(row).ProbabilityUp, prediction.ProbabilityUp, 15);
            var sum = prediction.TopContributions.Sum(c => c.Contribution);
            Assert.True(Math.Abs(sum - (prediction.ProbabilityUp - pReference)) < 1e-9,
                $"sum {sum:E6} vs p - p(reference) {prediction.ProbabilityUp - pReference:E6}");
            Assert.True(prediction.TopContributions.Zip(prediction.TopContributions.Skip(1)).All(p => Math.Abs(p.First.Contribution) >= Math.Abs(p.Second.Contribution)));

            // The three largest contributors set to their means: they get exactly nothing, the rest still add up.
            var moved = (float[])row.Clone();
            foreach (var c in prediction.TopContributions.Take(3)) moved[Array.IndexOf(PriceFeatures.Names, c.Feature)] = reference[Array.IndexOf(PriceFeatures.Names, c.Feature)];
            var again = model.PredictRow(moved, topContributions: F);
            foreach (var c in prediction.TopContributions.Take(3))
                Assert.Equal(0.0, again.TopContributions.Single(a => a.Feature == c.Feature).Contribution);
            Assert.True(Math.Abs(again.TopContributions.Sum(c => c.Contribution) - (again.ProbabilityUp - pReference)) < 1e-9);
        }
        var atReference = model.PredictRow(reference, topContributions: F);
        Assert.Equal(pReference, atReference.ProbabilityUp, 15);
        Assert.All(atReference.TopContributions, c => Assert.Equal(0.0, c.Contribution));
    }

    [SharedDataFact("stocknet")]
    public void MaskedFeaturesAreLeftOutAndTheRestAddUpToTheMaskedReference()
    {
        // The price-only baseline masks the 7 text features: 0 in the row and in the reference, so no share and no entry.
        using var model = PriceModel.Load(RepoPaths.Path("models", "price-baseline.onnx"));
        Assert.Equal(PriceExplanation.Shapley, model.Explanation);
        Assert.Equal(7, model.Card.MaskedFeatures.Length);
        var reference = (float[])model.Card.FeatureMeans.Clone();
        foreach (var i in model.Card.MaskedFeatures) reference[i] = 0;
        var pReference = model.Calibrate(model.Scores(reference, null, 1)[0]);
        foreach (var row in TreeShapleyTests.Rows(fixture, 10, 0))
        {
            var prediction = model.PredictRow(row, topContributions: F);
            Assert.Equal(F - 7, prediction.TopContributions.Count);
            Assert.DoesNotContain(prediction.TopContributions, c => model.Card.MaskedFeatures.Contains(Array.IndexOf(PriceFeatures.Names, c.Feature)));
            Assert.True(Math.Abs(prediction.TopContributions.Sum(c => c.Contribution) - (prediction.ProbabilityUp - pReference)) < 1e-9);
        }
    }

    [SharedDataFact("stocknet")]
    public void ShapleySharesFollowTheTreesValuesInProbabilityUnits()
    {
        // Small moves: p − p(reference) ≈ σ'·A·Σφ, so each share must be close to σ'·A·φ_j from the trees alone.
        using var model = Repo.ShippedPriceModel();
        var trees = TreeShapleyTests.ShippedTrees(model);
        var row = TreeShapleyTests.Rows(fixture, 1, 0)[0];
        var phi = new double[F];
        TreeShapley.Add(trees, row, model.Card.FeatureMeans, phi);
        Assert.Equal(trees.Score(row) - trees.Score(model.Card.FeatureMeans), phi.Sum(), 10);
        var prediction = model.PredictRow(row, topContributions: F);
        var pRef = model.Calibrate(model.Scores(model.Card.FeatureMeans, null, 1)[0]);
        var slope = (prediction.ProbabilityUp - pRef) / phi.Sum();
        foreach (var c in prediction.TopContributions)
            Assert.Equal(slope * phi[Array.IndexOf(PriceFeatures.Names, c.Feature)], c.Contribution, 6);
    }

    [SharedDataFact("stocknet")]
    public void AGraphWithAnOpTheReaderDoesNotKnowIsStillExplainedByOcclusion()
    {
        // Max instead of Mean over the members: a valid graph ONNX Runtime serves, but not one the tree reader knows.
        var card = PriceModelCard.Parse(File.ReadAllText(RepoPaths.Path("models", "price.json")));
        var onnx = WithOpRenamed(TreeShapleyTests.ShippedOnnx, "Mean", "Max");
        Assert.Null(TreeEnsemble.TryRead(onnx, card.FeaturesInput, card.ScoreOutput, F, out var reason));
        Assert.Contains("Max", reason);
        using var model = new PriceModel(onnx, card);
        Assert.Equal(PriceExplanation.Occlusion, model.Explanation);
        Assert.Contains("Max", model.ExplanationNote);
        AssertOcclusion(model, TreeShapleyTests.Rows(fixture, 1, 0)[0], null);
    }

    [SharedDataFact("stocknet")]
    public void AGruModelIsStillExplainedByOcclusion()
    {
        var data = PriceDataset.Build(fixture.Data, new DateOnly(2015, 8, 1), new DateOnly(2015, 9, 1));
        var trainer = new GruPriceTrainer(new GruPriceTrainer.Options(Hidden: 4, Head: 4, Epochs: 1), TextWriter.Null);
        trainer.Train(data, data);
        var card = new PriceModelCard
        {
            Name = "test",
            Version = "v0",
            Kind = "gru",
            FeaturesInput = GruPriceTrainer.FeaturesInput,
            SequenceInput = GruPriceTrainer.SequenceInput,
            ScoreOutput = GruPriceTrainer.ScoreOutput,
            FeatureNames = PriceFeatures.Names,
            FeatureMeans = new float[F],
            SequenceMeans = new float[PriceFeatures.SequenceWidth],
            CalibrationA = 1,
            CalibrationB = 0,
            Sectors = [],
            SectorNames = [],
            TrainedOn = "test",
        };
        using var model = new PriceModel(trainer.ExportOnnx(), card);
        Assert.Equal(PriceExplanation.Occlusion, model.Explanation);
        AssertOcclusion(model, data.Features.AsSpan(0, F).ToArray(), data.Sequences.AsSpan(0, PriceDataset.SequenceSize).ToArray());
    }

    /// <summary>Occlusion: the top feature set to its mean moves the probability by exactly its contribution.</summary>
    private static void AssertOcclusion(PriceModel model, float[] row, float[]? sequence)
    {
        var explained = model.PredictRow(row, sequence, topContributions: 5);
        Assert.Equal(model.PredictRow(row, sequence).ProbabilityUp, explained.ProbabilityUp, 12);
        Assert.Equal(5, explained.TopContributions.Count);
        var top = explained.TopContributions.First(c => !c.Feature.StartsWith("seq:", StringComparison.Ordinal));
        Assert.NotEqual(0, top.Contribution);
        var index = Array.IndexOf(PriceFeatures.Names, top.Feature);
        var occluded = (float[])row.Clone();
        occluded[index] = model.Card.FeatureMeans[index];
        var seq = sequence ?? new float[PriceDataset.SequenceSize];
        Assert.Equal(explained.ProbabilityUp - model.Calibrate(model.Scores(occluded, seq, 1)[0]), top.Contribution, 6);
    }

    private static byte[] WithOpRenamed(byte[] onnx, string from, string to)
    {
        ByteString Node(ByteString node) => OnnxProtoReader.ReadNode(node).Op != from ? node : OnnxProtoWriter.Message(n =>
        {
            foreach (var f in OnnxProtoReader.ReadFields(node))
                if (f.Number == 4) OnnxProtoWriter.WriteString(n, 4, to);
                else OnnxProtoWriter.WriteField(n, f);
        });
        return OnnxProtoWriter.Message(m =>
        {
            foreach (var f in OnnxProtoReader.ReadFields(UnsafeByteOperations.UnsafeWrap(onnx)))
            {
                if (f.Number != 7) { OnnxProtoWriter.WriteField(m, f); continue; }
                OnnxProtoWriter.WriteMessage(m, 7, OnnxProtoWriter.Message(g =>
                {
                    foreach (var gf in OnnxProtoReader.ReadFields(f.Bytes!))
                        if (gf.Number == 1) OnnxProtoWriter.WriteMessage(g, 1, Node(gf.Bytes!));
                        else OnnxProtoWriter.WriteField(g, gf);
                }));
            }
        }).ToByteArray();
    }
}
