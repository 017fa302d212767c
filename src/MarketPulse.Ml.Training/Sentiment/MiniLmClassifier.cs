using MarketPulse.Ml.Sentiment;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MarketPulse.Ml.Training.Sentiment;

/// <summary>
/// all-MiniLM-L6-v2 rebuilt in TorchSharp (BERT: 6 layers, hidden 384, 12 heads, GELU, LayerNorm eps 1e-12) with mean
/// pooling and a linear 3-class head, so the encoder itself can be fine-tuned. Parameter names follow the Hugging Face
/// checkpoint, which is how they are matched to the ONNX initializers in both directions.
/// </summary>
public sealed class MiniLmClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    private const double LayerNormEps = 1e-12;
    private const int Hidden = MiniLmAssets.HiddenSize;

    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm embeddings_LayerNorm;
    private readonly ModuleList<EncoderLayer> layers;
    private readonly Dropout dropout;
    private readonly Linear head;

    static MiniLmClassifier() => TorchNativeCompat.EnsureLoadable();

    public MiniLmClassifier(double dropoutRate = 0.1) : base(nameof(MiniLmClassifier))
    {
        word_embeddings = nn.Embedding(30522, Hidden);
        position_embeddings = nn.Embedding(512, Hidden);
        token_type_embeddings = nn.Embedding(2, Hidden);
        embeddings_LayerNorm = nn.LayerNorm([Hidden], LayerNormEps);
        layers = new ModuleList<EncoderLayer>([.. Enumerable.Range(0, MiniLmAssets.Layers).Select(_ => new EncoderLayer(dropoutRate))]);
        dropout = nn.Dropout(dropoutRate);
        head = nn.Linear(Hidden, 3);
        RegisterComponents();
    }

    /// <summary>Mean-pooled sentence embedding over real tokens, [batch, 384].</summary>
    public Tensor Embed(Tensor ids, Tensor mask)
    {
        var length = ids.shape[1];
        var positions = arange(length, dtype: ScalarType.Int64, device: ids.device).unsqueeze(0);
        var x = word_embeddings.call(ids) + position_embeddings.call(positions) + token_type_embeddings.call(zeros_like(ids));
        x = dropout.call(embeddings_LayerNorm.call(x));
        // The exported graph adds (1 - mask) * -10000 to the attention scores; do the same so both agree to float precision.
        var maskBias = ((1 - mask.to_type(ScalarType.Float32)) * -10000f).unsqueeze(1).unsqueeze(2);
        foreach (var layer in layers) x = layer.call(x, maskBias);
        var m = mask.to_type(ScalarType.Float32).unsqueeze(-1);
        return (x * m).sum(1) / m.sum(1).clamp_min(1e-9);
    }

    public override Tensor forward(Tensor ids, Tensor mask) => head.call(dropout.call(Embed(ids, mask)));

    /// <summary>Torch names of the tensors that travel to the ONNX graph: every encoder layer parameter.</summary>
    public static IEnumerable<string> EncoderParameterNames()
    {
        string[] linears = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense"];
        string[] norms = ["attention.output.LayerNorm", "output.LayerNorm"];
        for (var l = 0; l < MiniLmAssets.Layers; l++)
        {
            foreach (var lin in linears) { yield return $"encoder.layer.{l}.{lin}.weight"; yield return $"encoder.layer.{l}.{lin}.bias"; }
            foreach (var n in norms) { yield return $"encoder.layer.{l}.{n}.weight"; yield return $"encoder.layer.{l}.{n}.bias"; }
        }
    }

    /// <summary>The module's parameter for a Hugging Face name.</summary>
    public Parameter Find(string hfName)
    {
        var parts = hfName.Split('.');
        if (parts[0] == "embeddings")
        {
            return (parts[1], parts[2]) switch
            {
                ("word_embeddings", "weight") => word_embeddings.weight!,
                ("position_embeddings", "weight") => position_embeddings.weight!,
                ("token_type_embeddings", "weight") => token_type_embeddings.weight!,
                ("LayerNorm", "weight") => embeddings_LayerNorm.weight!,
                ("LayerNorm", "bias") => embeddings_LayerNorm.bias!,
                _ => throw new KeyNotFoundException(hfName),
            };
        }
        if (parts is ["encoder", "layer", var index, .. var rest])
            return layers[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)].Find(string.Join('.', rest));
        if (parts is ["head", var p]) return p == "weight" ? head.weight! : head.bias!;
        throw new KeyNotFoundException(hfName);
    }

    public static IEnumerable<string> EmbeddingParameterNames() =>
        ["embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
         "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"];

    /// <summary>Copies the pretrained encoder from the ONNX graph; the head keeps its fresh initialisation.</summary>
    public void LoadPretrained(OnnxInitializers onnx)
    {
        using var _ = no_grad();
        foreach (var name in EmbeddingParameterNames().Concat(EncoderParameterNames()))
        {
            var (t, transposed) = onnx.Parameter(name);
            var value = tensor(t.Data, t.Dims);
            if (transposed) value = value.t();
            var p = Find(name);
            if (!p.shape.SequenceEqual(value.shape))
                throw new InvalidDataException($"{name}: ONNX shape [{string.Join(", ", value.shape)}] vs module [{string.Join(", ", p.shape)}]");
            p.copy_(value);
        }
    }

    /// <summary>The encoder layers in ONNX layout and names, plus the head: what <see cref="TransformerSentimentScorer"/> loads.</summary>
    public TunedWeights Export(OnnxInitializers onnx)
    {
        using var _ = no_grad();
        var tensors = new List<NamedTensor>();
        foreach (var name in EncoderParameterNames())
        {
            var (t, transposed) = onnx.Parameter(name);
            var value = Find(name).detach();
            if (transposed) value = value.t();
            tensors.Add(new NamedTensor(t.Name, t.Dims, value.contiguous().data<float>().ToArray()));
        }
        tensors.Add(new NamedTensor(TunedWeights.HeadWeight, [3, Hidden], head.weight!.detach().contiguous().data<float>().ToArray()));
        tensors.Add(new NamedTensor(TunedWeights.HeadBias, [3], head.bias!.detach().contiguous().data<float>().ToArray()));
        return new TunedWeights(tensors);
    }

    public void FreezeEmbeddings()
    {
        foreach (var name in EmbeddingParameterNames()) Find(name).requires_grad = false;
    }

    public IEnumerable<Parameter> HeadParameters() => [head.weight!, head.bias!];

    public IEnumerable<Parameter> EncoderParameters() => EncoderParameterNames().Select(Find);

    /// <summary>The parameters of one encoder layer (0 = bottom), for layer-wise learning rates.</summary>
    public IEnumerable<Parameter> EncoderLayerParameters(int layer) =>
        EncoderParameterNames().Where(n => n.StartsWith($"encoder.layer.{layer}.", StringComparison.Ordinal)).Select(Find);

    private sealed class EncoderLayer : nn.Module<Tensor, Tensor, Tensor>
    {
        private const int Heads = MiniLmAssets.Heads;
        private readonly Linear query, key, value, attention_output, intermediate, output;
        private readonly LayerNorm attention_norm, output_norm;
        private readonly Dropout dropout;

        public EncoderLayer(double dropoutRate) : base(nameof(EncoderLayer))
        {
            query = nn.Linear(Hidden, Hidden);
            key = nn.Linear(Hidden, Hidden);
            value = nn.Linear(Hidden, Hidden);
            attention_output = nn.Linear(Hidden, Hidden);
            attention_norm = nn.LayerNorm([Hidden], LayerNormEps);
            intermediate = nn.Linear(Hidden, MiniLmAssets.IntermediateSize);
            output = nn.Linear(MiniLmAssets.IntermediateSize, Hidden);
            output_norm = nn.LayerNorm([Hidden], LayerNormEps);
            dropout = nn.Dropout(dropoutRate);
            RegisterComponents();
        }

        public Parameter Find(string name) => name switch
        {
            "attention.self.query.weight" => query.weight!,
            "attention.self.query.bias" => query.bias!,
            "attention.self.key.weight" => key.weight!,
            "attention.self.key.bias" => key.bias!,
            "attention.self.value.weight" => value.weight!,
            "attention.self.value.bias" => value.bias!,
            "attention.output.dense.weight" => attention_output.weight!,
            "attention.output.dense.bias" => attention_output.bias!,
            "attention.output.LayerNorm.weight" => attention_norm.weight!,
            "attention.output.LayerNorm.bias" => attention_norm.bias!,
            "intermediate.dense.weight" => intermediate.weight!,
            "intermediate.dense.bias" => intermediate.bias!,
            "output.dense.weight" => output.weight!,
            "output.dense.bias" => output.bias!,
            "output.LayerNorm.weight" => output_norm.weight!,
            "output.LayerNorm.bias" => output_norm.bias!,
            _ => throw new KeyNotFoundException(name),
        };

        public override Tensor forward(Tensor x, Tensor maskBias)
        {
            long batch = x.shape[0], length = x.shape[1];
            const int headSize = Hidden / Heads;
            Tensor Split(Tensor t) => t.view(batch, length, Heads, headSize).transpose(1, 2);
            var q = Split(query.call(x));
            var k = Split(key.call(x));
            var v = Split(value.call(x));
            var scores = q.matmul(k.transpose(-1, -2)) / MathF.Sqrt(headSize) + maskBias;
            var context = dropout.call(scores.softmax(-1)).matmul(v).transpose(1, 2).reshape(batch, length, Hidden);
            x = attention_norm.call(x + dropout.call(attention_output.call(context)));
            var h = nn.functional.gelu(intermediate.call(x));
            return output_norm.call(x + dropout.call(output.call(h)));
        }
    }
}
