using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>Drives an indicator over a series and records an output after every update.</summary>
public static class Run
{
    public static double[] Over<T>(T indicator, double[] x, Func<T, double> output) where T : IIndicator
    {
        var r = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var ready = indicator.Update(x[i]);
            Assert.Equal(ready, indicator.IsReady);
            r[i] = output(indicator);
        }
        return r;
    }

    public static double[] Over<T>(T indicator, double[] x) where T : IIndicator => Over(indicator, x, i => i.Current);

    public static double[] OverBars<T>(T indicator, TestBar[] bars, Func<T, double> output) where T : IBarIndicator
    {
        var r = new double[bars.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            var ready = indicator.Update(bars[i].High, bars[i].Low, bars[i].Close, bars[i].Volume);
            Assert.Equal(ready, indicator.IsReady);
            r[i] = output(indicator);
        }
        return r;
    }
}
