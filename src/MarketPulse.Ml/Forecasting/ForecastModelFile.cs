using System.Text.Json;
using MarketPulse.Core.Forecasting;

namespace MarketPulse.Ml.Forecasting;

/// <summary>The shipped forecast model's file (<c>models/forecast.json</c>): the coefficients as JSON, read at start.</summary>
public static class ForecastModelFile
{
    public const string DefaultFileName = "forecast.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Reads and checks a model file; a missing, malformed or inconsistent file is an <see cref="InvalidDataException"/>.</summary>
    public static ForecastModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"forecast model not found: {path}", path);
        ForecastModel? model;
        try
        {
            model = JsonSerializer.Deserialize<ForecastModel>(File.ReadAllText(path), Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a forecast model ({ex.Message})", ex);
        }
        if (model is null) throw new InvalidDataException($"{path}: empty forecast model");
        var parts = new List<(string Name, LinearLogModel Part)> { ("volatility", model.Volatility), ("volatilityWithoutText", model.VolatilityWithoutText),
            ("volume", model.Volume), ("har", model.Har), ("harVolume", model.HarVolume) };
        if (model.Volatility5d is { } fiveDay) parts.Add(("volatility5d", fiveDay)); // optional: files trained before it have none
        foreach (var (name, part) in parts)
        {
            if (part is null || part.Features is null || part.Coefficients is null || part.Features.Length != part.Coefficients.Length)
                throw new InvalidDataException($"{path}: '{name}' needs as many coefficients as features");
            foreach (var f in part.Features)
                if (Array.IndexOf(ForecastFeatures.Names, f) < 0) throw new InvalidDataException($"{path}: '{name}' uses unknown feature '{f}'");
        }
        if (model.Bands is null || !(model.Bands.P025 < model.Bands.P10 && model.Bands.P10 < model.Bands.P90 && model.Bands.P90 < model.Bands.P975))
            throw new InvalidDataException($"{path}: band quantiles must increase");
        return model;
    }

    public static void Save(ForecastModel model, string path) => File.WriteAllText(path, JsonSerializer.Serialize(model, Options) + "\n");
}
