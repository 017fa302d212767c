using System.Text.Json;
using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Forecasting;
using MarketPulse.Grains.Forecasts;
using MarketPulse.Ml.Forecasting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;

namespace MarketPulse.Grains.Tests;

/// <summary>The ticker issues the volatility, expected-move and volume forecasts at each prediction time; the forecast grain scores them at the close.</summary>
[Collection(ClusterCollection.Name)]
public class ForecastPipelineTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    /// <summary>40 weekdays from 2013-06-03 with seeded random ranges and volumes (dates no other test uses: the market board is per silo).</summary>
    private static List<DailyBar> Bars(string symbol)
    {
        var random = new Random(42);
        var bars = new List<DailyBar>();
        var day = new DateOnly(2013, 6, 3);
        var close = 50.0;
        while (bars.Count < 40)
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && day != new DateOnly(2013, 7, 4))
            {
                var open = close * (1 + 0.004 * (random.NextDouble() - 0.5));
                var next = open * (1 + 0.03 * (random.NextDouble() - 0.5));
                var high = Math.Max(open, next) * (1 + 0.01 * random.NextDouble());
                var low = Math.Min(open, next) * (1 - 0.01 * random.NextDouble());
                bars.Add(new DailyBar(symbol, day, R(open), R(high), R(low), R(next), 1_000_000 + random.Next(2_000_000)));
                close = next;
            }
            day = day.AddDays(1);
        }
        return bars;
    }

    private static decimal R(double v) => Math.Round((decimal)v, 4);

    [Fact]
    public async Task Each_day_gets_a_forecast_from_the_days_before_it_scored_at_its_close_as_the_evaluation_scores_it()
    {
        const string symbol = "VOLA";
        var bars = Bars(symbol);
        var result = await _grains.GetGrain<IMarketSourceGrain>("test-forecast").IngestBarsAsync(bars);
        Assert.Equal(40, result.Accepted);

        var forecasts = _grains.GetGrain<IForecastGrain>(symbol);
        // Days 24..40 have the 23 days of history the inputs need; each forecast is issued before its day is recorded and scored at
        // its close (the last day's when the feed's clock passes its session close).
        var snap = await Eventually.Value(forecasts.GetSnapshotAsync, s => s.Scorecard.Scored + s.Scorecard.SkippedNoRange == 17, "17 scored forecasts");
        Assert.Null(snap.Next);

        // The next session's forecast waits for its prediction time; a pre-market trade on that day (feed clock) issues it.
        var target = bars[^1].Date.AddDays(1);
        Assert.Equal(DayOfWeek.Tuesday, target.DayOfWeek);
        Assert.Empty((await _grains.GetGrain<IMarketSourceGrain>("test-forecast").IngestTicksAsync(
            [new MarketTick(symbol, target.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc), bars[^1].Close, 10)])).Rejected);
        snap = await Eventually.Value(forecasts.GetSnapshotAsync, s => s.Next?.TargetDay == target, $"the forecast for {target}");
        Assert.Equal(17, snap.Scorecard.Scored + snap.Scorecard.SkippedNoRange);
        Assert.Equal(17, snap.Scorecard.VolumeScored);
        var next = snap.Next!;
        Assert.Equal(bars[^1].Date, next.BasisDay);
        Assert.Equal(target.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), next.IssuedAtUtc);

        // Live computes what the offline model computes from the same bars (no posts; the market is this ticker alone).
        var model = ForecastModelFile.Load(RepoPaths.Path("models", ForecastModelFile.DefaultFileName));
        var days = bars.Select(b => new DailyOhlcv(b.Date, (double)b.Open, (double)b.High, (double)b.Low, (double)b.Close, (double)b.Volume)).ToList();
        var basis = days[^1];
        var market = new MarketVariance(RealizedMeasures.LogVariance(RealizedMeasures.GarmanKlass(basis.Open, basis.High, basis.Low, basis.Close)), double.NaN);
        var features = new double[ForecastFeatures.Count];
        Assert.True(ForecastFeatures.TryCompute(days, target, [], market, features));
        var expected = model.Forecast(features, symbol);
        Assert.Equal(expected.Variance, next.Variance, 12);
        Assert.Equal(expected.Band80.Low, next.Band80Low, 12);
        Assert.Equal(expected.Band95.High, next.Band95High, 12);
        Assert.Equal(Math.Exp(expected.LogVolume), next.Volume, 6);
        Assert.Equal(model.Version, next.ModelVersion);
        Assert.True(next.ExpectedMove80 is > 0.001 and < 0.2, $"expected move {next.ExpectedMove80}");

        // The last scored record is the forecast for the last bar's day, scored by the evaluation's own code.
        var last = snap.LastScored!;
        Assert.Equal(bars[^1].Date, last.Forecast.TargetDay);
        var day40 = days[^1];
        var score = ForecastScorecard.Score(new NextDayForecast(last.Forecast.Variance, double.NaN, last.Forecast.HarVariance,
                new ReturnBand(last.Forecast.Band80Low, last.Forecast.Band80High), new ReturnBand(last.Forecast.Band95Low, last.Forecast.Band95High),
                Math.Log(last.Forecast.Volume), Math.Log(last.Forecast.HarVolume)),
            day40, days[^2].Close);
        Assert.Equal(score.Qlike, last.Outcome!.Qlike!.Value, 12);
        Assert.Equal(score.InBand80, last.Outcome.InBand80);
        Assert.Equal(Math.Log(day40.Close / days[^2].Close), last.Outcome.RealizedReturn, 12);

        // The history endpoint's source: scored records in order, then the open one.
        var history = await forecasts.GetHistoryAsync(null, null);
        Assert.Equal(18, history.Count);
        Assert.Null(history[^1].Outcome);
        Assert.Equal(history.Select(h => h.Forecast.TargetDay).Order(), history.Select(h => h.Forecast.TargetDay));

        // A forecast for a day already issued is refused: the first one stands.
        Assert.False(await forecasts.IssueAsync(next with { Variance = 1 }));
        Assert.Equal(next.Variance, (await forecasts.GetSnapshotAsync()).Next!.Variance);

        // The history is written in bulk, apart from the hot state; a deactivation flushes it and loses nothing.
        var before = JsonSerializer.Serialize(history);
        await forecasts.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(MarketPulseNames.GrainStorage);
        await Eventually.True(async () =>
        {
            var stored = new GrainState<ForecastHistoryState>(new ForecastHistoryState());
            await storage.ReadStateAsync("forecast-history", forecasts.GetGrainId(), stored);
            return stored.State?.Records.Count == 17;
        }, "the scored history in storage after the deactivation");
        Assert.Equal(before, JsonSerializer.Serialize(await forecasts.GetHistoryAsync(null, null)));
        Assert.Equal(snap.Scorecard, (await forecasts.GetSnapshotAsync()).Scorecard);
    }
}
