using System.Text.Json;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Ml;
using Vocabulary = MarketPulse.Abstractions.Ensemble.Signals;

namespace MarketPulse.Server.Api;

/// <summary>One signal's quality measured offline, out of sample, with 95 % intervals from resampling whole target days.</summary>
public sealed record MeasuredSignal(string Signal, long N, double Accuracy, double[]? AccuracyCi95, double Mcc, double[]? MccCi95, double Brier);

/// <summary>
/// How the shipped signals did out of sample, as last measured offline (<c>marketpulse eval walkforward --out
/// models/price-walkforward.json</c>): the recipe refitted monthly on earlier data only and the whole service's causal
/// backtest over the period. Shown beside the live scorecards so that a few weeks of live hits are read against the
/// evidence of many months.
/// </summary>
public sealed record OutOfSampleReport(string Method, string From, string To, int Days, IReadOnlyList<MeasuredSignal> Signals)
{
    public const string FileName = "price-walkforward.json";

    // The backtest's signal names → the live ones (GET /api/models "signals").
    private static readonly (string File, string Live)[] SignalNames =
    [
        ("ensemble", Vocabulary.Ensemble), ("price", Vocabulary.Price), ("sentiment", Vocabulary.Sentiment),
        ("yesterday", Vocabulary.Persistence), ("ensemble_hedge", Vocabulary.EnsembleHedge), ("always_rise", "always_rise"),
    ];

    /// <summary>Reads the report beside the models; null, with the reason logged, when it is missing or not readable.</summary>
    public static OutOfSampleReport? Load(ModelLocator models, ILogger logger)
    {
        var path = models.PathOf(FileName);
        if (!File.Exists(path))
        {
            ServerLog.NoOutOfSampleReport(logger, path);
            return null;
        }
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            ServerLog.OutOfSampleReportUnreadable(logger, path, ex.Message);
            return null;
        }
    }

    /// <summary>The JSON of <c>eval walkforward</c>: its <c>service</c> block (every signal) over the walk-forward's period.</summary>
    public static OutOfSampleReport Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (!root.TryGetProperty("service", out var service) || service.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException("no 'service' block (written by eval walkforward)");
        var bySignal = service.GetProperty("by_signal");
        var signals = new List<MeasuredSignal>();
        foreach (var (file, live) in SignalNames)
        {
            if (!bySignal.TryGetProperty(file, out var s)) continue;
            signals.Add(new MeasuredSignal(live, s.GetProperty("n").GetInt64(), s.GetProperty("accuracy").GetDouble(), Interval(s, "accuracy_ci95_days"),
                s.GetProperty("mcc").GetDouble(), Interval(s, "mcc_ci95_days"), s.GetProperty("brier").GetDouble()));
        }
        if (signals.Count == 0) throw new InvalidDataException("the service block lists no known signal");
        var recipe = root.TryGetProperty("recipe", out var r) ? r.GetString() : null;
        return new OutOfSampleReport(
            $"Walk-forward: the price model's recipe refitted every month on earlier data only{(recipe is null ? "" : $" ({recipe})")}, "
            + "through the service's causal backtest (ensemble and Hedge learning from realised outcomes only). Intervals: 95 %, resampling whole target days.",
            root.GetProperty("from").GetString()!, root.GetProperty("to").GetString()!, service.GetProperty("days").GetInt32(), signals);
    }

    private static double[]? Interval(JsonElement signal, string name) =>
        signal.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(e => e.GetDouble())] : null;
}
