using System.Text.Json;
using System.Text.Json.Nodes;
using MarketPulse.Ml.Sentiment;
using MarketPulse.Ml.Tests.Price;

namespace MarketPulse.Ml.Tests.Sentiment;

/// <summary>Temperature scaling: the fit, the cross-fitting, and the served model's use of the json's temperature.</summary>
public sealed class TemperatureScalingTests
{
    /// <summary>
    /// Logits z of an over-confident model whose labels are drawn from softmax(z / <paramref name="trueT"/>): the model's
    /// probabilities are calibrated exactly at T = trueT.
    /// </summary>
    private static (float[] Logits, int[] Labels) Synthetic(double trueT, int n, int seed)
    {
        var rng = new Random(seed);
        var logits = new float[n * 3];
        var labels = new int[n];
        Span<double> p = stackalloc double[3];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < 3; c++) logits[i * 3 + c] = (float)(4 * Normal(rng));
            TemperatureScaling.Softmax(logits.AsSpan(i * 3, 3), trueT, p);
            var u = rng.NextDouble();
            labels[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
        }
        return (logits, labels);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Theory]
    [InlineData(2.5)]
    [InlineData(0.6)]
    [InlineData(1.0)]
    public void The_fit_recovers_the_temperature_the_labels_were_drawn_with(double trueT)
    {
        var (logits, labels) = Synthetic(trueT, 6000, 7);
        var t = TemperatureScaling.Fit(logits, labels);
        Assert.InRange(t, trueT * 0.92, trueT * 1.08);
        // It is the minimum: a step either way raises the NLL.
        Assert.True(TemperatureScaling.Nll(logits, labels, t) < TemperatureScaling.Nll(logits, labels, t * 1.1));
        Assert.True(TemperatureScaling.Nll(logits, labels, t) < TemperatureScaling.Nll(logits, labels, t / 1.1));
        // Deterministic: the same data gives the same bits (train sentiment must reproduce the json).
        Assert.Equal(t, TemperatureScaling.Fit(logits, labels));
    }

    [Fact]
    public void The_fit_stays_in_its_bounds_on_separable_data_and_is_one_on_no_data()
    {
        // Every label is the argmax: the NLL keeps falling as T → 0, so the fit stops at the lower bound.
        float[] logits = [3, 0, 0, 0, 3, 0, 0, 0, 3];
        var t = TemperatureScaling.Fit(logits, [0, 1, 2]);
        Assert.InRange(t, TemperatureScaling.MinTemperature, TemperatureScaling.MinTemperature * 1.001);
        Assert.Equal(1, TemperatureScaling.Fit([], []));
    }

    [Fact]
    public void Labels_never_change_with_the_temperature_and_confidence_moves_towards_a_third()
    {
        var (logits, _) = Synthetic(2.5, 500, 11);
        Span<double> p1 = stackalloc double[3];
        Span<double> pt = stackalloc double[3];
        foreach (var t in new[] { 0.05, 0.5, 2.9, 20 })
            for (var i = 0; i < 500; i++)
            {
                var row = logits.AsSpan(i * 3, 3);
                TemperatureScaling.Softmax(row, 1, p1);
                TemperatureScaling.Softmax(row, t, pt);
                Assert.Equal(TemperatureScaling.Argmax(p1), TemperatureScaling.Argmax(pt));
                var c1 = p1[TemperatureScaling.Argmax(p1)];
                var ct = pt[TemperatureScaling.Argmax(pt)];
                if (t > 1) Assert.True(ct <= c1 + 1e-12 && ct >= 1 / 3.0 - 1e-12, $"T {t}: {ct} vs {c1}");
                else Assert.True(ct >= c1 - 1e-12, $"T {t}: {ct} vs {c1}");
            }
    }

    [Fact]
    public void Cross_fitting_measures_each_half_with_the_temperature_fitted_on_the_other()
    {
        var (logits, labels) = Synthetic(2.5, 4000, 3);
        var folds = Enumerable.Range(0, labels.Length).Select(i => i % 2).ToArray();
        var temperatures = TemperatureScaling.CrossFit(logits, labels, folds);
        for (var f = 0; f < 2; f++)
        {
            var (l, y) = TemperatureScaling.Select(logits, labels, folds, 1 - f);
            Assert.Equal(TemperatureScaling.Fit(l, y), temperatures[f]);
            Assert.InRange(temperatures[f], 2.2, 2.8);
        }
        var outOfFold = TemperatureScaling.MeasureOutOfFold(logits, labels, folds, temperatures);
        var raw = TemperatureScaling.Measure(logits, labels, 1);
        Assert.Equal(raw.Accuracy, outOfFold.Accuracy);
        Assert.True(outOfFold.Nll < raw.Nll && outOfFold.Ece < raw.Ece && outOfFold.Brier < raw.Brier, $"{outOfFold} vs {raw}");
        Assert.True(outOfFold.Ece < 0.03, $"out-of-fold ECE {outOfFold.Ece:F4}");

        // The pooled result equals measuring each half with its own temperature, weighted by size.
        var (l0, y0) = TemperatureScaling.Select(logits, labels, folds, 0);
        var (l1, y1) = TemperatureScaling.Select(logits, labels, folds, 1);
        var nll = (TemperatureScaling.Nll(l0, y0, temperatures[0]) * y0.Length + TemperatureScaling.Nll(l1, y1, temperatures[1]) * y1.Length) / labels.Length;
        Assert.Equal(nll, outOfFold.Nll, 5);
    }

    [Fact]
    public void The_reliability_bins_are_the_ones_the_ece_is_computed_from()
    {
        (double, bool)[] predictions = [(0.95, true), (0.95, false), (0.91, true), (0.55, true), (0.45, false), (1.0, true)];
        var bins = ClassificationMetrics.Reliability(predictions);
        Assert.Equal(10, bins.Length);
        Assert.Equal((4, 0.75, (0.95 + 0.95 + 0.91 + 1.0) / 4), (bins[9].Count, bins[9].Accuracy, bins[9].MeanConfidence));
        Assert.Equal((1, 1.0, 0.55), bins[5]);
        Assert.Equal((1, 0.0, 0.45), bins[4]);
        Assert.Equal(predictions.Length, bins.Sum(b => b.Count));
        var ece = bins.Sum(b => b.Count / (double)predictions.Length * Math.Abs(b.Accuracy - b.MeanConfidence));
        Assert.Equal(ClassificationMetrics.ExpectedCalibrationError(predictions), ece, 12);
    }

    [Fact]
    public void Calibration_on_well_calibrated_logits_does_not_ship_a_temperature()
    {
        // Already calibrated (T = 1): the fitted T is about 1 and the declared rule compares cross-fitted NLL with T = 1's.
        var (logits, labels) = Synthetic(1.0, 3000, 5);
        var folds = Enumerable.Range(0, labels.Length).Select(i => i % 2).ToArray();
        var c = SentimentCalibration.FromLogits(logits, labels, folds, logits, labels, folds);
        Assert.InRange(c.Temperature, 0.92, 1.08);
        Assert.Equal(c.CrossFitted50.Nll < c.Uncalibrated50.Nll, c.Ships);
        var (over, overLabels) = Synthetic(2.5, 3000, 5);
        Assert.True(SentimentCalibration.FromLogits(over, overLabels, folds, over, overLabels, folds).Ships);
    }

    [SharedDataFact("phrasebank")]
    public void Validation_halves_are_a_function_of_the_sentence_and_about_equal()
    {
        var dir = SharedData.Path("phrasebank");
        var split = PhraseBank.ValidationSplit.For(dir);
        var (_, validation) = split.Split(PhraseBank.ReadFile(Path.Combine(dir, PhraseBank.File50Agree)));
        var ones = validation.Count(r => SentimentCalibration.Fold(r.Text) == 1);
        Assert.InRange(ones, 0.4 * validation.Count, 0.6 * validation.Count);
        // Spelling variants that reduce to the same match key fall in the same half.
        Assert.Equal(SentimentCalibration.Fold("Net sales rose 5 % ."), SentimentCalibration.Fold("net SALES rose 5%"));
    }

    private static readonly string[] Texts =
    [
        "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007 .",
        "The company reported a net loss and said it will cut 500 jobs as sales fell sharply .",
        "The annual general meeting will be held in Helsinki on 3 April .",
        "Sales were flat compared with last year .",
    ];

    [Theory]
    [InlineData(SentimentPrecision.Float32)]
    [InlineData(SentimentPrecision.Int8)]
    public void The_served_model_divides_its_logits_by_the_json_temperature_in_both_precisions(SentimentPrecision precision)
    {
        var weights = TunedWeights.Load(RepoPaths.Path("models", "sentiment-minilm.weights"));
        var info = JsonSerializer.Deserialize<SentimentModelInfo>(File.ReadAllText(RepoPaths.Path("models", "sentiment-minilm.json")))!;
        using var plain = new TransformerSentimentScorer(info with { Temperature = null }, weights, precision: precision);
        using var warm = new TransformerSentimentScorer(info with { Temperature = 2.5 }, weights, precision: precision);
        var raw = plain.RawLogits(Texts);
        Assert.Equal(raw, warm.RawLogits(Texts)); // the raw logits do not depend on the temperature
        var a = plain.ScoreBatch(Texts);
        var b = warm.ScoreBatch(Texts);
        var p = warm.Probabilities(Texts);
        Span<double> expected = stackalloc double[3];
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(a[i].Label, b[i].Label);
            // A confidently polar text's polarity shrinks towards 0 (a neutral one's, near 0, may move either way).
            if (a[i].Label != MarketPulse.Core.Sentiment.SentimentLabel.Neutral)
                Assert.True(Math.Abs(b[i].Polarity) < Math.Abs(a[i].Polarity), $"{Texts[i]}: {b[i].Polarity} vs {a[i].Polarity}");
            Assert.True(b[i].Confidence < a[i].Confidence);
            TemperatureScaling.Softmax(raw.AsSpan(i * 3, 3), 2.5, expected);
            Assert.Equal(expected[2] - expected[0], b[i].Polarity, 5);
            Assert.Equal(expected[0], p[i * 3], 5);
            Assert.Equal(expected[1], p[i * 3 + 1], 5);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_temperature_that_is_not_a_positive_finite_number_is_a_load_error(double t)
    {
        var weights = TunedWeights.Load(RepoPaths.Path("models", "sentiment-minilm.weights"));
        var info = JsonSerializer.Deserialize<SentimentModelInfo>(File.ReadAllText(RepoPaths.Path("models", "sentiment-minilm.json")))!;
        var ex = Assert.Throws<InvalidDataException>(() => new TransformerSentimentScorer(info with { Temperature = t }, weights));
        Assert.Contains("temperature", ex.Message);
    }

    [Fact]
    public void A_json_without_a_temperature_loads_at_one_and_a_negative_one_in_the_file_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("mp-temperature-").FullName;
        try
        {
            File.Copy(RepoPaths.Path("models", "sentiment-minilm.weights"), Path.Combine(dir, "sentiment-minilm.weights"));
            var json = JsonNode.Parse(File.ReadAllText(RepoPaths.Path("models", "sentiment-minilm.json")))!.AsObject();
            json.Remove("temperature");
            File.WriteAllText(Path.Combine(dir, "sentiment-minilm.json"), json.ToJsonString());
            using (var old = TransformerSentimentScorer.LoadShipped(dir))
            {
                Assert.Null(old.Info.Temperature);
                Assert.Equal(1, old.Info.EffectiveTemperature);
                var raw = old.RawLogits(Texts[..1]);
                Span<double> expected = stackalloc double[3];
                TemperatureScaling.Softmax(raw, 1, expected);
                Assert.Equal(expected[2] - expected[0], old.Score(Texts[0]).Polarity, 6);
            }
            json["temperature"] = -1;
            File.WriteAllText(Path.Combine(dir, "sentiment-minilm.json"), json.ToJsonString());
            var ex = Assert.Throws<InvalidDataException>(() => TransformerSentimentScorer.LoadShipped(dir));
            Assert.Contains("temperature must be a finite number greater than 0", ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_json_carries_the_fitted_temperature()
    {
        var info = JsonSerializer.Deserialize<SentimentModelInfo>(File.ReadAllText(RepoPaths.Path("models", "sentiment-minilm.json")))!;
        // Fitted by `train sentiment --calibrate-only` (docs/models/sentiment.md): an over-confident model gets T > 1.
        Assert.NotNull(info.Temperature);
        Assert.InRange(info.Temperature!.Value, 1.5, 5);
        Assert.Equal("minilm-l6-phrasebank-v2", info.Version); // the weights, so the version, are unchanged
    }
}
