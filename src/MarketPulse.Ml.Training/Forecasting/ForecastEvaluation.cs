using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Forecasting;
using MarketPulse.Ml.Forecasting;

namespace MarketPulse.Ml.Training.Forecasting;

/// <summary>One scored forecast, as <c>eval forecasts --out</c> writes it (a JSON line), so that every number can be recomputed.</summary>
public sealed record ForecastRecord(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("target_day")] string TargetDay,
    [property: JsonPropertyName("realized_var")] double RealizedVariance,
    [property: JsonPropertyName("realized_return")] double RealizedReturn,
    [property: JsonPropertyName("var_forecast")] double VarianceForecast,
    [property: JsonPropertyName("var_har")] double VarianceHar,
    [property: JsonPropertyName("band80")] double[] Band80,
    [property: JsonPropertyName("band95")] double[] Band95,
    [property: JsonPropertyName("log_volume")] double? LogVolume,
    [property: JsonPropertyName("logvol_forecast")] double LogVolumeForecast,
    [property: JsonPropertyName("logvol_har")] double LogVolumeHar,
    [property: JsonPropertyName("p_up")] double? ProbabilityUp)
{
    [JsonPropertyName("var_ewma")] public double VarianceEwma { get; init; }
    [JsonPropertyName("var_no_text")] public double VarianceWithoutText { get; init; }
    /// <summary>The five-day forecast of the mean daily variance over the target day and the four sessions after it; null
    /// when the model file has no five-day model.</summary>
    [JsonPropertyName("var5_forecast")] public double? FiveDayVarianceForecast { get; init; }
    /// <summary>HAR's five-day forecast; null before HAR can be fitted.</summary>
    [JsonPropertyName("var5_har")] public double? FiveDayVarianceHar { get; init; }
    /// <summary>The realised mean Garman–Klass variance of the five sessions; null where they are not all in the data.</summary>
    [JsonPropertyName("realized_var5")] public double? FiveDayRealizedVariance { get; init; }
}

public sealed record LossTriple(
    [property: JsonPropertyName("model")] double Model,
    [property: JsonPropertyName("har")] double Har,
    [property: JsonPropertyName("ewma")] double? Ewma)
{
    [JsonPropertyName("trailing_mean")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? TrailingMean { get; init; }
    [JsonPropertyName("model_without_text")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ModelWithoutText { get; init; }
}

public sealed record VolatilityResult(
    [property: JsonPropertyName("qlike")] LossTriple Qlike,
    [property: JsonPropertyName("mse_log")] LossTriple MseLog,
    [property: JsonPropertyName("qlike_gain_vs_har")] double QlikeGainVsHar,
    [property: JsonPropertyName("qlike_gain_vs_har_ci95_days")] double[] QlikeGainVsHarCi95,
    [property: JsonPropertyName("band80_coverage")] double Band80Coverage,
    [property: JsonPropertyName("band95_coverage")] double Band95Coverage)
{
    [JsonPropertyName("qlike_gain_vs_ewma")] public double QlikeGainVsEwma { get; init; }
    [JsonPropertyName("qlike_gain_vs_ewma_ci95_days")] public double[] QlikeGainVsEwmaCi95 { get; init; } = [];
    /// <summary>What the text inputs add: QLIKE gain of the model over its twin without them, paired by day.</summary>
    [JsonPropertyName("text_qlike_gain")] public double TextQlikeGain { get; init; }
    [JsonPropertyName("text_qlike_gain_ci95_days")] public double[] TextQlikeGainCi95 { get; init; } = [];
    /// <summary>Target days skipped because High = Low (no realised variance).</summary>
    [JsonPropertyName("skipped_no_range")] public int SkippedNoRange { get; init; }
}

/// <summary>The five-trading-day horizon: QLIKE of the mean daily variance over the target day and the four sessions after it.</summary>
public sealed record FiveDayResult(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("qlike")] FiveDayLosses Qlike,
    [property: JsonPropertyName("qlike_gain_vs_har")] double? QlikeGainVsHar,
    [property: JsonPropertyName("qlike_gain_vs_har_ci95_days")] double[]? QlikeGainVsHarCi95)
{
    [JsonPropertyName("days")] public int Days { get; init; }
    [JsonPropertyName("mse_log")] public FiveDayLosses? MseLog { get; init; }
    [JsonPropertyName("qlike_gain_vs_ewma")] public double? QlikeGainVsEwma { get; init; }
    [JsonPropertyName("qlike_gain_vs_ewma_ci95_days")] public double[]? QlikeGainVsEwmaCi95 { get; init; }
    /// <summary>The gain's interval resampling blocks of five consecutive target days: neighbouring targets share four
    /// sessions, so the day-resampled interval is too narrow.</summary>
    [JsonPropertyName("qlike_gain_vs_har_ci95_weeks")] public double[]? QlikeGainVsHarCi95Weeks { get; init; }
    /// <summary>(Ticker, target day) pairs not scored: the five sessions not all in the data, or no range over them.</summary>
    [JsonPropertyName("skipped_incomplete")] public int SkippedIncomplete { get; init; }
}

/// <summary>Mean losses of the five-day forecasts; the model's is null without a five-day model.</summary>
public sealed record FiveDayLosses(
    [property: JsonPropertyName("model")] double? Model,
    [property: JsonPropertyName("har")] double? Har,
    [property: JsonPropertyName("ewma")] double? Ewma);

public sealed record VolumeResult(
    [property: JsonPropertyName("mse_log")] LossTriple MseLog,
    [property: JsonPropertyName("gain_vs_har")] double GainVsHar,
    [property: JsonPropertyName("gain_vs_har_ci95_days")] double[] GainVsHarCi95)
{
    [JsonPropertyName("n")] public int N { get; init; }
}

public sealed record DirectionResult(
    [property: JsonPropertyName("brier")] Dictionary<string, double> Brier)
{
    [JsonPropertyName("n")] public long N { get; init; }
}

/// <summary>The JSON of <c>eval forecasts</c> (the contract's fields first, then context).</summary>
public sealed record ForecastEvalResult(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("days")] int Days,
    [property: JsonPropertyName("volatility")] VolatilityResult Volatility,
    [property: JsonPropertyName("volume")] VolumeResult Volume,
    [property: JsonPropertyName("direction")] DirectionResult? Direction)
{
    [JsonPropertyName("from")] public string From { get; init; } = "";
    [JsonPropertyName("to")] public string To { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("har_refits")] public int HarRefits { get; init; }
    /// <summary>The five-trading-day horizon (reported beside the next-day forecasts).</summary>
    [JsonPropertyName("volatility_5d")] public FiveDayResult? Volatility5d { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// The causal evaluation of the volatility, expected-move and volume forecasts: for each target day in [from, to) and
/// each symbol that traded it, the model's forecasts from data before the prediction time, against HAR (refitted at the
/// start of each month on earlier target days only, per-ticker intercepts), EWMA (λ = 0.94) and the trailing mean,
/// scored on the target day's Garman–Klass variance and ln volume. Intervals resample whole target days.
/// </summary>
public static class ForecastEvaluation
{
    /// <param name="model">The model for a target day (the shipped one, or a walk-forward's refit trained before it).</param>
    /// <param name="probabilityUp">The ensemble's direction call for (symbol, target), where one was issued.</param>
    public static ForecastEvalResult Run(ForecastPanel panel, Func<DateOnly, ForecastModel> model, DateOnly from, DateOnly to,
        TextWriter progress, Func<string, DateOnly, double?>? probabilityUp = null, Action<ForecastRecord>? onRecord = null)
    {
        var samples = panel.Samples(from, to);
        var history = panel.Samples(DateOnly.MinValue, from);
        var har = (Variance: (HarModel?)null, Volume: (HarModel?)null, Month: (DateOnly?)null);
        HarModel? har5 = null;
        int n5 = 0, skipped5 = 0, n5Model = 0;
        var refits = 0;
        var volDays = new SortedDictionary<DateOnly, DayLosses>();
        int n = 0, skipped = 0, hits80 = 0, hits95 = 0, volumeN = 0;
        var features = new double[ForecastFeatures.Count];
        var i0 = 0;
        foreach (var s in samples)
        {
            var month = new DateOnly(s.Target.Year, s.Target.Month, 1);
            if (har.Month != month)
            {
                // Refit the baselines on every target day before this month (the evaluated period's earlier months included).
                while (i0 < samples.Count && samples[i0].Target < month) history.Add(samples[i0++]);
                har = (FitHar(HarModel.VarianceInputs, history, x => Math.Log(Math.Max(x.RealizedVariance, RealizedMeasures.VarianceFloor)), x => x.RealizedVariance > 0),
                    FitHar(HarModel.VolumeInputs, history, x => x.LogVolume, x => !double.IsNaN(x.LogVolume)), month);
                // The five-day HAR only on targets whose five sessions all closed before the month: a target that starts
                // before it but ends after it is not known at the refit.
                har5 = FitHar(HarModel.VarianceInputs, FiveDayTrainingSet(history, month), x => RealizedMeasures.LogVariance(x.FiveDay!.Value.MeanVariance), _ => true);
                refits++;
                progress.WriteLine($"{month:yyyy-MM}: HAR refitted on {har.Variance?.Rows ?? 0:N0} earlier target days ({har5?.Rows ?? 0:N0} five-day targets)");
            }
            s.Features.CopyTo(features, 0);
            var m = model(s.Target);
            var f = m.Forecast(features, s.Symbol);
            var var5 = m.FiveDayVariance(features, s.Symbol);
            var har5Var = har5?.PredictLevel(s.Symbol, features) ?? double.NaN;
            var harVar = har.Variance?.PredictLevel(s.Symbol, features) ?? double.NaN;
            var harVol = har.Volume?.PredictLog(s.Symbol, features) ?? double.NaN;
            var ewma = EwmaVariance.Forecast(panel.Bars(s.Symbol), s.Target);
            var trailing = EwmaVariance.TrailingMean(panel.Bars(s.Symbol), s.Target);
            var pUp = probabilityUp?.Invoke(s.Symbol, s.Target);
            onRecord?.Invoke(new ForecastRecord(s.Symbol, s.Target.ToString("yyyy-MM-dd"), s.RealizedVariance, s.RealizedReturn, f.Variance, harVar,
                [f.Band80.Low, f.Band80.High], [f.Band95.Low, f.Band95.High], double.IsNaN(s.LogVolume) ? null : s.LogVolume, f.LogVolume, harVol, pUp)
            {
                VarianceEwma = ewma,
                VarianceWithoutText = f.VarianceWithoutText,
                FiveDayVarianceForecast = Nullable(var5),
                FiveDayVarianceHar = Nullable(har5Var),
                FiveDayRealizedVariance = s.FiveDay?.MeanVariance,
            });

            if (!volDays.TryGetValue(s.Target, out var day)) volDays[s.Target] = day = new DayLosses();
            if (!(s.RealizedVariance > 0) || double.IsNaN(harVar) || double.IsNaN(ewma))
            {
                skipped++;
            }
            else
            {
                n++;
                day.Add(0, RealizedMeasures.Qlike(s.RealizedVariance, f.Variance), RealizedMeasures.SquaredLogError(s.RealizedVariance, f.Variance));
                day.Add(1, RealizedMeasures.Qlike(s.RealizedVariance, harVar), RealizedMeasures.SquaredLogError(s.RealizedVariance, harVar));
                day.Add(2, RealizedMeasures.Qlike(s.RealizedVariance, ewma), RealizedMeasures.SquaredLogError(s.RealizedVariance, ewma));
                day.Add(3, RealizedMeasures.Qlike(s.RealizedVariance, trailing), RealizedMeasures.SquaredLogError(s.RealizedVariance, trailing));
                day.Add(4, RealizedMeasures.Qlike(s.RealizedVariance, f.VarianceWithoutText), RealizedMeasures.SquaredLogError(s.RealizedVariance, f.VarianceWithoutText));
                if (!double.IsNaN(s.RealizedReturn))
                {
                    if (f.Band80.Contains(s.RealizedReturn)) hits80++;
                    if (f.Band95.Contains(s.RealizedReturn)) hits95++;
                }
            }
            // Five days: the model, HAR and EWMA (its variance as a flat forecast) on the mean variance of the five sessions.
            if (s.FiveDay is { MeanVariance: > 0 } h5 && !double.IsNaN(har5Var) && !double.IsNaN(ewma))
            {
                n5++;
                var realized5 = h5.MeanVariance;
                if (!double.IsNaN(var5))
                {
                    n5Model++;
                    day.Add5(0, RealizedMeasures.Qlike(realized5, var5), RealizedMeasures.SquaredLogError(realized5, var5));
                }
                day.Add5(1, RealizedMeasures.Qlike(realized5, har5Var), RealizedMeasures.SquaredLogError(realized5, har5Var));
                day.Add5(2, RealizedMeasures.Qlike(realized5, ewma), RealizedMeasures.SquaredLogError(realized5, ewma));
            }
            else skipped5++;
            if (!double.IsNaN(s.LogVolume) && !double.IsNaN(harVol))
            {
                volumeN++;
                day.AddVolume((s.LogVolume - f.LogVolume) * (s.LogVolume - f.LogVolume), (s.LogVolume - harVol) * (s.LogVolume - harVol));
            }
        }

        var days = volDays.Values.Where(d => d.Count > 0).ToList();
        double Mean(int k, bool q) => n == 0 ? double.NaN : R(days.Sum(d => q ? d.Qlike[k] : d.Mse[k]) / n);
        LossTriple Losses(bool q) => new(Mean(0, q), Mean(1, q), Mean(2, q)) { TrailingMean = Mean(3, q), ModelWithoutText = Mean(4, q) };
        var gainHar = DayBootstrap.Gain(days.Select(d => (d.Qlike[0], d.Qlike[1])).ToList());
        var gainEwma = DayBootstrap.Gain(days.Select(d => (d.Qlike[0], d.Qlike[2])).ToList());
        var gainText = DayBootstrap.Gain(days.Select(d => (d.Qlike[0], d.Qlike[4])).ToList());
        var volumeDays = volDays.Values.Where(d => d.VolumeCount > 0).ToList();
        var gainVolume = DayBootstrap.Gain(volumeDays.Select(d => (d.VolumeMse[0], d.VolumeMse[1])).ToList());
        // The model's five-day scores only when every scored pair had its forecast (a model file without the section: none).
        var fiveDay = FiveDay(volDays.Values.Where(d => d.Count5 > 0).ToList(), n5, skipped5, n5Model > 0 && n5Model == n5);
        return new ForecastEvalResult(n, days.Count,
            new VolatilityResult(Losses(true), Losses(false), R(gainHar.Estimate), [R(gainHar.Low), R(gainHar.High)],
                n == 0 ? double.NaN : R(hits80 / (double)n), n == 0 ? double.NaN : R(hits95 / (double)n))
            {
                QlikeGainVsEwma = R(gainEwma.Estimate),
                QlikeGainVsEwmaCi95 = [R(gainEwma.Low), R(gainEwma.High)],
                TextQlikeGain = R(gainText.Estimate),
                TextQlikeGainCi95 = [R(gainText.Low), R(gainText.High)],
                SkippedNoRange = skipped,
            },
            new VolumeResult(new LossTriple(volumeN == 0 ? double.NaN : R(volumeDays.Sum(d => d.VolumeMse[0]) / volumeN),
                    volumeN == 0 ? double.NaN : R(volumeDays.Sum(d => d.VolumeMse[1]) / volumeN), null),
                R(gainVolume.Estimate), [R(gainVolume.Low), R(gainVolume.High)])
            { N = volumeN },
            null)
        {
            From = from.ToString("yyyy-MM-dd"),
            To = to.ToString("yyyy-MM-dd"),
            HarRefits = refits,
            Model = samples.Count == 0 ? "" : model(samples[0].Target).Version,
            Volatility5d = fiveDay,
        };
    }

    /// <summary>
    /// The samples a five-day fit made at 00:00 UTC of <paramref name="cutoff"/> may train on: those with a positive
    /// five-day target whose last session closed before the cutoff (<see cref="HorizonVariance.KnownBefore"/>). Used by
    /// the five-day HAR's monthly refits here and by the five-day model's training.
    /// </summary>
    public static List<ForecastSample> FiveDayTrainingSet(IEnumerable<ForecastSample> samples, DateOnly cutoff) =>
        samples.Where(s => s.FiveDay is { } h && h.KnownBefore(cutoff) && h.MeanVariance > 0).ToList();

    private static FiveDayResult FiveDay(List<DayLosses> days, int n, int skipped, bool withModel)
    {
        double Mean(Func<DayLosses, double> pick) => n == 0 ? double.NaN : R(days.Sum(pick) / n);
        double? Opt(double v) => withModel && double.IsFinite(v) ? v : null;
        double[]? Interval(BootstrapInterval b) => double.IsFinite(b.Estimate) ? [R(b.Low), R(b.High)] : null;
        var gainHar = withModel ? DayBootstrap.Gain(days.Select(d => (d.Qlike5[0], d.Qlike5[1])).ToList()) : default;
        var gainEwma = withModel ? DayBootstrap.Gain(days.Select(d => (d.Qlike5[0], d.Qlike5[2])).ToList()) : default;
        // Blocks of five consecutive target days, so that overlapping windows fall into one resampled unit.
        var weeks = days.Select((d, i) => (d, i)).GroupBy(x => x.i / HorizonTargets.FiveDays)
            .Select(g => (g.Sum(x => x.d.Qlike5[0]), g.Sum(x => x.d.Qlike5[1]))).ToList();
        var gainHarWeeks = withModel ? DayBootstrap.Gain(weeks) : default;
        return new FiveDayResult(n, new FiveDayLosses(Opt(Mean(d => d.Qlike5[0])), Nullable(Mean(d => d.Qlike5[1])), Nullable(Mean(d => d.Qlike5[2]))),
            withModel ? Nullable(R(gainHar.Estimate)) : null, withModel ? Interval(gainHar) : null)
        {
            Days = days.Count,
            MseLog = new FiveDayLosses(Opt(Mean(d => d.Mse5[0])), Nullable(Mean(d => d.Mse5[1])), Nullable(Mean(d => d.Mse5[2]))),
            QlikeGainVsEwma = withModel ? Nullable(R(gainEwma.Estimate)) : null,
            QlikeGainVsEwmaCi95 = withModel ? Interval(gainEwma) : null,
            QlikeGainVsHarCi95Weeks = withModel ? Interval(gainHarWeeks) : null,
            SkippedIncomplete = skipped,
        };
    }

    private static double? Nullable(double v) => double.IsFinite(v) ? v : null;

    private static HarModel? FitHar(string[] inputs, List<ForecastSample> history, Func<ForecastSample, double> target, Func<ForecastSample, bool> usable)
    {
        var idx = inputs.Select(ForecastFeatures.IndexOf).ToArray();
        var rows = history.Where(usable).Select(s => new PanelRow(s.Symbol, idx.Select(k => s.Features[k]).ToArray(), target(s))).ToList();
        return rows.Count < 100 ? null : HarModel.Fit(inputs, rows);
    }

    private static double R(double v) => Math.Round(v, 6);

    private sealed class DayLosses
    {
        public readonly double[] Qlike = new double[5];
        public readonly double[] Mse = new double[5];
        public readonly double[] VolumeMse = new double[2];
        public readonly double[] Qlike5 = new double[3];
        public readonly double[] Mse5 = new double[3];
        public int Count;
        public int VolumeCount;
        public int Count5;

        public void Add5(int k, double qlike, double mse)
        {
            Qlike5[k] += qlike;
            Mse5[k] += mse;
            if (k == 1) Count5++;
        }

        public void Add(int k, double qlike, double mse)
        {
            Qlike[k] += qlike;
            Mse[k] += mse;
            if (k == 0) Count++;
        }

        public void AddVolume(double model, double har)
        {
            VolumeMse[0] += model;
            VolumeMse[1] += har;
            VolumeCount++;
        }
    }
}
