using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>VWAP (with its session reset) and OBV against their cumulative definitions.</summary>
public sealed class VolumeTests
{
    public static TheoryData<string> Series() => RealSeries.All();

    [SharedDataTheory("lean")]
    [InlineData("lean-minute:spy")]
    [InlineData("lean-minute:aapl")]
    [InlineData("lean-minute:bac")]
    public void VolumeWeightedAveragePrice_restarts_each_trading_day(string series)
    {
        var bars = RealSeries.Bars(series);
        Assert.True(bars.Select(b => b.Day).Distinct().Count() >= 3, "the series must span several sessions");
        var vwap = new VolumeWeightedAveragePrice();
        var actual = new double[bars.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            Assert.Equal(vwap.Update(bars[i].Day, bars[i].High, bars[i].Low, bars[i].Close, bars[i].Volume), vwap.IsReady);
            actual[i] = vwap.Current;
        }
        SeriesAssert.Matches($"VWAP {series}", BatchReference.SessionVwap(bars), actual);
        Assert.Equal(bars[^1].Day, vwap.Session);
    }

    [SharedDataFact("lean")]
    public void VolumeWeightedAveragePrice_without_a_session_is_cumulative()
    {
        var bars = RealSeries.Bars("lean-minute:spy");
        var allOneDay = bars.Select(b => b with { Day = default }).ToArray();
        SeriesAssert.Matches("VWAP", BatchReference.SessionVwap(allOneDay),
            Run.OverBars(new VolumeWeightedAveragePrice(), bars, v => v.Current));
    }

    [Fact]
    public void VolumeWeightedAveragePrice_of_trades_weights_each_price_by_its_size()
    {
        var vwap = new VolumeWeightedAveragePrice();
        Assert.False(vwap.Update(167.41, 0));
        Assert.True(double.IsNaN(vwap.Current));
        Assert.True(vwap.Update(167.41, 100));
        Assert.True(vwap.Update(167.45, 300));
        Assert.Equal((167.41 * 100 + 167.45 * 300) / 400, vwap.Current, 1e-12);
        vwap.StartSession();
        Assert.False(vwap.IsReady);
        Assert.True(vwap.Update(170.00, 5));
        Assert.Equal(170.00, vwap.Current);
    }

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void OnBalanceVolume_matches_the_signed_volume_total(string series)
    {
        var bars = RealSeries.Bars(series);
        // Volumes are whole shares, so the total is exact in doubles (below 2⁵³).
        Assert.Equal(BatchReference.Obv(bars), Run.OverBars(new OnBalanceVolume(), bars, o => o.Current));
    }
}
