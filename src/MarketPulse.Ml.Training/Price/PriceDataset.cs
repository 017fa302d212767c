using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Ml.Training.Price;

/// <summary>Samples of one period as dense rows: the same <see cref="PriceFeatures"/> the service computes.</summary>
public sealed class PriceDataset
{
    public required IReadOnlyList<StockNetSample> Samples { get; init; }
    /// <summary>[rows × <see cref="PriceFeatures.Count"/>]</summary>
    public required float[] Features { get; init; }
    /// <summary>[rows × days × width]</summary>
    public required float[] Sequences { get; init; }
    public int Rows => Samples.Count;

    public static int SequenceSize => PriceFeatures.SequenceDays * PriceFeatures.SequenceWidth;

    public static PriceDataset Build(StockNetData data, DateOnly from, DateOnly to)
    {
        var all = data.Samples(from, to);
        var samples = new List<StockNetSample>(all.Count);
        var features = new List<float>(all.Count * PriceFeatures.Count);
        var sequences = new List<float>(all.Count * SequenceSize);
        var row = new float[PriceFeatures.Count];
        var seq = new float[SequenceSize];
        foreach (var s in all)
        {
            var inputs = data.Inputs(s.Symbol, s.Target);
            // A sample with no earlier bar has nothing a model could learn from.
            if (!PriceFeatures.TryCompute(inputs, row)) continue;
            PriceFeatures.TryComputeSequence(inputs, seq);
            samples.Add(s);
            features.AddRange(row);
            sequences.AddRange(seq);
        }
        return new PriceDataset { Samples = samples, Features = [.. features], Sequences = [.. sequences] };
    }

    public PriceDataset Where(Func<StockNetSample, bool> keep)
    {
        var idx = Enumerable.Range(0, Rows).Where(i => keep(Samples[i])).ToArray();
        var f = new float[idx.Length * PriceFeatures.Count];
        var q = new float[idx.Length * SequenceSize];
        for (var k = 0; k < idx.Length; k++)
        {
            Array.Copy(Features, idx[k] * PriceFeatures.Count, f, k * PriceFeatures.Count, PriceFeatures.Count);
            Array.Copy(Sequences, idx[k] * SequenceSize, q, k * SequenceSize, SequenceSize);
        }
        return new PriceDataset { Samples = idx.Select(i => Samples[i]).ToList(), Features = f, Sequences = q };
    }

    /// <summary>A copy with the given feature columns set to 0 (how the price-only model is trained and served).</summary>
    public PriceDataset Masked(IReadOnlyCollection<int> columns)
    {
        var f = (float[])Features.Clone();
        for (var r = 0; r < Rows; r++)
            foreach (var c in columns) f[r * PriceFeatures.Count + c] = 0;
        return new PriceDataset { Samples = Samples, Features = f, Sequences = Sequences };
    }

    public float[] FeatureMeans()
    {
        var means = new double[PriceFeatures.Count];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < means.Length; c++) means[c] += Features[r * means.Length + c];
        return means.Select(m => (float)(m / Math.Max(1, Rows))).ToArray();
    }

    public float[] SequenceMeans()
    {
        var w = PriceFeatures.SequenceWidth;
        var means = new double[w];
        var n = Rows * PriceFeatures.SequenceDays;
        for (var i = 0; i < Sequences.Length; i++) means[i % w] += Sequences[i];
        return means.Select(m => (float)(m / Math.Max(1, n))).ToArray();
    }
}
