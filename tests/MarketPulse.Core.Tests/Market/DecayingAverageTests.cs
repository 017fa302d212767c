using MarketPulse.Core.Sentiment;

namespace MarketPulse.Core.Tests.Market;

public class DecayingAverageTests
{
    private static readonly DateTime T0 = new(2015, 3, 2, 21, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Halves_the_weight_per_half_life_and_ignores_anything_at_or_after_as_of()
    {
        (DateTime Time, double Value)[] items = [(T0.AddHours(-24), 1.0), (T0.AddHours(-48), -1.0), (T0, 100), (T0.AddHours(1), 100)];
        var (mean, weight) = DecayingAverage.Compute(items, x => x.Time, x => x.Value, T0, TimeSpan.FromHours(24), TimeSpan.FromDays(5));
        // weights 0.5 and 0.25: (0.5 − 0.25) / 0.75
        Assert.Equal(1.0 / 3, mean, 12);
        Assert.Equal(0.75, weight, 12);
    }

    [Fact]
    public void Nothing_in_the_window_is_no_signal()
    {
        (DateTime Time, double Value)[] items = [(T0.AddDays(-6), 1.0)];
        var (mean, weight) = DecayingAverage.Compute(items, x => x.Time, x => x.Value, T0, TimeSpan.FromHours(24), TimeSpan.FromDays(5));
        Assert.Equal((0.0, 0.0), (mean, weight));
    }
}
