using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>The <see cref="IIndicator"/>/<see cref="IBarIndicator"/> contract, checked for every indicator on real bars.</summary>
public sealed class IndicatorContractTests
{
    private static TestBar[] Aapl => RealSeries.Bars("stocknet:AAPL");

    [SharedDataTheory("stocknet")]
    [MemberData(nameof(IndicatorCase.Names), MemberType = typeof(IndicatorCase))]
    public void Is_undefined_until_exactly_WarmUpPeriod_bars(string name)
    {
        var indicator = IndicatorCase.Named(name).Create();
        var bars = Aapl;
        for (var i = 0; i < indicator.WarmUpPeriod - 1; i++)
        {
            Assert.False(Feed(indicator, bars[i]), $"ready after {i + 1} bars");
            Assert.False(indicator.IsReady);
            Assert.True(double.IsNaN(indicator.Current));
        }
        Assert.True(Feed(indicator, bars[indicator.WarmUpPeriod - 1]));
        Assert.True(indicator.IsReady);
        Assert.True(double.IsFinite(indicator.Current));
        Assert.Equal(indicator.WarmUpPeriod, indicator.Samples);
    }

    [SharedDataTheory("stocknet")]
    [MemberData(nameof(IndicatorCase.Names), MemberType = typeof(IndicatorCase))]
    public void A_single_bar_defines_only_indicators_with_a_warm_up_of_one(string name)
    {
        var indicator = IndicatorCase.Named(name).Create();
        var ready = Feed(indicator, Aapl[0]);
        Assert.Equal(indicator.WarmUpPeriod == 1, ready);
        Assert.Equal(ready, double.IsFinite(indicator.Current));
        Assert.Equal(1, indicator.Samples);
    }

    [SharedDataTheory("stocknet")]
    [MemberData(nameof(IndicatorCase.Names), MemberType = typeof(IndicatorCase))]
    public void Non_finite_bars_are_gaps_that_change_nothing(string name)
    {
        var c = IndicatorCase.Named(name);
        var clean = c.Create();
        var gappy = c.Create();
        var bars = Aapl;
        var poison = new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity };
        for (var i = 0; i < bars.Length; i++)
        {
            if (i % 7 == 3)
            {
                var before = gappy.Current;
                var p = poison[i % 3];
                // Each field in turn carries the gap for bar indicators, so none can skip checking a field it does not use;
                // close-price indicators only ever see the close.
                var gap = (gappy is ScalarAsBar ? 0 : i / 7 % 4) switch
                {
                    0 => bars[i] with { Close = p },
                    1 => bars[i] with { High = p },
                    2 => bars[i] with { Low = p },
                    _ => bars[i] with { Volume = p },
                };
                Assert.Equal(gappy.IsReady, Feed(gappy, gap));
                Assert.Equal(before, gappy.Current);
            }
            Assert.Equal(Feed(clean, bars[i]), Feed(gappy, bars[i]));
            Assert.Equal(clean.Current, gappy.Current);
            Assert.Equal(clean.Samples, gappy.Samples);
        }
    }

    [SharedDataTheory("lean")]
    [MemberData(nameof(IndicatorCase.Names), MemberType = typeof(IndicatorCase))]
    public void Reset_returns_to_the_fresh_state(string name)
    {
        var c = IndicatorCase.Named(name);
        var fresh = c.Create();
        var reused = c.Create();
        var bars = RealSeries.Bars("lean-minute:spy");
        foreach (var bar in bars.AsSpan(0, 300)) Feed(reused, bar);
        reused.Reset();
        Assert.Equal(0, reused.Samples);
        Assert.False(reused.IsReady);
        Assert.True(double.IsNaN(reused.Current));
        foreach (var bar in bars.AsSpan(300, 500))
        {
            Assert.Equal(Feed(fresh, bar), Feed(reused, bar));
            Assert.Equal(fresh.Current, reused.Current);
        }
    }

    [Theory]
    [MemberData(nameof(IndicatorCase.Names), MemberType = typeof(IndicatorCase))]
    public void A_constant_series_gives_the_textbook_flat_value(string name)
    {
        var c = IndicatorCase.Named(name);
        var indicator = c.Create();
        for (var i = 0; i < 200; i++) indicator.Update(42.5, 42.5, 42.5, 1000);
        Assert.True(indicator.IsReady);
        Assert.Equal(c.FlatValue, indicator.Current);
    }

    private static bool Feed(IBarIndicator indicator, TestBar bar) => indicator.Update(bar.High, bar.Low, bar.Close, bar.Volume);
}
