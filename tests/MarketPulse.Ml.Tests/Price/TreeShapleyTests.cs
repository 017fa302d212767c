using MarketPulse.Ml.Onnx;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Price;

namespace MarketPulse.Ml.Tests.Price;

[Collection(StockNetCollection.Name)]
public class TreeShapleyTests(StockNetFixture fixture)
{
    private static readonly int F = PriceFeatures.Count;

    internal static byte[] ShippedOnnx => File.ReadAllBytes(RepoPaths.Path("models", PriceModel.DefaultFileName));

    internal static TreeEnsemble ShippedTrees(PriceModel model) =>
        TreeEnsemble.TryRead(ShippedOnnx, model.Card.FeaturesInput, model.Card.ScoreOutput, F, out var reason)
        ?? throw new InvalidDataException(reason);

    /// <summary>Real dev-period rows, plus varied ones: two rows' features mixed, features pushed far out, a few NaN.</summary>
    internal static List<float[]> Rows(StockNetFixture fixture, int real, int varied)
    {
        var data = PriceDataset.Build(fixture.Data, new DateOnly(2015, 8, 1), new DateOnly(2015, 10, 1));
        var step = Math.Max(1, data.Rows / real);
        var rows = Enumerable.Range(0, real).Select(i => data.Features.AsSpan((i * step % data.Rows) * F, F).ToArray()).ToList();
        var random = new Random(5);
        for (var i = 0; i < varied; i++)
        {
            var a = rows[random.Next(real)];
            var b = rows[random.Next(real)];
            var row = new float[F];
            for (var j = 0; j < F; j++)
                row[j] = random.Next(10) switch
                {
                    < 4 => a[j],
                    < 8 => b[j],
                    8 => a[j] * (float)(1 + 4 * random.NextDouble()) - (float)random.NextDouble(),
                    _ => i % 5 == 0 ? float.NaN : -a[j],
                };
            rows.Add(row);
        }
        return rows;
    }

    [SharedDataFact("stocknet")]
    public void ShippedModelsTreesScoreLikeOnnxRuntime()
    {
        using var model = Repo.ShippedPriceModel();
        var trees = ShippedTrees(model);
        Assert.Equal(16 * 150, trees.TreeCount);
        var rows = Rows(fixture, 200, 100);
        Assert.Contains(rows, r => r.Any(float.IsNaN));
        // Rows with features exactly at split thresholds, where <= and < part ways.
        var random = new Random(9);
        foreach (var row in rows.Take(50).ToList())
        {
            var atThreshold = (float[])row.Clone();
            for (var j = 0; j < F; j++)
            {
                var thresholds = trees.Thresholds(j);
                if (thresholds.Count > 0 && random.Next(2) == 0) atThreshold[j] = thresholds[random.Next(thresholds.Count)];
            }
            rows.Add(atThreshold);
        }
        var runtime = model.Scores([.. rows.SelectMany(r => r)], null, rows.Count);

        var diffs = rows.Select((r, i) => Math.Abs(trees.Score(r) - runtime[i])).ToList();
        Assert.True(diffs.Max() < 1e-5, $"max |trees - onnx runtime| = {diffs.Max():E2}");
        Assert.True(runtime.Max() - runtime.Min() > 0.05, "the rows must not all score alike, or the match proves little");

        // One member's path (Identity over a TreeEnsembleRegressor) is what a single ML.NET export serves: the bag's
        // score is the mean of the 16 members read alone.
        var members = Enumerable.Range(0, 16).Select(k =>
            TreeEnsemble.TryRead(ShippedOnnx, "Features", $"m{k}_Score.output", F, out var reason) ?? throw new InvalidDataException(reason)).ToList();
        Assert.All(members, m => Assert.Equal(150, m.TreeCount));
        foreach (var row in rows.Take(20))
            Assert.Equal(trees.Score(row), members.Average(m => m.Score(row)), 12);
    }

    [SharedDataFact("stocknet")]
    public void SingleMlNetLightGbmExportIsReadAndScoresLikeOnnxRuntime()
    {
        var data = PriceDataset.Build(fixture.Data, new DateOnly(2015, 8, 1), new DateOnly(2015, 9, 1));
        var (onnx, input, output) = new GbmPriceTrainer().Train(data, new GbmPriceTrainer.Config(7, 20, 0.1, 30, 1.0));
        var trees = TreeEnsemble.TryRead(onnx, input, output, F, out var reason);
        Assert.True(trees is not null, reason);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        var rows = Math.Min(data.Rows, 300);
        using var results = session.Run(
            [Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(input,
                new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(data.Features.AsMemory(0, rows * F), [rows, F]))],
            [output]);
        var runtime = results[0].AsEnumerable<float>().ToArray();
        var maxDiff = Enumerable.Range(0, rows).Max(i => Math.Abs(runtime[i] - trees!.Score(data.Features.AsSpan(i * F, F))));
        Assert.True(maxDiff < 1e-5, $"max |trees - onnx runtime| = {maxDiff:E2}");
    }

    [SharedDataFact("stocknet")]
    public void EachTreesShapleyValuesEqualBruteForceOverTheSubsetsOfItsFeatures()
    {
        using var model = Repo.ShippedPriceModel();
        var trees = ShippedTrees(model);
        var rows = Rows(fixture, 8, 4);
        // Against the training means (as served) and against another row (features that recur on a path matter more).
        var pairs = rows.Select(r => (X: r, R: model.Card.FeatureMeans)).Concat(rows.Zip(rows.Skip(1), (a, b) => (X: a, R: b))).ToList();
        var fast = new double[F];
        var checkedForks = 0;
        foreach (var (x, r) in pairs)
        {
            for (var t = 0; t < trees.TreeCount; t++)
            {
                Array.Clear(fast);
                TreeShapley.AddTree(trees, t, x, r, fast);
                var brute = BruteForce(trees, t, x, r);
                for (var j = 0; j < F; j++)
                    Assert.True(Math.Abs(fast[j] - brute[j]) < 1e-12, $"tree {t} feature {j}: fast {fast[j]:E6} vs brute force {brute[j]:E6}");
                if (brute.Count(v => v != 0) > 1) checkedForks++;
                // Per tree too, the values add up to the tree's part of f(x) - f(r).
                Assert.Equal(trees.TreeValue(t, x) - trees.TreeValue(t, r), fast.Sum(), 12);
            }
        }
        Assert.True(checkedForks > 1000, $"only {checkedForks} trees had more than one feature at play");
    }

    /// <summary>φ_j = Σ over S ⊆ U∖{j} of |S|!(n−|S|−1)!/n!·(v(S ∪ j) − v(S)), U the n features the tree splits on.</summary>
    private static double[] BruteForce(TreeEnsemble trees, int tree, float[] x, float[] r)
    {
        var used = trees.TreeFeatures(tree);
        var n = used.Count;
        var phi = new double[F];
        double Value(int mask)
        {
            var z = (float[])r.Clone();
            for (var k = 0; k < n; k++) if ((mask & (1 << k)) != 0) z[used[k]] = x[used[k]];
            return trees.TreeValue(tree, z);
        }
        double Factorial(int k) => k <= 1 ? 1 : k * Factorial(k - 1);
        for (var k = 0; k < n; k++)
        {
            for (var mask = 0; mask < 1 << n; mask++)
            {
                if ((mask & (1 << k)) != 0) continue;
                var size = System.Numerics.BitOperations.PopCount((uint)mask);
                phi[used[k]] += Factorial(size) * Factorial(n - size - 1) / Factorial(n) * (Value(mask | (1 << k)) - Value(mask));
            }
        }
        return phi;
    }
}
