using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Forecasting;
using MarketPulse.Ml.Forecasting;

namespace MarketPulse.Ml.Training.Forecasting;

/// <summary>The recipe's settings: the inputs of each regression and the ridge penalty (per standardised column).</summary>
/// <param name="QlikeFit">Fit the variance regressions by QLIKE (a Gamma log-link regression of σ²) rather than least squares on ln σ².</param>
/// <param name="TickerLevels">Give each ticker of the training data its own intercept (dummies under the same ridge penalty).</param>
public sealed record ForecastRecipe(string Name, string[] VarianceInputs, string[] TextInputs, string[] VolumeInputs, double Lambda, bool QlikeFit = false,
    bool TickerLevels = false)
{
    private static readonly string[] HarX =
        ["lv_d", "lv_w", "lv_m", "lv_q", "lr2", "neg_ret", "lgap2", "neg_ret_w", "mkt_lv", "sec_lv", "monday", "friday", "after_holiday"];

    private static readonly string[] Calendar = ["half_day", "opex", "quad_witching"];

    private static readonly string[] Text = ["posts_1d", "posts_5d", "sent_1d", "sent_ext_1d", "sent_sd_1d", "sent_5d"];

    /// <summary>
    /// The shipped recipe: HAR plus the ticker's 250-day level, the basis day's return and gap, leverage, market and
    /// sector variance, day of week and the text activity, with a per-ticker intercept, fitted by QLIKE; ln volume by
    /// ridge least squares on its own HAR terms, the calendar, the text activity and the variance forecast. Chosen on
    /// the train period's monthly walk-forward folds (see docs/models/volatility.md).
    /// </summary>
    public static ForecastRecipe Default { get; } = new(
        "harx-qlike",
        HarX,
        Text,
        ["lvol_d", "lvol_w", "lvol_m", "lvol_q", "lv_d", "lr2", "lgap2", "posts_1d", "posts_5d", "sent_ext_1d", "monday", "friday", "after_holiday",
            "lv_fc", .. Calendar],
        Lambda: 1e-3,
        QlikeFit: true,
        TickerLevels: true);

    /// <summary>The recipes compared on the walk-forward folds (the comparison is in the model card).</summary>
    public static IReadOnlyDictionary<string, ForecastRecipe> Candidates { get; } = new Dictionary<string, ForecastRecipe>(StringComparer.Ordinal)
    {
        [Default.Name] = Default,
        ["harx-qlike-levels"] = Default with { Name = "harx-qlike-levels", VarianceInputs = [.. HarX, "lvl_w", "lvl_m", .. Calendar] },
        ["harx-qlike-own"] = Default with
        {
            Name = "harx-qlike-own",
            VarianceInputs = ["lv_d", "lv_w", "lv_m", "lv_q", "lr2", "neg_ret", "lgap2", "neg_ret_w", "monday", "friday", "after_holiday"],
        },
        ["harx-qlike-pooled"] = Default with { Name = "harx-qlike-pooled", TickerLevels = false },
        ["harx-ols"] = Default with { Name = "harx-ols", QlikeFit = false },
        ["har-qlike"] = Default with { Name = "har-qlike", VarianceInputs = ["lv_d", "lv_w", "lv_m"], TextInputs = [] },
    };
}

/// <summary>
/// Fits the volatility, band and volume model on the panel's target days in [from, to): ridge regressions of ln
/// Garman–Klass variance and ln volume, the smearing factors, the standardised-return quantiles of the bands (from the
/// in-sample forecasts: with a dozen or two coefficients over tens of thousands of rows, in-sample and out-of-sample
/// residuals hardly differ) and the pooled HAR regressions for the live scorecards.
/// </summary>
public static class ForecastTrainer
{
    public const string VersionPrefix = "forecast-";

    public static ForecastModel Train(ForecastPanel panel, DateOnly from, DateOnly to, ForecastRecipe recipe, string version)
    {
        var all = panel.Samples(from, to);
        var samples = all.Where(s => s.RealizedVariance > 0 && !double.IsNaN(s.RealizedReturn)).ToList();
        if (samples.Count < 500) throw new InvalidDataException($"only {samples.Count} usable target days in [{from:yyyy-MM-dd}, {to:yyyy-MM-dd}): too few to fit");
        var logVar = samples.ConvertAll(s => RealizedMeasures.LogVariance(s.RealizedVariance));

        var variances = samples.ConvertAll(s => s.RealizedVariance);
        var tickers = recipe.TickerLevels ? samples.Select(s => s.Symbol).Distinct().Order(StringComparer.Ordinal).ToArray() : [];
        var volatility = recipe.QlikeFit
            ? FitQlike([.. recipe.VarianceInputs, .. recipe.TextInputs], tickers, samples, variances, recipe.Lambda)
            : Fit([.. recipe.VarianceInputs, .. recipe.TextInputs], tickers, samples, logVar, recipe.Lambda);
        var withoutText = recipe.QlikeFit
            ? FitQlike(recipe.VarianceInputs, tickers, samples, variances, recipe.Lambda)
            : Fit(recipe.VarianceInputs, tickers, samples, logVar, recipe.Lambda);
        var har = Fit(HarModel.VarianceInputs, [], samples, logVar, 0);

        // Standardised returns against the in-sample variance forecasts.
        var z = new List<double>(samples.Count);
        foreach (var s in samples)
        {
            var h = volatility.PredictLevel(s.Features, s.Symbol);
            z.Add(s.RealizedReturn / Math.Sqrt(h));
            s.Features[ForecastFeatures.VarianceForecastIndex] = volatility.PredictLog(s.Features, s.Symbol);
        }
        z.Sort();
        var bands = new BandQuantiles(Quantile.Interpolated(z, 0.025), Quantile.Interpolated(z, 0.10), Quantile.Interpolated(z, 0.90), Quantile.Interpolated(z, 0.975));

        var withVolume = samples.Where(s => !double.IsNaN(s.LogVolume)).ToList();
        var logVolume = withVolume.ConvertAll(s => s.LogVolume);
        var volume = Fit(recipe.VolumeInputs, tickers, withVolume, logVolume, recipe.Lambda);
        var harVolume = Fit(HarModel.VolumeInputs, [], withVolume, logVolume, 0);
        return new ForecastModel(version, volatility, withoutText, bands, volume with { Smearing = 1 }, har, harVolume with { Smearing = 1 },
            from.ToString("yyyy-MM-dd"), to.ToString("yyyy-MM-dd"), samples.Count)
        {
            Volatility5d = FitFiveDay(all, to, recipe),
        };
    }

    /// <summary>
    /// The five-day variance model: the recipe's variance inputs and learner on the mean Garman–Klass variance of the
    /// target day and the four sessions after it, over the target days whose five sessions all ended before
    /// <paramref name="to"/> (a target that starts before the end of training but ends after it is not known then).
    /// Null with too few such days.
    /// </summary>
    private static LinearLogModel? FitFiveDay(List<ForecastSample> all, DateOnly to, ForecastRecipe recipe)
    {
        var samples = ForecastEvaluation.FiveDayTrainingSet(all, to);
        if (samples.Count < 500) return null;
        var inputs = (string[])[.. recipe.VarianceInputs, .. recipe.TextInputs];
        var tickers = recipe.TickerLevels ? samples.Select(s => s.Symbol).Distinct().Order(StringComparer.Ordinal).ToArray() : [];
        var variances = samples.ConvertAll(s => s.FiveDay!.Value.MeanVariance);
        return recipe.QlikeFit
            ? FitQlike(inputs, tickers, samples, variances, recipe.Lambda)
            : Fit(inputs, tickers, samples, variances.ConvertAll(RealizedMeasures.LogVariance), recipe.Lambda);
    }


    private static LinearLogModel Fit(string[] inputs, string[] tickers, List<ForecastSample> samples, List<double> y, double lambda)
    {
        var x = Design(inputs, tickers, samples);
        var (intercept, coefficients) = RidgeRegression.Fit(x, y, lambda);
        var model = Model(inputs, tickers, intercept, coefficients);
        var smear = 0.0;
        for (var i = 0; i < samples.Count; i++) smear += Math.Exp(y[i] - model.PredictLog(samples[i].Features, samples[i].Symbol));
        return model with { Smearing = smear / samples.Count };
    }

    /// <summary>The inputs' columns, then one 0/1 column per ticker (its intercept shift) when the recipe has ticker levels.</summary>
    private static List<double[]> Design(string[] inputs, string[] tickers, List<ForecastSample> samples)
    {
        var idx = inputs.Select(ForecastFeatures.IndexOf).ToArray();
        var column = tickers.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => idx.Length + x.i, StringComparer.Ordinal);
        return samples.ConvertAll(s =>
        {
            var row = new double[idx.Length + tickers.Length];
            for (var k = 0; k < idx.Length; k++) row[k] = s.Features[idx[k]];
            if (column.TryGetValue(s.Symbol, out var c)) row[c] = 1;
            return row;
        });
    }

    private static LinearLogModel Model(string[] inputs, string[] tickers, double intercept, double[] coefficients)
    {
        if (tickers.Length == 0) return new LinearLogModel(inputs, intercept, coefficients, 1);
        // Offsets relative to their mean, folded into the common intercept: a ticker the fit never saw gets the average level.
        var offsets = coefficients[inputs.Length..];
        var mean = offsets.Average();
        return new LinearLogModel(inputs, intercept + mean, coefficients[..inputs.Length], 1,
            tickers.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => offsets[x.i] - mean, StringComparer.Ordinal));
    }

    private static LinearLogModel FitQlike(string[] inputs, string[] tickers, List<ForecastSample> samples, List<double> variance, double lambda)
    {
        var (intercept, coefficients) = RidgeRegression.FitQlike(Design(inputs, tickers, samples), variance, lambda);
        return Model(inputs, tickers, intercept, coefficients);
    }
}
