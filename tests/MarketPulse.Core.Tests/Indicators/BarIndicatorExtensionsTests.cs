using MarketPulse.Core.Indicators;
using MarketPulse.Core.Market;

namespace MarketPulse.Core.Tests.Indicators;

public sealed class BarIndicatorExtensionsTests
{
    [SharedDataFact("lean")]
    public void A_core_bar_feeds_high_low_close_and_volume_in_that_order()
    {
        var bars = RealSeries.Bars("lean-minute:spy");
        var atrFromFields = new AverageTrueRange(14);
        var vwapFromBars = new VolumeWeightedAveragePrice();
        var vwapFromFields = new VolumeWeightedAveragePrice();
        var atrFromBars = new AverageTrueRange(14);
        foreach (var b in bars)
        {
            var bar = new Bar(default, TimeSpan.FromMinutes(1), b.Day, b.Open, b.High, b.Low, b.Close, b.Volume, 0);
            Assert.Equal(atrFromFields.Update(b.High, b.Low, b.Close, b.Volume), atrFromBars.Update(bar));
            Assert.Equal(vwapFromFields.Update(b.High, b.Low, b.Close, b.Volume), vwapFromBars.Update(bar));
            Assert.Equal(atrFromFields.Current, atrFromBars.Current);
            Assert.Equal(vwapFromFields.Current, vwapFromBars.Current);
        }
        Assert.True(atrFromBars.IsReady);
    }
}
