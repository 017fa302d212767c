using MarketPulse.Ml.Price;

namespace MarketPulse.Ml.Tests.Price;

[Collection(StockNetCollection.Name)]
public class CausalityTests(StockNetFixture fixture)
{
    private static readonly DateOnly Target = new(2015, 9, 15);

    /// <summary>Everything dated on/after the target day, and every text from the basis close on, replaced by nonsense.</summary>
    private static PriceInputs Tamper(PriceInputs inputs)
    {
        var rng = new Random(5);
        var bars = inputs.Bars.Select(b => b.Date >= inputs.Target
            ? b with { Open = b.Open * 3, High = b.High * 5, Low = b.Low / 4, Close = b.Close * (0.2 + rng.NextDouble()), Volume = b.Volume * 100 }
            : b).ToList();
        var last = bars[^1];
        for (var i = 1; i <= 5; i++) bars.Add(last with { Date = last.Date.AddDays(i), Close = last.Close * 9 });
        var basis = inputs.Bars.Last(b => b.Date < inputs.Target);
        var cutoff = PriceFeatures.Cutoff(basis);
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

    [Theory]
    [InlineData("AAPL")]
    [InlineData("XOM")]
    [InlineData("JPM")]
    public void FeaturesIgnoreEverythingFromTheBasisCloseOn(string symbol)
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

    [Fact]
    public void FeaturesDoMoveWithTheBasisDay()
    {
        // The counterpart: the last bar before the target and the texts before the close are read (the test above can fail).
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

    [Fact]
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

    [Fact]
    public void NoBarBeforeTheTargetMeansNoPrediction()
    {
        var inputs = fixture.Data.Inputs("AAPL", new DateOnly(2000, 1, 3));
        Assert.False(PriceFeatures.TryCompute(inputs, new float[PriceFeatures.Count]));
        using var model = Repo.ShippedPriceModel();
        Assert.Null(model.Predict(inputs));
    }
}
