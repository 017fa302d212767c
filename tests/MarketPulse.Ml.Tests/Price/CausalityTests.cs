using MarketPulse.Ml.Price;

namespace MarketPulse.Ml.Tests.Price;

[Collection(StockNetCollection.Name)]
public class CausalityTests(StockNetFixture fixture)
{
    private static readonly DateOnly Target = new(2015, 9, 15);

    /// <summary>Everything dated on/after the target day, and every text from the prediction time (00:00 UTC of the target) on, replaced by nonsense.</summary>
    private static PriceInputs Tamper(PriceInputs inputs)
    {
        var rng = new Random(5);
        var bars = inputs.Bars.Select(b => b.Date >= inputs.Target
            ? b with { Open = b.Open * 3, High = b.High * 5, Low = b.Low / 4, Close = b.Close * (0.2 + rng.NextDouble()), Volume = b.Volume * 100 }
            : b).ToList();
        var last = bars[^1];
        for (var i = 1; i <= 5; i++) bars.Add(last with { Date = last.Date.AddDays(i), Close = last.Close * 9 });
        var cutoff = PriceFeatures.PredictionTimeUtc(inputs.Target);
        var texts = inputs.Texts.Where(t => t.TimeUtc < cutoff).ToList();
        for (var i = 0; i < 500; i++) texts.Add(new TextObservation(cutoff.AddMinutes(i * 7), 1.0));
        var market = inputs.Market;
        return inputs with
        {
            Bars = bars,
            Texts = texts,
            Market = day => day >= inputs.Target ? new MarketDay(0.5, -0.5, 0.9) : market(day),
        };
    }

    [SharedDataTheory("stocknet")]
    [InlineData("AAPL")]
    [InlineData("XOM")]
    [InlineData("JPM")]
    public void FeaturesIgnoreEverythingFromThePredictionTimeOn(string symbol)
    {
        var inputs = fixture.Data.Inputs(symbol, Target);
        Assert.Contains(inputs.Texts, t => t.TimeUtc >= PriceFeatures.TextWindowStart(Target) && t.TimeUtc < Target.ToDateTime(TimeOnly.MinValue));
        var tampered = Tamper(inputs);

        var a = new float[PriceFeatures.Count];
        var b = new float[PriceFeatures.Count];
        Assert.True(PriceFeatures.TryCompute(inputs, a));
        Assert.True(PriceFeatures.TryCompute(tampered, b));
        Assert.Equal(a, b);

        var sa = new float[PriceFeatures.SequenceDays * PriceFeatures.SequenceWidth];
        var sb = new float[sa.Length];
        PriceFeatures.TryComputeSequence(inputs, sa);
        PriceFeatures.TryComputeSequence(tampered, sb);
        Assert.Equal(sa, sb);

        using var model = Repo.ShippedPriceModel();
        Assert.Equal(model.Predict(inputs)!.ProbabilityUp, model.Predict(tampered)!.ProbabilityUp);
    }

    [SharedDataFact("stocknet")]
    public void FeaturesDoMoveWithTheBasisDay()
    {
        // The counterpart: the last bar before the target and the texts before the prediction time are read (the test above can fail).
        var inputs = fixture.Data.Inputs("AAPL", Target);
        var basis = inputs.Bars.Last(b => b.Date < Target);
        var moved = inputs with { Bars = inputs.Bars.Select(b => b.Date == basis.Date ? b with { Close = b.Close * 1.05 } : b).ToList() };
        var texted = inputs with { Texts = inputs.Texts.Append(new TextObservation(PriceFeatures.Cutoff(basis).AddMinutes(-1), -1.0)).OrderBy(t => t.TimeUtc).ToList() };
        var a = new float[PriceFeatures.Count];
        var b = new float[PriceFeatures.Count];
        var c = new float[PriceFeatures.Count];
        PriceFeatures.TryCompute(inputs, a);
        PriceFeatures.TryCompute(moved, b);
        PriceFeatures.TryCompute(texted, c);
        Assert.NotEqual(a[0], b[0]);
        Assert.True(c[19] < a[19], "a negative post before the close lowers the 5-day polarity");
    }

    [SharedDataTheory("stocknet")]
    [InlineData("AAPL")]
    [InlineData("XOM")]
    public void APostBetweenTheBasisCloseAndThePredictionTimeMovesTheFeatures(string symbol)
    {
        // StockNet's window ends at 00:00 UTC of the target day: the basis day's after-hours posts are read.
        var inputs = fixture.Data.Inputs(symbol, Target);
        var basis = inputs.Bars.Last(b => b.Date < Target);
        var predictionTime = PriceFeatures.PredictionTimeUtc(Target);
        Assert.Equal(new DateTime(2015, 9, 15, 0, 0, 0, DateTimeKind.Utc), predictionTime);
        Assert.True(PriceFeatures.Cutoff(basis) < predictionTime.AddMinutes(-1));
        var late = inputs with { Texts = inputs.Texts.Append(new TextObservation(predictionTime.AddMinutes(-1), -1.0)).OrderBy(t => t.TimeUtc).ToList() };
        var atTime = inputs with { Texts = inputs.Texts.Append(new TextObservation(predictionTime, -1.0)).OrderBy(t => t.TimeUtc).ToList() };
        var a = new float[PriceFeatures.Count];
        var b = new float[PriceFeatures.Count];
        var c = new float[PriceFeatures.Count];
        PriceFeatures.TryCompute(inputs, a);
        PriceFeatures.TryCompute(late, b);
        PriceFeatures.TryCompute(atTime, c);
        Assert.True(b[19] < a[19], "5-day polarity");
        Assert.True(b[20] > a[20], "5-day count");
        Assert.True(b[24] < a[24], "last-24-h polarity");
        Assert.Equal(a, c);

        var sa = new float[PriceFeatures.SequenceDays * PriceFeatures.SequenceWidth];
        var sb = new float[sa.Length];
        PriceFeatures.TryComputeSequence(inputs, sa);
        PriceFeatures.TryComputeSequence(late, sb);
        var lastRow = (PriceFeatures.SequenceDays - 1) * PriceFeatures.SequenceWidth;
        Assert.True(sb[lastRow + 6] > sa[lastRow + 6], "the last day's text count includes the after-hours post");
    }

    [SharedDataFact("stocknet")]
    public void PostsInTheLastHourBeforeThePredictionTimeCanMoveTheShippedModel()
    {
        // The shipped GBM responds to text counts in steps (tree splits), so one post rarely moves its probability; 200
        // posts in the last hour before 00:00 UTC of the target must move it for at least one of these tickers and days —
        // with a window cut at the basis close, none would.
        using var model = Repo.ShippedPriceModel();
        var moved = 0;
        foreach (var symbol in new[] { "AAPL", "XOM", "JPM", "GE" })
            foreach (var target in new[] { new DateOnly(2015, 9, 15), new DateOnly(2015, 8, 20), new DateOnly(2015, 7, 8) })
            {
                var inputs = fixture.Data.Inputs(symbol, target);
                var at = PriceFeatures.PredictionTimeUtc(target);
                var late = inputs with
                {
                    Texts = inputs.Texts.Concat(Enumerable.Range(1, 200).Select(i => new TextObservation(at.AddSeconds(-15 * i), -1.0))).OrderBy(t => t.TimeUtc).ToList(),
                };
                if (model.Predict(inputs)!.ProbabilityUp != model.Predict(late)!.ProbabilityUp) moved++;
            }
        Assert.True(moved > 0);
    }

    [SharedDataFact("stocknet")]
    public void AMondayTargetReadsTheWeekendPosts()
    {
        var monday = new DateOnly(2015, 9, 14);
        var inputs = fixture.Data.Inputs("AAPL", monday);
        Assert.Equal(new DateOnly(2015, 9, 11), inputs.Bars.Last(b => b.Date < monday).Date);
        var saturday = new DateTime(2015, 9, 12, 15, 0, 0, DateTimeKind.Utc);
        var withWeekend = inputs with { Texts = inputs.Texts.Append(new TextObservation(saturday, 1.0)).OrderBy(t => t.TimeUtc).ToList() };
        var a = new float[PriceFeatures.Count];
        var b = new float[PriceFeatures.Count];
        PriceFeatures.TryCompute(inputs, a);
        PriceFeatures.TryCompute(withWeekend, b);
        Assert.True(b[20] > a[20]);
    }

    [SharedDataFact("stocknet")]
    public void TextsOlderThanFiveCalendarDaysBeforeTheTargetAreNotRead()
    {
        var inputs = fixture.Data.Inputs("AAPL", Target);
        var old = inputs with { Texts = [new TextObservation(PriceFeatures.TextWindowStart(Target).AddSeconds(-1), 1.0), .. inputs.Texts] };
        var a = new float[PriceFeatures.Count];
        var b = new float[PriceFeatures.Count];
        PriceFeatures.TryCompute(inputs, a);
        PriceFeatures.TryCompute(old, b);
        Assert.Equal(a[19], b[19]);
        Assert.Equal(a[20], b[20]);
    }

    [SharedDataFact("stocknet")]
    public void NoBarBeforeTheTargetMeansNoPrediction()
    {
        var inputs = fixture.Data.Inputs("AAPL", new DateOnly(2000, 1, 3));
        Assert.False(PriceFeatures.TryCompute(inputs, new float[PriceFeatures.Count]));
        using var model = Repo.ShippedPriceModel();
        Assert.Null(model.Predict(inputs));
    }
}
