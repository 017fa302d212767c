using MarketPulse.Core.Forecasting;

namespace MarketPulse.Core.Tests.Forecasting;

public class RealizedMeasuresTests
{
    [Fact]
    public void Garman_klass_matches_the_formula()
    {
        // O=100, H=103, L=98, C=101: ½ ln(103/98)² − (2 ln 2 − 1) ln(101/100)².
        var expected = 0.5 * Math.Pow(Math.Log(103.0 / 98), 2) - (2 * Math.Log(2) - 1) * Math.Pow(Math.Log(1.01), 2);
        Assert.Equal(expected, RealizedMeasures.GarmanKlass(100, 103, 98, 101), 15);
    }

    [Fact]
    public void Garman_klass_is_zero_for_a_flat_day_and_nan_for_a_broken_bar()
    {
        Assert.Equal(0, RealizedMeasures.GarmanKlass(10, 10, 10, 10));
        Assert.True(double.IsNaN(RealizedMeasures.GarmanKlass(10, 9, 11, 10))); // High < Low
        Assert.True(double.IsNaN(RealizedMeasures.GarmanKlass(0, 10, 9, 10)));
    }

    [Fact]
    public void Garman_klass_is_never_negative_for_consistent_bars()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var low = 50 + random.NextDouble() * 50;
            var high = low * (1 + random.NextDouble() * 0.1);
            var open = low + (high - low) * random.NextDouble();
            var close = low + (high - low) * random.NextDouble();
            Assert.True(RealizedMeasures.GarmanKlass(open, high, low, close) >= 0);
        }
    }

    [Fact]
    public void Qlike_is_zero_at_the_truth_and_punishes_under_prediction_more()
    {
        Assert.Equal(0, RealizedMeasures.Qlike(2e-4, 2e-4), 15);
        var under = RealizedMeasures.Qlike(2e-4, 1e-4); // forecast half the truth
        var over = RealizedMeasures.Qlike(2e-4, 4e-4);  // twice the truth
        Assert.True(under > over);
        Assert.Equal(2 - Math.Log(2) - 1, under, 12);
    }

    [Fact]
    public void Squared_log_error_is_symmetric_in_ratio()
    {
        Assert.Equal(RealizedMeasures.SquaredLogError(1e-4, 2e-4), RealizedMeasures.SquaredLogError(2e-4, 1e-4), 15);
        Assert.Equal(Math.Log(2) * Math.Log(2), RealizedMeasures.SquaredLogError(1e-4, 2e-4), 12);
    }
}
