using MarketPulse.Core.Ensemble;

namespace MarketPulse.Core.Tests.Ensemble;

public class LogisticStackingTests
{
    private static readonly DateOnly Start = new(2015, 1, 5);

    /// <summary>
    /// Synthetic market: each day 40 tickers; the "price" expert is right 65 % of the time, "sentiment" is wrong 65 %
    /// of the time (anti-predictive), "persistence" is a coin flip.
    /// </summary>
    private static List<StackingOutcome> Outcomes(int days, int seed = 1)
    {
        var rng = new Random(seed);
        var list = new List<StackingOutcome>();
        for (var d = 0; d < days; d++)
            for (var s = 0; s < 40; s++)
            {
                var up = rng.NextDouble() < 0.5;
                double Call(double accuracy) => (rng.NextDouble() < accuracy) == up ? 0.6 : 0.4;
                list.Add(new StackingOutcome(Start.AddDays(d), $"S{s:D2}", [Call(0.65), Call(0.35), Call(0.5)], up));
            }
        return list;
    }

    private static double LogLoss(IEnumerable<(double P, bool Up)> calls) =>
        calls.Average(c => -Math.Log(c.Up ? c.P : 1 - c.P));

    /// <summary>One unit of evidence per outcome, with a bias: the most eager variant, to see the maths learn quickly.</summary>
    private static readonly StackingOptions PerOutcome = new([1, 0, 0]);

    [Fact]
    public void Learns_to_invert_an_anti_predictive_expert_and_ignore_a_useless_one()
    {
        var stacking = new LogisticStacking(PerOutcome);
        var outcomes = Outcomes(60);
        foreach (var o in outcomes) stacking.Add(o);
        var model = stacking.ModelFor(Start.AddDays(60));

        Assert.Equal(outcomes.Count, model.Outcomes);
        Assert.True(model.Coefficients[0] > 0.8, $"useful expert: {model.Coefficients[0]:F3}");
        Assert.True(model.Coefficients[1] < -0.8, $"anti-predictive expert must be inverted: {model.Coefficients[1]:F3}");
        Assert.True(Math.Abs(model.Coefficients[2]) < 0.35, $"coin-flip expert must be near 0: {model.Coefficients[2]:F3}");

        // On fresh outcomes of the same market the stacked probability beats the best single expert and the Hedge-style
        // convex mix, which cannot use the inverted signal.
        var test = Outcomes(20, seed: 2);
        var stacked = LogLoss(test.Select(o => (LogisticStacking.Predict(model, o.Probabilities), o.WentUp)));
        var price = LogLoss(test.Select(o => (o.Probabilities[0], o.WentUp)));
        var mean = LogLoss(test.Select(o => (o.Probabilities.Average(), o.WentUp)));
        Assert.True(stacked < price - 0.02, $"stacked {stacked:F4} vs price alone {price:F4}");
        Assert.True(stacked < mean - 0.02, $"stacked {stacked:F4} vs the plain mix {mean:F4}");
    }

    [Fact]
    public void An_outcome_is_used_only_for_predictions_after_its_day_has_closed()
    {
        var stacking = new LogisticStacking(SignalMix.StackingDefaults);
        var day = Start.AddDays(3);
        stacking.Add(new StackingOutcome(day, "AAA", [0.6, 0.5, 0.5], WentUp: false));

        // Predictions made at the close of the outcome's own day (or earlier) do not see it.
        var before = stacking.ModelFor(day.AddDays(-1));
        var same = stacking.ModelFor(day);
        Assert.Equal(0, same.Outcomes);
        Assert.Equal(1, stacking.PendingCount);
        Assert.Equal(SignalMix.StackingDefaults.PriorWeights, same.Coefficients);
        Assert.Equal(before, same);

        // From the next close on it does, and it moves the price coefficient down (price said up, it went down).
        var next = stacking.ModelFor(day.AddDays(1));
        Assert.Equal(1, next.Outcomes);
        Assert.Equal(0, stacking.PendingCount);
        Assert.True(next.Coefficients[0] < 1, $"{next.Coefficients[0]}");
    }

    [Fact]
    public void The_model_does_not_depend_on_the_order_tickers_report_in_nor_on_how_often_it_was_refitted()
    {
        var outcomes = Outcomes(10);
        var inOrder = new LogisticStacking(SignalMix.StackingDefaults);
        var shuffled = new LogisticStacking(SignalMix.StackingDefaults);
        var rng = new Random(7);
        for (var d = 0; d < 10; d++)
        {
            var day = Start.AddDays(d);
            var ofDay = outcomes.Where(o => o.TargetDay == day).ToList();
            foreach (var o in ofDay) inOrder.Add(o);
            foreach (var o in ofDay.OrderBy(_ => rng.Next())) shuffled.Add(o);
            // One refits every day, the other only at the end.
            inOrder.ModelFor(day.AddDays(1));
        }
        var a = inOrder.ModelFor(Start.AddDays(11));
        var b = shuffled.ModelFor(Start.AddDays(11));
        Assert.Equal(a.Bias, b.Bias);
        Assert.Equal(a.Coefficients, b.Coefficients);
    }

    [Fact]
    public void A_saved_state_restores_the_same_model_and_pending_outcomes()
    {
        var stacking = new LogisticStacking(SignalMix.StackingDefaults);
        foreach (var o in Outcomes(5)) stacking.Add(o);
        var model = stacking.ModelFor(Start.AddDays(4)); // day 4 stays pending
        var restored = new LogisticStacking(SignalMix.StackingDefaults, stacking.Save());
        Assert.Equal(model.Coefficients, restored.Current.Coefficients);
        Assert.Equal(model.Bias, restored.Current.Bias);
        Assert.Equal(stacking.PendingCount, restored.PendingCount);
        Assert.Equal(stacking.ModelFor(Start.AddDays(9)).Coefficients, restored.ModelFor(Start.AddDays(9)).Coefficients);
    }

    [Fact]
    public void Keeps_only_the_most_recent_window_of_outcomes()
    {
        var stacking = new LogisticStacking(SignalMix.StackingDefaults with { Window = 100 });
        foreach (var o in Outcomes(5)) stacking.Add(o);
        Assert.Equal(100, stacking.ModelFor(Start.AddDays(5)).Outcomes);
        Assert.All(stacking.Save().Used, o => Assert.True(o.TargetDay >= Start.AddDays(2), $"{o.TargetDay}"));
    }

    [Fact]
    public void An_abstaining_expert_adds_nothing_and_the_explanation_shares_sum_to_one()
    {
        var model = new StackingModel(0.1, [1.2, -0.8, 0.3], null, 100);
        Assert.Equal(LogisticStacking.Predict(model, [0.6, 0.5, 0.45]), LogisticStacking.Predict(model, [0.6, double.NaN, 0.45]), 15);

        var parts = new List<MixContribution>();
        var p = LogisticStacking.Predict(model, [0.6, 0.7, 0.45], parts);
        Assert.Equal(3, parts.Count);
        Assert.Equal(1, parts.Sum(x => x.Weight), 12);
        // The inverted sentiment (coefficient −0.8, p 0.7) pulls P(up) down.
        Assert.True(parts[1].Contribution < 0);
        Assert.Equal(LogisticStacking.Sigmoid(0.1 + 1.2 * LogisticStacking.Logit(0.6) - 0.8 * LogisticStacking.Logit(0.7) + 0.3 * LogisticStacking.Logit(0.45)), p, 12);
    }

    [Fact]
    public void Per_day_weighting_counts_a_day_once_however_many_tickers_closed()
    {
        var one = new LogisticStacking(SignalMix.StackingDefaults);
        var many = new LogisticStacking(SignalMix.StackingDefaults);
        for (var d = 0; d < 5; d++)
        {
            var day = Start.AddDays(d);
            double[] said = [0.62, 0.4, d % 2 == 0 ? 0.55 : 0.45];
            one.Add(new StackingOutcome(day, "AAA", said, WentUp: d % 3 == 0));
            for (var s = 0; s < 40; s++) many.Add(new StackingOutcome(day, $"S{s:D2}", said, WentUp: d % 3 == 0));
        }
        var a = one.ModelFor(Start.AddDays(5));
        var b = many.ModelFor(Start.AddDays(5));
        Assert.Equal(200, b.Outcomes);
        for (var k = 0; k < 3; k++) Assert.Equal(a.Coefficients[k], b.Coefficients[k], 9);

        // Weighted per outcome instead, 40 copies move the model much further than one.
        var eager = new LogisticStacking(SignalMix.StackingDefaults with { WeighByDay = false });
        for (var d = 0; d < 5; d++)
            for (var s = 0; s < 40; s++)
                eager.Add(new StackingOutcome(Start.AddDays(d), $"S{s:D2}", [0.62, 0.4, d % 2 == 0 ? 0.55 : 0.45], WentUp: d % 3 == 0));
        var c = eager.ModelFor(Start.AddDays(5));
        var prior = SignalMix.StackingDefaults.PriorWeights[0];
        Assert.True(Math.Abs(c.Coefficients[0] - prior) > 5 * Math.Abs(a.Coefficients[0] - prior), $"{c.Coefficients[0]} vs {a.Coefficients[0]}");
    }

    [Fact]
    public void Without_a_bias_the_model_cannot_chase_the_base_rate()
    {
        // Every ticker fell every day while the experts were silent: only a bias could learn that.
        var free = new LogisticStacking(PerOutcome);
        var pinned = new LogisticStacking(SignalMix.StackingDefaults);
        foreach (var o in Enumerable.Range(0, 10).SelectMany(d => Enumerable.Range(0, 40).Select(s =>
                     new StackingOutcome(Start.AddDays(d), $"S{s:D2}", [double.NaN, double.NaN, double.NaN], false))))
        {
            free.Add(o);
            pinned.Add(o);
        }
        Assert.True(free.ModelFor(Start.AddDays(10)).Bias < -1);
        Assert.Equal(LogisticStacking.Logit(SignalMix.AlwaysRise), pinned.ModelFor(Start.AddDays(10)).Bias, 12);
        Assert.Equal(SignalMix.AlwaysRise, LogisticStacking.Predict(pinned.Current, [double.NaN, double.NaN, double.NaN]), 12);
    }

    [Fact]
    public void The_service_ensemble_starts_at_the_base_rate_and_trusts_an_expert_only_as_far_as_outcomes_show_skill()
    {
        var stacking = new LogisticStacking(SignalMix.StackingDefaults);
        // Before any outcome: whatever the experts say, the ensemble says the base rate.
        Assert.Equal(SignalMix.AlwaysRise, LogisticStacking.Predict(stacking.Current, [0.9, 0.2, 0.55]), 12);

        // An expert that called 200 days right moves the ensemble its way; one that was a coin flip does not.
        var random = new Random(11);
        for (var d = 0; d < 200; d++)
        {
            var up = random.Next(2) == 0;
            stacking.Add(new StackingOutcome(Start.AddDays(d), "AAA", [up ? 0.7 : 0.3, random.Next(2) == 0 ? 0.6 : 0.4, double.NaN], up));
        }
        var model = stacking.ModelFor(Start.AddDays(200));
        Assert.True(model.Coefficients[0] > 0.5, $"skilled expert's coefficient {model.Coefficients[0]}");
        Assert.True(Math.Abs(model.Coefficients[1]) < 0.2, $"coin-flip expert's coefficient {model.Coefficients[1]}");
        Assert.True(LogisticStacking.Predict(model, [0.7, 0.5, double.NaN]) > 0.6);
    }
}
