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
        byte[]? bestOnnx = null;
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
            progress.WriteLine($"gru epoch {epoch}/{options.Epochs}: train log-loss {total / train.Rows:F4}, holdout log-loss {devLoss:F4}");
            if (devLoss < best)
            {
                best = devLoss;
                bestOnnx = ExportOnnx();
            }
        }
        return bestOnnx!;
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

    /// <summary>The current weights as an ONNX graph (opset 17).</summary>
    public byte[] ExportOnnx()
    {
        var net = Model ?? throw new InvalidOperationException("not trained");
        var h = options.Hidden;
        var p = net.named_parameters().ToDictionary(x => x.name, x => x.parameter.detach().cpu().data<float>().ToArray());
        // PyTorch stacks gates (r, z, n); ONNX expects (z, r, h).
        float[] Reorder(float[] v, int cols) =>
        [
            .. v.AsSpan(h * cols, h * cols).ToArray(), .. v.AsSpan(0, h * cols).ToArray(), .. v.AsSpan(2 * h * cols, h * cols).ToArray(),
        ];
        var w = PriceFeatures.SequenceWidth;
        var nf = PriceFeatures.Count;
        var g = new OnnxGraphWriter();
        g.Input(SequenceInput, (long?)null, PriceFeatures.SequenceDays, w);
        g.Input(FeaturesInput, (long?)null, nf);
        g.Output(ScoreOutput, (long?)null);
        g.Initializer("seq_mean", _sm, w);
        g.Initializer("seq_std", _ss, w);
        g.Initializer("feat_mean", _fm, nf);
        g.Initializer("feat_std", _fs, nf);
        g.Initializer("W", Reorder(p["gru.weight_ih_l0"], w), 1, 3 * h, w);
        g.Initializer("R", Reorder(p["gru.weight_hh_l0"], h), 1, 3 * h, h);
        g.Initializer("B", [.. Reorder(p["gru.bias_ih_l0"], 1), .. Reorder(p["gru.bias_hh_l0"], 1)], 1, 6 * h);
        g.Initializer("hidden_shape", [-1L, h], 2);
        g.Initializer("out_shape", [-1L], 1);
        g.Initializer("fc1_w", p["fc1.weight"], options.Head, h + nf);
        g.Initializer("fc1_b", p["fc1.bias"], options.Head);
        g.Initializer("fc2_w", p["fc2.weight"], 1, options.Head);
        g.Initializer("fc2_b", p["fc2.bias"], 1);
        g.Node("Sub", [SequenceInput, "seq_mean"], ["s1"]);
        g.Node("Div", ["s1", "seq_std"], ["s2"]);
        g.Node("Transpose", ["s2"], ["s3"], ("perm", new long[] { 1, 0, 2 }));
        g.Node("GRU", ["s3", "W", "R", "B"], ["", "h"], ("hidden_size", (long)h), ("linear_before_reset", 1L));
        g.Node("Reshape", ["h", "hidden_shape"], ["h2"]);
        g.Node("Sub", [FeaturesInput, "feat_mean"], ["f1"]);
        g.Node("Div", ["f1", "feat_std"], ["f2"]);
        g.Node("Concat", ["h2", "f2"], ["z"], ("axis", 1L));
        g.Node("Gemm", ["z", "fc1_w", "fc1_b"], ["a1"], ("transB", 1L));
        g.Node("Relu", ["a1"], ["a2"]);
        g.Node("Gemm", ["a2", "fc2_w", "fc2_b"], ["a3"], ("transB", 1L));
        g.Node("Reshape", ["a3", "out_shape"], [ScoreOutput]);
        return g.ToModel("price_gru", 17, "marketpulse-train");
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
