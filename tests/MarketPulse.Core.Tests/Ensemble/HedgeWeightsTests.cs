using MarketPulse.Core.Ensemble;

namespace MarketPulse.Core.Tests.Ensemble;

public class HedgeWeightsTests
{
    [Fact]
    public void Starts_uniform_and_combines_as_the_plain_mean()
    {
        var hedge = new HedgeWeights(3);
        Assert.All(hedge.Weights, w => Assert.Equal(1.0 / 3, w, 12));
        Assert.Equal((0.6 + 0.4 + 0.8) / 3, hedge.Combine([0.6, 0.4, 0.8]), 12);
    }

    [Fact]
    public void One_update_matches_the_hedge_rule_computed_by_hand()
    {
        // w_i ∝ exp(−η·loss_i) from uniform, then mixed with uniform by the share.
        var hedge = new HedgeWeights(2, learningRate: 2.0, share: 0.1);
        hedge.Update([0.1, 0.4]);
        var a = Math.Exp(-0.2);
        var b = Math.Exp(-0.8);
        var expectedA = 0.9 * a / (a + b) + 0.1 * 0.5;
        Assert.Equal(expectedA, hedge.Weights[0], 12);
        Assert.Equal(1 - expectedA, hedge.Weights[1], 12);
    }

    [Fact]
    public void The_better_expert_gains_weight_and_a_recovering_one_can_win_it_back()
    {
        var hedge = new HedgeWeights(2, learningRate: 2.0, share: 0.05);
        for (var i = 0; i < 50; i++) hedge.Update([0.0, 1.0]);
        Assert.True(hedge.Weights[0] > 0.95);
        Assert.True(hedge.Weights[1] >= 0.025 - 1e-12, "fixed share keeps a floor");
        for (var i = 0; i < 50; i++) hedge.Update([1.0, 0.0]);
        Assert.True(hedge.Weights[1] > 0.9);
    }

    [Fact]
    public void An_abstaining_expert_keeps_its_weight_relative_to_the_mix()
    {
        var hedge = new HedgeWeights(3, learningRate: 2.0, share: 0.0);
        hedge.Update([0.2, double.NaN, 0.2]);
        Assert.All(hedge.Weights, w => Assert.Equal(1.0 / 3, w, 12));
        Assert.Equal(0.7, hedge.Combine([0.7, double.NaN, 0.7]), 12);
    }

    [Fact]
    public void Rejects_losses_outside_the_unit_interval()
    {
        var hedge = new HedgeWeights(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => hedge.Update([1.5, 0.1]));
    }
}
