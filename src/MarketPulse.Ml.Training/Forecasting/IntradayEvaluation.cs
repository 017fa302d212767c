using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Forecasting;
using MarketPulse.Core.Market;
using MarketPulse.Ingestion.Lean;
using MarketPulse.Ml.Forecasting;

namespace MarketPulse.Ml.Training.Forecasting;

/// <summary>One next-30-minutes forecast, as <c>eval intraday-volatility --out</c> writes it (a JSON line): every number recomputable.</summary>
public sealed record IntradayRecord(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("slot")] int Slot,
    [property: JsonPropertyName("slot_start")] DateTime SlotStartUtc,
    [property: JsonPropertyName("minutes")] int Minutes,
    [property: JsonPropertyName("realized_var")] double RealizedVariance,
    [property: JsonPropertyName("var_forecast")] double? VarianceForecast,
    [property: JsonPropertyName("var_seasonal_har")] double VarianceSeasonalHar,
    [property: JsonPropertyName("var_previous_slot")] double VariancePreviousSlot);

public sealed record IntradayLosses(
    [property: JsonPropertyName("model")] double Model,
    [property: JsonPropertyName("seasonal_har")] double SeasonalHar,
    [property: JsonPropertyName("previous_slot")] double PreviousSlot);

/// <summary>The JSON of <c>eval intraday-volatility</c>.</summary>
public sealed record IntradayEvalResult(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("days")] int Days,
    [property: JsonPropertyName("symbol_days")] int SymbolDays,
    [property: JsonPropertyName("qlike")] IntradayLosses Qlike,
    [property: JsonPropertyName("mse_log")] IntradayLosses MseLog,
    [property: JsonPropertyName("qlike_gain_vs_seasonal_har")] double GainVsSeasonalHar,
    [property: JsonPropertyName("qlike_gain_vs_seasonal_har_ci95_days")] double[] GainVsSeasonalHarCi95,
    [property: JsonPropertyName("qlike_gain_vs_previous_slot")] double GainVsPreviousSlot,
    [property: JsonPropertyName("qlike_gain_vs_previous_slot_ci95_days")] double[] GainVsPreviousSlotCi95)
{
    /// <summary>Slots forecast by the baselines but not yet by the model (too few earlier slots to fit it); not scored.</summary>
    [JsonPropertyName("no_model_yet")] public int NoModelYet { get; init; }
    /// <summary>Slots with no lags: the first session of a symbol or the first after a gap in the data.</summary>
    [JsonPropertyName("no_history")] public int NoHistory { get; init; }
    /// <summary>Slots without a price change (realised variance 0): counted, not scored.</summary>
    [JsonPropertyName("skipped_zero_variance")] public int SkippedZeroVariance { get; init; }
    [JsonPropertyName("refits")] public int Refits { get; init; }
    [JsonPropertyName("first_day")] public string FirstDay { get; init; } = "";
    [JsonPropertyName("last_day")] public string LastDay { get; init; } = "";
    [JsonPropertyName("symbols")] public string[] Symbols { get; init; } = [];
    [JsonPropertyName("rejected_rows")] public long RejectedRows { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// Walk-forward evaluation of the next-30-minutes variance forecast on LEAN minute trade bars. Trading days are taken
/// in time order; before each day the seasonal profile and the pooled HAR model are re-estimated on all symbols'
/// sessions of earlier days (an expanding window), and every slot of the day is forecast from its symbol's slots before
/// it. Scored with QLIKE on slots with a positive realised variance that all three forecasts cover; the intervals
/// resample whole trading days.
/// </summary>
public static class IntradayEvaluation
{
    public static IntradayEvalResult Run(string leanDir, TextWriter progress, Action<IntradayRecord>? onRecord = null)
    {
        var root = LeanMinuteFiles.FindRoot(leanDir);
        long rejected = 0;
        var calendar = ExchangeCalendar.UsEquities;
        var sessions = new List<SessionSlots>();
        foreach (var (symbol, file) in LeanMinuteFiles.TradeFiles(root))
        {
            try
            {
                using var reader = LeanMinuteTradeBarReader.Open(file, _ => rejected++);
                if (calendar.Sessions(reader.TradingDay) is not { } session)
                {
                    progress.WriteLine($"{file}: {reader.TradingDay:yyyy-MM-dd} is not a trading day; skipped");
                    continue;
                }
                var slots = IntradayVariance.Compute(symbol, session, reader.ReadAll());
                if (slots.Minutes.Sum() > 0) sessions.Add(slots);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException && !ex.Message.Contains(file, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{file}: {ex.Message}", ex);
            }
        }
        if (sessions.Count == 0) throw new InvalidDataException($"no regular-session minute bars under {root}");
        return Run(sessions, progress, onRecord) with { RejectedRows = rejected };
    }

    public static IntradayEvalResult Run(IReadOnlyList<SessionSlots> sessions, TextWriter progress, Action<IntradayRecord>? onRecord = null)
    {
        var bySymbol = sessions.GroupBy(s => s.Symbol, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Day).ToList(), StringComparer.Ordinal);
        var days = sessions.Select(s => s.Day).Distinct().Order().ToList();
        var losses = new SortedDictionary<DateOnly, double[]>();   // per day: QLIKE model, seasonal, naive; squared log errors likewise
        int n = 0, noModel = 0, noHistory = 0, zero = 0, refits = 0;
        foreach (var day in days)
        {
            var past = bySymbol.Values.Select(h => h.Where(s => s.Day < day).ToList()).ToList();
            var profile = IntradayProfile.Estimate(past.SelectMany(h => h));
            var model = profile is null ? null : IntradayHarModel.Fit(past, profile);
            if (model is not null) refits++;
            progress.WriteLine($"{day:yyyy-MM-dd}: profile from {past.Sum(h => h.Count(s => s.IsFull))} earlier full sessions, "
                + (model is null ? "no model yet" : $"model fitted on {model.Rows} earlier slots: b = {model.Intercept:F3}, "
                    + $"β(prev, 13 slots, prev day) = ({string.Join(", ", model.Coefficients.Select(c => c.ToString("F3")))}), smearing {model.Smearing:F3}"));
            foreach (var (symbol, history) in bySymbol)
            {
                var index = history.FindIndex(s => s.Day == day);
                if (index < 0) continue;
                var today = history[index];
                var prefix = history.GetRange(0, index + 1);
                for (var k = 0; k < today.Count; k++)
                {
                    var realized = today.Variance[k];
                    if (profile is null || IntradayLags.For(prefix, k, profile) is not { } lags)
                    {
                        noHistory++;
                        continue;
                    }
                    var seasonal = IntradayHarModel.SeasonalHar(profile, lags, k);
                    var naive = IntradayHarModel.PreviousSlot(lags);
                    double? forecast = model?.Forecast(lags, k);
                    onRecord?.Invoke(new IntradayRecord(symbol, day.ToString("yyyy-MM-dd"), k, today.SlotStartUtc(k), today.Minutes[k], realized,
                        forecast, seasonal, naive));
                    if (!(realized > 0)) { zero++; continue; }
                    if (forecast is not { } h) { noModel++; continue; }
                    if (!losses.TryGetValue(day, out var l)) losses[day] = l = new double[7];
                    l[0] += RealizedMeasures.Qlike(realized, h);
                    l[1] += RealizedMeasures.Qlike(realized, seasonal);
                    l[2] += RealizedMeasures.Qlike(realized, naive);
                    l[3] += RealizedMeasures.SquaredLogError(realized, h);
                    l[4] += RealizedMeasures.SquaredLogError(realized, seasonal);
                    l[5] += RealizedMeasures.SquaredLogError(realized, naive);
                    l[6]++;
                    n++;
                }
            }
        }

        double Mean(int k) => n == 0 ? double.NaN : R(losses.Values.Sum(l => l[k]) / n);
        var perDay = losses.Values.ToList();
        var vsSeasonal = DayBootstrap.Gain(perDay.Select(l => (l[0], l[1])).ToList());
        var vsNaive = DayBootstrap.Gain(perDay.Select(l => (l[0], l[2])).ToList());
        return new IntradayEvalResult(n, losses.Count, sessions.Count,
            new IntradayLosses(Mean(0), Mean(1), Mean(2)), new IntradayLosses(Mean(3), Mean(4), Mean(5)),
            R(vsSeasonal.Estimate), [R(vsSeasonal.Low), R(vsSeasonal.High)], R(vsNaive.Estimate), [R(vsNaive.Low), R(vsNaive.High)])
        {
            NoModelYet = noModel,
            NoHistory = noHistory,
            SkippedZeroVariance = zero,
            Refits = refits,
            FirstDay = days[0].ToString("yyyy-MM-dd"),
            LastDay = days[^1].ToString("yyyy-MM-dd"),
            Symbols = [.. bySymbol.Keys.Order(StringComparer.Ordinal)],
        };
    }

    private static double R(double v) => Math.Round(v, 6);
}
