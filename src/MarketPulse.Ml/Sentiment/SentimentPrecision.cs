namespace MarketPulse.Ml.Sentiment;

/// <summary>Arithmetic of the sentiment transformer's weight matrix multiplies (setting <c>MarketPulse:Sentiment:Precision</c>, <c>eval sentiment --precision</c>).</summary>
public enum SentimentPrecision
{
    /// <summary>The graph as trained: float32 everywhere.</summary>
    Float32,

    /// <summary>Weight MatMuls as dynamic int8 (<see cref="DynamicInt8Quantizer"/>); everything else stays float32.</summary>
    Int8,
}

public static class SentimentPrecisions
{
    /// <summary>The names accepted in configuration and on the command line.</summary>
    public static readonly string[] Names = ["float32", "int8"];

    public static string ToName(this SentimentPrecision precision) => precision switch
    {
        SentimentPrecision.Float32 => "float32",
        SentimentPrecision.Int8 => "int8",
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };

    /// <summary>Parses <c>float32</c> or <c>int8</c> (case-insensitive); anything else is refused with the accepted values named.</summary>
    public static bool TryParse(string? value, out SentimentPrecision precision)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "float32": precision = SentimentPrecision.Float32; return true;
            case "int8": precision = SentimentPrecision.Int8; return true;
            default: precision = default; return false;
        }
    }

    /// <exception cref="FormatException">the value is not one of <see cref="Names"/>; the message names the setting and the accepted values.</exception>
    public static SentimentPrecision Parse(string? value, string setting) =>
        TryParse(value, out var p) ? p
            : throw new FormatException($"{setting}: '{value}' is not a precision; use {string.Join(" or ", Names)}");
}
