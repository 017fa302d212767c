using MarketPulse.Core.Indicators;
using MarketPulse.Core.Signals;

namespace MarketPulse.Core.Tests.Indicators;

public class DailyIndicatorPanelTests
{
    [Fact]
    public void Peek_reads_the_update_it_would_make_without_committing_it()
    {
        var ema = new ExponentialMovingAverage(3);
        Assert.True(double.IsNaN(ema.Peek(1)));
        ema.Update(1);
        ema.Update(2);
        Assert.Equal(2.0, ema.Peek(3), 12); // the seed: the mean of the first three
        Assert.False(ema.IsReady);
        ema.Update(3);
        var before = ema.Current;
        var peeked = ema.Peek(10);
        Assert.Equal(before, ema.Current);
        ema.Update(10);
        Assert.Equal(ema.Current, peeked, 12);
    }

    [Fact]
    public void The_live_momentum_reads_the_latest_price_as_if_it_closed_the_day_and_commits_nothing()
    {
        var panel = new DailyIndicatorPanel();
        var close = 100.0;
        for (var d = 0; d < 40; d++)
        {
            close *= d % 3 == 0 ? 0.99 : 1.012;
            panel.Update(close * 1.01, close * 0.99, close, 1e6);
        }
        var closed = panel.MomentumProbability();
        var live = panel.MomentumProbability(close * 1.05);
        Assert.Equal(closed, panel.MomentumProbability(), 15);
        Assert.True(live > closed, "a higher live price pulls the fast EMA up more than the slow one");
        Assert.Equal(MomentumRule.ProbabilityUp(panel.Ema12.Peek(close * 1.05), panel.Ema26.Peek(close * 1.05), panel.Rsi14.Current,
            panel.Volatility20.Current), live, 15);
        Assert.Equal(40, panel.Days);
    }

    [Fact]
    public void Before_the_emas_are_ready_there_is_no_momentum_call()
    {
        var panel = new DailyIndicatorPanel();
        for (var d = 0; d < 20; d++) panel.Update(101, 99, 100 + d, 1e6);
        Assert.True(double.IsNaN(panel.MomentumProbability()));
        Assert.True(double.IsNaN(panel.MomentumProbability(130)));
    }
}
