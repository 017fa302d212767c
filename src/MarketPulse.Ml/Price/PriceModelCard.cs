using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketPulse.Ml.Price;

/// <summary>
/// The machine-readable half of a shipped price model (<c>models/price*.json</c> beside the <c>.onnx</c>): what the
/// graph expects, how its raw score becomes a calibrated probability, and the baseline used for explanations.
/// </summary>
public sealed record PriceModelCard
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    /// <summary><c>gbm</c> (features only) or <c>gru</c> (day sequence + features).</summary>
    public required string Kind { get; init; }
    public string Horizon { get; init; } = "1d";
    /// <summary>ONNX input fed with the feature vector [N, features].</summary>
    public required string FeaturesInput { get; init; }
    /// <summary>ONNX input fed with the day sequence [N, days, width]; null when the model reads features only.</summary>
    public string? SequenceInput { get; init; }
    /// <summary>ONNX output holding the raw score (a logit or margin) per row.</summary>
    public required string ScoreOutput { get; init; }
    public required string[] FeatureNames { get; init; }
    /// <summary>Features the model does not read (set to 0 at training and serving), e.g. the text features of the price-only model.</summary>
    public int[] MaskedFeatures { get; init; } = [];
    /// <summary>Training means of the features: the occlusion baseline of explanations.</summary>
    public required float[] FeatureMeans { get; init; }
    public float[] SequenceMeans { get; init; } = [];
    /// <summary>Platt scaling fitted on a held-out slice at the end of the training period: p = σ(A·score + B).</summary>
    public required double CalibrationA { get; init; }
    public required double CalibrationB { get; init; }
    public required Dictionary<string, int> Sectors { get; init; }
    public required string[] SectorNames { get; init; }
    public required string TrainedOn { get; init; }
    public string? CalibratedOn { get; init; }
    public Dictionary<string, double> DevMetrics { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PriceModelCard Parse(string json) =>
        JsonSerializer.Deserialize<PriceModelCard>(json, Json) ?? throw new InvalidDataException("empty price model card");

    public int SectorOf(string symbol) => Sectors.TryGetValue(symbol.ToUpperInvariant(), out var s) ? s : -1;
}
