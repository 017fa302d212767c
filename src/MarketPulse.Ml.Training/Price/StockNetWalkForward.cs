using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Core.Ensemble;
using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Onnx;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Ml.Training.Price;

/// <summary>
/// A training recipe the walk-forward can re-run (docs/models/price.md, "Walk-forward over 13 months"): <c>shipped</c> is
/// <c>price-gbm-v4</c>'s; the others change one thing each.
/// </summary>
public sealed record WalkForwardRecipe(string Name, int CalibrationMonths, int? FitMonths, bool Logistic)
{
    public static readonly WalkForwardRecipe Shipped = new("shipped", 2, null, false);

    public static readonly IReadOnlyList<WalkForwardRecipe> All =
    [
        Shipped,
        new("calibration-6m", 6, null, false),
        new("rolling-12m", 2, 12, false),
        new("logistic", 2, null, true),
    ];

    public static WalkForwardRecipe? Find(string name) => All.FirstOrDefault(r => r.Name == name);

    public string Describe(GbmPriceTrainer.Config config, int bag) =>
        (Logistic ? "L2 logistic regression (L-BFGS, normalised features)"
            : $"LightGbm {config} bag of {bag} (seeds {GbmPriceTrainer.DefaultSeed}..{GbmPriceTrainer.DefaultSeed + bag - 1})")
        + $"; refit monthly on targets from {(FitMonths is { } m ? $"the {m} months before the calibration window" : PriceTraining.TrainFrom.ToString("yyyy-MM-dd"))}"
        + $" to {CalibrationMonths} months before the month, Platt on those {CalibrationMonths} months";
}

/// <summary>One month of the walk-forward: what its models were fitted and calibrated on, and how they did on it.</summary>
public sealed record WalkForwardFold(
    [property: JsonPropertyName("month")] string Month,
    [property: JsonPropertyName("fit")] int Fit,
    [property: JsonPropertyName("calibrate")] int Calibrate,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("days")] int Days,
    [property: JsonPropertyName("rise_fraction")] double RiseFraction,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("mcc")] double Mcc,
    [property: JsonPropertyName("price_only_mcc")] double PriceOnlyMcc,
    [property: JsonPropertyName("predicted_up_fraction")] double PredictedUpFraction,
    [property: JsonPropertyName("shipped_mcc"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ShippedMcc = null);

/// <summary>The JSON of <c>eval walkforward</c>: top level = the recipe's model (with texts), as <c>eval stocknet</c> does for the ensemble.</summary>
public sealed record WalkForwardResult(
    [property: JsonPropertyName("n")] long N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("mcc")] double Mcc,
    [property: JsonPropertyName("brier")] double Brier,
    [property: JsonPropertyName("by_signal")] Dictionary<string, SignalResult> BySignal,
    [property: JsonPropertyName("comparisons")] Dictionary<string, SignalComparison> Comparisons,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("days")] int Days,
    [property: JsonPropertyName("rise_fraction")] double RiseFraction,
    [property: JsonPropertyName("recipe")] string Recipe,
    [property: JsonPropertyName("folds")] IReadOnlyList<WalkForwardFold> Folds,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    /// <summary>
    /// The whole service's answer over the same period: the causal StockNet backtest (<see cref="StockNetEvaluation"/>:
    /// sentiment, persistence, the per-ticker Hedge mix and the market-wide stacking ensemble, learning from realised
    /// outcomes from <c>from</c> on) with each month's price call from that month's refitted models.
    /// </summary>
    [JsonPropertyName("service")] public StockNetEvalResult? Service { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// Walk-forward evaluation of the shipped price model's <i>training recipe</i> on StockNet-layout data: for each calendar
/// month M in [from, to), the recipe is re-run on the samples whose target day is before M only — LightGbm (the shipped
/// setting and bag size) fitted on targets up to two months before M, Platt scaling on the two months before M — and
/// then predicts M. Every prediction is out of sample and causal (a sample's label is known by its own target day's
/// close, and every sample a fold learns from has its target day before M), so months of evaluation add up to far
/// more evidence than the two dev months, and intervals are clustered by target day.
/// </summary>
/// <remarks>
/// The recipe is fixed (<see cref="PriceTraining.GbmGrid"/>'s first setting, the one every shipped GBM used): nothing
/// here is tuned, so a walk-forward over the dev months is an evaluation, not a selection. The price-only twin is the
/// same recipe with the text features zeroed, fitted on the same samples, so "text helps" is a paired comparison.
/// </remarks>
public sealed class StockNetWalkForward(TextWriter progress)
{
    /// <summary>A fold needs this many fit samples (the shipped model had 18,052); fewer say "start later".</summary>
    public const int MinimumFitSamples = 2000;

    public const string Model = "model";
    public const string PriceOnly = "price_only";
    /// <summary>The shipped recipe on the same folds, when another recipe is evaluated (its paired comparison).</summary>
    public const string Shipped = "shipped";
    public const string Persistence = StockNetEvaluation.Persistence;
    public const string AlwaysRise = StockNetEvaluation.AlwaysRise;

    /// <param name="scorer">The lexicon behind the price model's text features (as in training).</param>
    /// <param name="recipe">Null: <see cref="WalkForwardRecipe.Shipped"/>.</param>
    /// <param name="signalScorer">The sentiment signal's scorer in the service backtest (the production transformer); null: <paramref name="scorer"/>.</param>
    public WalkForwardResult Run(string dataDir, DateOnly from, DateOnly to, int bag, ISentimentScorer scorer, CancellationToken ct = default,
        WalkForwardRecipe? recipe = null, IBatchSentimentScorer? signalScorer = null)
    {
        recipe ??= WalkForwardRecipe.Shipped;
        var withShipped = recipe != WalkForwardRecipe.Shipped;
        string[] signals = withShipped ? [Model, PriceOnly, Persistence, AlwaysRise, Shipped] : [Model, PriceOnly, Persistence, AlwaysRise];
        ArgumentOutOfRangeException.ThrowIfLessThan(bag, 1);
        if (to <= from) throw new InvalidDataException($"--to ({to:yyyy-MM-dd}) must be after --from ({from:yyyy-MM-dd})");
        var clock = Stopwatch.StartNew();
        var config = PriceTraining.GbmGrid[0];
        var (sectors, sectorNames) = PriceTraining.LoadSectors(dataDir);
        var data = StockNetData.Load(dataDir, scorer, s => sectors.GetValueOrDefault(s, -1), PriceTraining.TrainFrom.AddDays(-15), to, progress, signalScorer);
        var all = PriceDataset.Build(data, PriceTraining.TrainFrom, to);
        progress.WriteLine($"samples with target days in [{PriceTraining.TrainFrom:yyyy-MM-dd}, {to:yyyy-MM-dd}): {all.Rows}");

        var metrics = signals.ToDictionary(s => s, _ => new BinaryMetrics());
        var scored = new ScoredCalls(signals);
        var folds = new List<WalkForwardFold>();
        // Each month's refitted models (with texts, price-only), kept for the service backtest below.
        var models = new Dictionary<DateOnly, (PriceModel Model, PriceModel PriceOnly)>();
        StockNetEvalResult? service;
        try
        {
            for (var month = new DateOnly(from.Year, from.Month, 1); month < to; month = month.AddMonths(1))
            {
                ct.ThrowIfCancellationRequested();
                var start = month < from ? from : month;
                var end = month.AddMonths(1) < to ? month.AddMonths(1) : to;
                var test = all.Where(s => s.Target >= start && s.Target < end);
                var (fit, cal) = Split(all, month, recipe);
                var fitted = (Model: Fit(fit, cal, config, bag, recipe.Logistic, [], sectors, sectorNames, ct),
                    PriceOnly: Fit(fit, cal, config, bag, recipe.Logistic, PriceFeatures.TextFeatureIndices, sectors, sectorNames, ct));
                models[month] = fitted;
                // The backtest issues calls for every trading day, labelled or not, so a month without samples still needs its models.
                if (test.Rows == 0) { progress.WriteLine($"{month:yyyy-MM}: no samples"); continue; }
                var withText = Predict(fitted.Model, test);
                var priceOnly = Predict(fitted.PriceOnly, test);
                double[]? shipped = null;
                if (withShipped)
                {
                    var (shippedFit, shippedCal) = Split(all, month, WalkForwardRecipe.Shipped);
                    using var shippedModel = Fit(shippedFit, shippedCal, config, bag, false, [], sectors, sectorNames, ct);
                    shipped = Predict(shippedModel, test);
                }
                var fold = new BinaryMetrics();
                var foldPriceOnly = new BinaryMetrics();
                var foldShipped = new BinaryMetrics();
                for (var i = 0; i < test.Rows; i++)
                {
                    var sample = test.Samples[i];
                    double[] p = [withText[i], priceOnly[i], SignalMix.Persistence(test.Features[i * PriceFeatures.Count]), SignalMix.AlwaysRise,
                        .. shipped is null ? [] : new[] { shipped[i] }];
                    for (var k = 0; k < signals.Length; k++)
                        if (!double.IsNaN(p[k])) metrics[signals[k]].Add(p[k], sample.Up);
                    fold.Add(p[0], sample.Up);
                    foldPriceOnly.Add(p[1], sample.Up);
                    if (shipped is not null) foldShipped.Add(shipped[i], sample.Up);
                    scored.Add(sample.Target, sample.Up, p);
                }
                var days = test.Samples.Select(s => s.Target).Distinct().Count();
                folds.Add(new WalkForwardFold($"{month:yyyy-MM}", fit.Rows, cal.Rows, test.Rows, days,
                    SignalResult.Round(test.Samples.Count(s => s.Up) / (double)test.Rows), SignalResult.Round(fold.Accuracy), SignalResult.Round(fold.Mcc),
                    SignalResult.Round(foldPriceOnly.Mcc), SignalResult.Round((double)(fold.TruePositive + fold.FalsePositive) / fold.Count),
                    shipped is null ? null : SignalResult.Round(foldShipped.Mcc)));
                progress.WriteLine($"{month:yyyy-MM}: fit {fit.Rows}, calibrate {cal.Rows}, test {test.Rows} on {days} days: "
                    + $"accuracy {fold.Accuracy:P2}, MCC {fold.Mcc:F3} (price-only {foldPriceOnly.Mcc:F3}"
                    + (shipped is null ? "" : $", shipped recipe {foldShipped.Mcc:F3}") + $") [{clock.Elapsed.TotalSeconds:F0} s]");
            }

            progress.WriteLine("the service's backtest with the refitted models (sentiment, Hedge, stacking ensemble):");
            (PriceModel Model, PriceModel PriceOnly) For(DateOnly t) => models[new DateOnly(t.Year, t.Month, 1)];
            service = models.Count == 0 ? null : StockNetEvaluation.Run(data,
                new PriceModelSchedule(t => For(t).Model, t => For(t).PriceOnly, $"{recipe.Name} walk-forward"), from, to, progress, ct);
        }
        finally
        {
            foreach (var (withText, priceOnly) in models.Values) { withText.Dispose(); priceOnly.Dispose(); }
        }

        var bySignal = signals.ToDictionary(x => x, x => scored.Result(x, metrics[x]));
        var comparisons = new Dictionary<string, SignalComparison>();
        if (scored.Count > 0)
        {
            comparisons[$"{Model}-{PriceOnly}"] = scored.Compare(Model, PriceOnly);
            comparisons[$"{Model}-{Persistence}"] = scored.Compare(Model, Persistence);
            if (withShipped) comparisons[$"{Model}-{Shipped}"] = scored.Compare(Model, Shipped);
        }
        var model = metrics[Model];
        return new WalkForwardResult(model.Count, SignalResult.Round(model.Count == 0 ? 0 : model.Accuracy), SignalResult.Round(model.Mcc),
            SignalResult.Round(model.Count == 0 ? 0 : model.Brier), bySignal, comparisons, from.ToString("yyyy-MM-dd"), to.ToString("yyyy-MM-dd"),
            scored.Days, SignalResult.Round(scored.RiseFraction),
            $"{recipe.Name}: {recipe.Describe(config, bag)}",
            folds, Math.Round(clock.Elapsed.TotalSeconds, 1))
        { Service = service };
    }

    /// <summary>The samples a fold for <paramref name="month"/> fits and calibrates on: all with target days before the month.</summary>
    private static (PriceDataset Fit, PriceDataset Calibrate) Split(PriceDataset all, DateOnly month, WalkForwardRecipe recipe)
    {
        var calibrateFrom = month.AddMonths(-recipe.CalibrationMonths);
        var fitFrom = recipe.FitMonths is { } m ? calibrateFrom.AddMonths(-m) : DateOnly.MinValue;
        var fit = all.Where(s => s.Target >= fitFrom && s.Target < calibrateFrom);
        var cal = all.Where(s => s.Target >= calibrateFrom && s.Target < month);
        if (fit.Rows < MinimumFitSamples)
            throw new InvalidDataException($"{month:yyyy-MM}: only {fit.Rows} samples before {calibrateFrom:yyyy-MM-dd} to fit on (at least {MinimumFitSamples}); start the walk-forward later");
        if (cal.Rows == 0) throw new InvalidDataException($"{month:yyyy-MM}: no samples in [{calibrateFrom:yyyy-MM-dd}, {month:yyyy-MM-dd}) to calibrate on");
        return (fit, cal);
    }

    private static double[] Predict(PriceModel model, PriceDataset test) =>
        [.. model.Scores(test.Masked(model.Card.MaskedFeatures).Features, null, test.Rows).Select(model.Calibrate)];

    /// <summary>
    /// The recipe on one fold: K LightGbm seeds (or the logistic regression) fitted on <paramref name="fit"/>, their mean
    /// score Platt-calibrated on <paramref name="cal"/>.
    /// </summary>
    private static PriceModel Fit(PriceDataset fit, PriceDataset cal, GbmPriceTrainer.Config config, int bag, bool logistic,
        int[] masked, Dictionary<string, int> sectors, string[] sectorNames, CancellationToken ct)
    {
        var fitMasked = fit.Masked(masked);
        var members = new List<byte[]>(bag);
        string input = "", output = "";
        for (var k = 0; k < (logistic ? 1 : bag); k++)
        {
            ct.ThrowIfCancellationRequested();
            (var onnx, input, output) = logistic ? LogisticPriceTrainer.Train(fitMasked) : new GbmPriceTrainer(GbmPriceTrainer.DefaultSeed + k).Train(fitMasked, config);
            members.Add(onnx);
        }
        var graph = members.Count == 1 ? members[0] : OnnxGraphAverage.Average(members, output);
        var card = new PriceModelCard
        {
            Name = "price-walkforward",
            Version = PriceTraining.ModelVersion,
            Kind = logistic ? "logistic" : "gbm",
            FeaturesInput = input,
            ScoreOutput = output,
            FeatureNames = PriceFeatures.Names,
            MaskedFeatures = masked,
            FeatureMeans = fitMasked.FeatureMeans(),
            CalibrationA = 1,
            CalibrationB = 0,
            Sectors = sectors,
            SectorNames = sectorNames,
            TrainedOn = $"{fit.Rows} samples",
        };
        return new PriceModel(graph, Calibration.FitPlatt(graph, card, cal));
    }
}
