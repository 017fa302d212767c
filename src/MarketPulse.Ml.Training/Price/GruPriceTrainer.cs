using MarketPulse.Ml.Price;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MarketPulse.Ml.Training.Price;

/// <summary>
/// The deep price model: a GRU over the last <see cref="PriceFeatures.SequenceDays"/> days' rows, its final hidden state
/// joined with the standardised feature vector, then a two-layer head to one logit. Trained in TorchSharp (Adam, binary
/// cross-entropy), the epoch kept is the one with the lowest log-loss on a held-out slice at the end of the training period
/// (never the dev or test period), and the net is written to ONNX with the
/// standard GRU operator (<c>linear_before_reset=1</c> is PyTorch's formulation) by <see cref="OnnxGraphWriter"/>.
/// </summary>
public sealed class GruPriceTrainer(GruPriceTrainer.Options options, TextWriter progress)
{
    public const string FeaturesInput = "features";
    public const string SequenceInput = "sequence";
    public const string ScoreOutput = "logit";

    public sealed record Options(int Hidden = 32, int Head = 32, int Epochs = 12, int BatchSize = 256, double LearningRate = 2e-3,
        double WeightDecay = 1e-4, int Seed = 17)
    {
        public override string ToString() => $"hidden={Hidden} head={Head} epochs≤{Epochs} batch={BatchSize} lr={LearningRate} wd={WeightDecay}";
    }

    internal sealed class Net : nn.Module<Tensor, Tensor, Tensor>
    {
        public readonly GRU gru;
        public readonly Linear fc1, fc2;
        public readonly Tensor seqMean, seqStd, featMean, featStd;
        private readonly int _hidden;

        public Net(int width, int features, int hidden, int head, float[] sm, float[] ss, float[] fm, float[] fs) : base("price_gru")
        {
            _hidden = hidden;
            gru = nn.GRU(width, hidden, batchFirst: true);
            fc1 = nn.Linear(hidden + features, head);
            fc2 = nn.Linear(head, 1);
            seqMean = tensor(sm); seqStd = tensor(ss); featMean = tensor(fm); featStd = tensor(fs);
            RegisterComponents();
        }

        public override Tensor forward(Tensor sequence, Tensor features)
        {
            var s = (sequence - seqMean) / seqStd;
            var (_, h) = gru.forward(s);
            var f = (features - featMean) / featStd;
            var z = cat([h.reshape(-1, _hidden), f], 1);
            return fc2.forward(nn.functional.relu(fc1.forward(z))).reshape(-1);
        }
    }

    internal Net? Model { get; private set; }
    private float[] _sm = [], _ss = [], _fm = [], _fs = [];
    private Dictionary<string, float[]>? _best;

    /// <summary>The holdout log-loss of the epoch kept, and that epoch.</summary>
    public double BestHoldoutLoss { get; private set; } = double.NaN;
    public int BestEpoch { get; private set; }
    public int Seed => options.Seed;

    /// <returns>The ONNX bytes of the epoch with the lowest log-loss on <paramref name="holdout"/>.</returns>
    public byte[] Train(PriceDataset train, PriceDataset holdout)
    {
        TorchNativeCompat.EnsureLoadable();
        random.manual_seed(options.Seed);
        var w = PriceFeatures.SequenceWidth;
        var days = PriceFeatures.SequenceDays;
        var nf = PriceFeatures.Count;
        (_sm, _ss) = Moments(train.Sequences, w);
        (_fm, _fs) = Moments(train.Features, nf);
        var net = Model = new Net(w, nf, options.Hidden, options.Head, _sm, _ss, _fm, _fs);
        var optimizer = optim.Adam(net.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        using var xs = tensor(train.Sequences, [train.Rows, days, w]);
        using var xf = tensor(train.Features, [train.Rows, nf]);
        using var y = tensor(train.Samples.Select(s => s.Up ? 1f : 0f).ToArray());
        using var dxs = tensor(holdout.Sequences, [holdout.Rows, days, w]);
        using var dxf = tensor(holdout.Features, [holdout.Rows, nf]);
        using var dy = tensor(holdout.Samples.Select(s => s.Up ? 1f : 0f).ToArray());
        var rng = new Random(options.Seed);
        var best = double.MaxValue;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            net.train();
            var order = Enumerable.Range(0, train.Rows).OrderBy(_ => rng.Next()).ToArray();
            double total = 0;
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var idx = tensor(order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray());
                optimizer.zero_grad();
                var logits = net.forward(xs.index_select(0, idx), xf.index_select(0, idx));
                var loss = nn.functional.binary_cross_entropy_with_logits(logits, y.index_select(0, idx));
                loss.backward();
                optimizer.step();
                total += loss.item<float>() * idx.shape[0];
            }
            net.eval();
            double devLoss;
            using (no_grad())
            using (var scope = NewDisposeScope())
                devLoss = nn.functional.binary_cross_entropy_with_logits(net.forward(dxs, dxf), dy).item<float>();
            progress.WriteLine($"gru seed {options.Seed} epoch {epoch}/{options.Epochs}: train log-loss {total / train.Rows:F4}, holdout log-loss {devLoss:F4}");
            if (devLoss < best)
            {
                best = devLoss;
                _best = Parameters();
                BestHoldoutLoss = devLoss;
                BestEpoch = epoch;
            }
        }
        return ExportOnnx(_best!);
    }

    /// <summary>TorchSharp's logits for rows (the reference the ONNX export must match).</summary>
    public float[] TorchLogits(float[] features, float[] sequences, int rows)
    {
        var net = Model ?? throw new InvalidOperationException("not trained");
        net.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var logits = net.forward(tensor(sequences, [rows, PriceFeatures.SequenceDays, PriceFeatures.SequenceWidth]), tensor(features, [rows, PriceFeatures.Count]));
        return logits.data<float>().ToArray();
    }

    private Dictionary<string, float[]> Parameters()
    {
        var net = Model ?? throw new InvalidOperationException("not trained");
        return net.named_parameters().ToDictionary(x => x.name, x => x.parameter.detach().cpu().data<float>().ToArray());
    }

    /// <summary>The current weights as an ONNX graph (opset 17).</summary>
    public byte[] ExportOnnx() => ExportOnnx(Parameters());

    private byte[] ExportOnnx(Dictionary<string, float[]> parameters)
    {
        var g = Graph();
        AddMember(g, parameters, "", ScoreOutput);
        return g.ToModel("price_gru", 17, "marketpulse-train");
    }

    /// <summary>
    /// One ONNX graph holding several trained nets (e.g. one per seed), each at its kept epoch, that outputs the mean of
    /// their logits: a seed ensemble served as a single model by the same <c>PriceModel</c> wrapper.
    /// </summary>
    public static byte[] ExportAverage(IReadOnlyList<GruPriceTrainer> members)
    {
        if (members.Count == 0) throw new ArgumentException("no members", nameof(members));
        return MarketPulse.Ml.Onnx.OnnxGraphAverage.Average(
            [.. members.Select(m => m.ExportOnnx(m._best ?? throw new InvalidOperationException("member not trained")))], ScoreOutput);
    }

    private static OnnxGraphWriter Graph()
    {
        var g = new OnnxGraphWriter();
        g.Input(SequenceInput, (long?)null, PriceFeatures.SequenceDays, PriceFeatures.SequenceWidth);
        g.Input(FeaturesInput, (long?)null, PriceFeatures.Count);
        g.Output(ScoreOutput, (long?)null);
        return g;
    }

    /// <summary>Adds one net's initializers and nodes (names prefixed) reading the shared inputs and writing <paramref name="output"/> [N].</summary>
    private void AddMember(OnnxGraphWriter g, Dictionary<string, float[]> p, string x, string output)
    {
        var h = options.Hidden;
        // PyTorch stacks gates (r, z, n); ONNX expects (z, r, h).
        float[] Reorder(float[] v, int cols) =>
        [
            .. v.AsSpan(h * cols, h * cols).ToArray(), .. v.AsSpan(0, h * cols).ToArray(), .. v.AsSpan(2 * h * cols, h * cols).ToArray(),
        ];
        var w = PriceFeatures.SequenceWidth;
        var nf = PriceFeatures.Count;
        g.Initializer($"{x}seq_mean", _sm, w);
        g.Initializer($"{x}seq_std", _ss, w);
        g.Initializer($"{x}feat_mean", _fm, nf);
        g.Initializer($"{x}feat_std", _fs, nf);
        g.Initializer($"{x}W", Reorder(p["gru.weight_ih_l0"], w), 1, 3 * h, w);
        g.Initializer($"{x}R", Reorder(p["gru.weight_hh_l0"], h), 1, 3 * h, h);
        g.Initializer($"{x}B", [.. Reorder(p["gru.bias_ih_l0"], 1), .. Reorder(p["gru.bias_hh_l0"], 1)], 1, 6 * h);
        g.Initializer($"{x}hidden_shape", [-1L, h], 2);
        g.Initializer($"{x}out_shape", [-1L], 1);
        g.Initializer($"{x}fc1_w", p["fc1.weight"], options.Head, h + nf);
        g.Initializer($"{x}fc1_b", p["fc1.bias"], options.Head);
        g.Initializer($"{x}fc2_w", p["fc2.weight"], 1, options.Head);
        g.Initializer($"{x}fc2_b", p["fc2.bias"], 1);
        g.Node("Sub", [SequenceInput, $"{x}seq_mean"], [$"{x}s1"]);
        g.Node("Div", [$"{x}s1", $"{x}seq_std"], [$"{x}s2"]);
        g.Node("Transpose", [$"{x}s2"], [$"{x}s3"], ("perm", new long[] { 1, 0, 2 }));
        g.Node("GRU", [$"{x}s3", $"{x}W", $"{x}R", $"{x}B"], ["", $"{x}h"], ("hidden_size", (long)h), ("linear_before_reset", 1L));
        g.Node("Reshape", [$"{x}h", $"{x}hidden_shape"], [$"{x}h2"]);
        g.Node("Sub", [FeaturesInput, $"{x}feat_mean"], [$"{x}f1"]);
        g.Node("Div", [$"{x}f1", $"{x}feat_std"], [$"{x}f2"]);
        g.Node("Concat", [$"{x}h2", $"{x}f2"], [$"{x}z"], ("axis", 1L));
        g.Node("Gemm", [$"{x}z", $"{x}fc1_w", $"{x}fc1_b"], [$"{x}a1"], ("transB", 1L));
        g.Node("Relu", [$"{x}a1"], [$"{x}a2"]);
        g.Node("Gemm", [$"{x}a2", $"{x}fc2_w", $"{x}fc2_b"], [$"{x}a3"], ("transB", 1L));
        g.Node("Reshape", [$"{x}a3", $"{x}out_shape"], [output]);
    }

    private static (float[] Mean, float[] Std) Moments(float[] values, int width)
    {
        var sum = new double[width];
        var sq = new double[width];
        var n = values.Length / width;
        for (var i = 0; i < values.Length; i++) { sum[i % width] += values[i]; sq[i % width] += (double)values[i] * values[i]; }
        var mean = new float[width];
        var std = new float[width];
        for (var c = 0; c < width; c++)
        {
            var m = sum[c] / Math.Max(1, n);
            var v = sq[c] / Math.Max(1, n) - m * m;
            mean[c] = (float)m;
            std[c] = v > 1e-12 ? (float)Math.Sqrt(v) : 1f;
        }
        return (mean, std);
    }
}
