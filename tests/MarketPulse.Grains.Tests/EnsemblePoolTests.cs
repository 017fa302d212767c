using MarketPulse.Abstractions.Ensemble;
using Orleans.Core.Internal;

namespace MarketPulse.Grains.Tests;

/// <summary>The market-wide stacking pool: fed by every ticker's ensemble grain, causal, and what they issue with.</summary>
[Collection(ClusterCollection.Name)]
public class EnsemblePoolTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Outcomes_of_several_tickers_are_pooled_and_used_only_after_their_day()
    {
        var pool = fixture.Grains.GetGrain<IEnsemblePoolGrain>("test-pool-" + Guid.NewGuid().ToString("N"));
        var day = new DateOnly(2016, 3, 1);
        // Price said "up" and it went down, every time, on two tickers.
        var outcomes = Enumerable.Range(0, 30).SelectMany(d => new[]
        {
            new EnsembleOutcome(day.AddDays(d), "AAA", [0.7, double.NaN, 0.55], false),
            new EnsembleOutcome(day.AddDays(d), "BBB", [0.7, 0.6, 0.45], false),
        }).ToList();
        await pool.AddOutcomesAsync(outcomes);

        var atFirstClose = await pool.GetModelAsync(day);
        Assert.Equal(0, atFirstClose.Outcomes);
        Assert.Equal(60, atFirstClose.Pending);

        var mid = await pool.GetModelAsync(day.AddDays(10));
        Assert.Equal(20, mid.Outcomes); // days 0..9 of both tickers, not day 10
        var end = await pool.GetModelAsync(day.AddDays(30));
        Assert.Equal(60, end.Outcomes);
        Assert.True(end.Coefficients[0] < mid.Coefficients[0] && mid.Coefficients[0] < 1, $"{mid.Coefficients[0]} → {end.Coefficients[0]}");
        Assert.Equal(["price", "sentiment", "persistence"], end.Experts);

        var state = await pool.GetStateAsync();
        Assert.Equal(60, state.Used.Count);
        Assert.Empty(state.Pending);
        Assert.Equal(["AAA", "BBB"], state.Used.Select(o => o.Symbol).Distinct().Order());
    }

    [Fact]
    public async Task A_pool_deactivated_after_a_refit_comes_back_with_its_outcomes_and_model()
    {
        var key = "test-pool-" + Guid.NewGuid().ToString("N");
        var pool = fixture.Grains.GetGrain<IEnsemblePoolGrain>(key);
        var day = new DateOnly(2016, 5, 2);
        await pool.AddOutcomesAsync([.. Enumerable.Range(0, 20).Select(d => new EnsembleOutcome(day.AddDays(d), "CCC", [0.7, 0.4, 0.55], d % 3 == 0))]);
        var fitted = await pool.GetModelAsync(day.AddDays(12));
        Assert.Equal(12, fitted.Outcomes);
        await pool.AddOutcomesAsync([new EnsembleOutcome(day.AddDays(20), "DDD", [0.2, 0.5, 0.5], true)]);
        var before = await pool.GetStateAsync();

        await pool.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);

        var after = await pool.GetStateAsync();
        Assert.Equal(before.Used.Count, after.Used.Count);
        Assert.Equal(9, after.Pending.Count);
        Assert.Equal(before.FittedBefore, after.FittedBefore);
        Assert.Contains(after.Pending, o => o.Symbol == "DDD");
        var current = await pool.GetCurrentAsync();
        Assert.Equal(fitted.Coefficients, current.Coefficients);
        Assert.Equal(fitted.Outcomes, current.Outcomes);
    }

    [Fact]
    public async Task Ensemble_grains_feed_the_market_pool_and_issue_with_its_model()
    {
        var pool = fixture.Grains.GetGrain<IEnsemblePoolGrain>("market");
        var symbols = new[] { "POOLA", "POOLB" };
        var start = new DateOnly(2017, 2, 6);
        var before = await pool.GetStateAsync();
        for (var d = 0; d < 4; d++)
        {
            var dayOf = start.AddDays(d);
            foreach (var symbol in symbols)
            {
                var close = 100 + (d % 2 == 0 ? 1 : -1) * (symbol == "POOLA" ? 1 : 2);
                var price = new Abstractions.Market.SignalPrediction("price", "model", "test", dayOf.ToDateTime(new TimeOnly(21, 0), DateTimeKind.Utc),
                    "1d", "up", 0.6, dayOf);
                var grain = fixture.Grains.GetGrain<IEnsembleGrain>(symbol);
                await grain.OnDailyCloseAsync(new DailyClose(symbol, dayOf, dayOf.ToDateTime(new TimeOnly(21, 0), DateTimeKind.Utc), close, d == 0 ? null : 100));
                await grain.IssueAsync(new NextDayCall(symbol, dayOf, dayOf.AddDays(1), dayOf.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), price));
            }
        }
        var after = await pool.GetStateAsync();
        var mine = after.Used.Concat(after.Pending).Where(o => symbols.Contains(o.Symbol)).ToList();
        // Three scored closes per ticker (the first close has nothing to score).
        Assert.Equal(6, mine.Count);
        Assert.All(mine, o => Assert.Equal(0.6, o.Probabilities[0]));
        Assert.True(after.Used.Count + after.Pending.Count >= before.Used.Count + before.Pending.Count + 6);

        // The last ensemble prediction is the pool's stacking of this close's signals, explained per signal.
        var snapshot = await fixture.Grains.GetGrain<IEnsembleGrain>("POOLA").GetSnapshotAsync();
        var latest = snapshot.Latest!;
        Assert.Equal("stacking-v1", latest.Prediction.ModelVersion);
        Assert.NotNull(latest.Explanation);
        Assert.Contains(latest.Explanation!, c => c.Signal == "price" && c.Coefficient is not null);
        Assert.Equal(1, latest.Explanation!.Sum(c => c.Weight), 9);
        Assert.Contains(snapshot.LatestBySignal, r => r.Prediction.Signal == "ensemble_hedge");
        Assert.All(snapshot.Signals.Where(s => s.Signal is "price" or "sentiment" or "persistence"), s => Assert.NotNull(s.Coefficient));
    }
}
