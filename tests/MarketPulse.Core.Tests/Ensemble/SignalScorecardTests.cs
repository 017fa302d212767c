using MarketPulse.Core.Ensemble;

namespace MarketPulse.Core.Tests.Ensemble;

public class SignalScorecardTests
{
    [Fact]
    public void Hit_rate_brier_and_reliability_match_hand_computation()
    {
        var card = new SignalScorecard();
        Assert.Equal(0.09, card.Add(0.7, wentUp: true), 12);   // hit, (0.7-1)²
        Assert.Equal(0.49, card.Add(0.7, wentUp: false), 12);  // miss, 0.7²
        Assert.Equal(0.16, card.Add(0.4, wentUp: false), 12);  // hit, 0.4²
        Assert.Equal(3, card.Count);
        Assert.Equal(2, card.Hits);
        Assert.Equal((0.09 + 0.49 + 0.16) / 3, card.Brier, 12);
        var bins = card.Reliability();
        Assert.Equal(2, bins.Count);
        Assert.Equal(0.4, bins[0].From, 12);
        Assert.Equal(0.0, bins[0].ObservedFrequency, 12);
        Assert.Equal(0.7, bins[1].From, 12);
        Assert.Equal(2, bins[1].Count);
        Assert.Equal(0.5, bins[1].ObservedFrequency, 12);
    }

    [Fact]
    public void Survives_a_save_and_restore()
    {
        var card = new SignalScorecard();
        card.Add(0.9, true);
        card.Add(0.2, true);
        var copy = SignalScorecard.Restore(card.Save());
        Assert.Equal(card.Count, copy.Count);
        Assert.Equal(card.Brier, copy.Brier, 12);
        Assert.Equal(card.Reliability().Count, copy.Reliability().Count);
    }
}
