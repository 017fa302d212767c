using System.Text.Json;
using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Grains.Ensemble;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;

namespace MarketPulse.Grains.Tests;

/// <summary>
/// The ensemble grain keeps its scored history in a second state written in bulk: closes write only the small hot
/// state, the predictions API still returns every record, and nothing is lost across a deactivation.
/// </summary>
[Collection(ClusterCollection.Name)]
public class EnsembleHistoryTests(ClusterFixture fixture)
{
    private static readonly DateOnly Start = new(2018, 1, 2);

    /// <summary>A scripted close series: up, down, flat and up again, with a price signal that is sometimes right.</summary>
    private static readonly double[] Closes = [100, 101, 99.5, 99.5, 102, 101, 103, 103.5, 100, 104, 105, 104.2];

    private static DateTime CloseTime(int i) => Start.AddDays(i).ToDateTime(new TimeOnly(21, 0), DateTimeKind.Utc);

    private async Task DriveAsync(string symbol)
    {
        var grain = fixture.Grains.GetGrain<IEnsembleGrain>(symbol);
        for (var i = 0; i < Closes.Length; i++)
        {
            var day = Start.AddDays(i);
            var p = i % 3 == 0 ? 0.35 : 0.62;
            var price = new SignalPrediction("price", "model", "test", CloseTime(i), "1d", Signals.Direction(p), p, day);
            await grain.OnDailyCloseAsync(new DailyClose(symbol, day, CloseTime(i), Closes[i], i == 0 ? null : Closes[i - 1]));
            await grain.IssueAsync(new NextDayCall(symbol, day, day.AddDays(1), CloseTime(i), price));
        }
    }

    private IGrainStorage Storage => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(MarketPulseNames.GrainStorage);

    private async Task<T> ReadStoredAsync<T>(string stateName, string symbol) where T : new()
    {
        var grainState = new GrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, fixture.Grains.GetGrain<IEnsembleGrain>(symbol).GetGrainId(), grainState);
        return grainState.State ?? new T();
    }

    private async Task DeactivateAsync(string symbol)
    {
        await fixture.Grains.GetGrain<IEnsembleGrain>(symbol).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        // The deactivation runs after the call returns; wait until its flush is visible in storage.
        for (var i = 0; i < 200 && (await ReadStoredAsync<EnsembleHistoryState>("ensemble-history", symbol)).Records.Count == 0; i++)
            await Task.Delay(25);
    }

    private static string Json(IEnumerable<PredictionRecord> records) => JsonSerializer.Serialize(records);

    [Fact]
    public async Task The_predictions_api_returns_every_scored_record_then_the_pending_ones()
    {
        var symbol = "HIST" + Guid.NewGuid().ToString("N")[..6];
        await DriveAsync(symbol);
        var all = await fixture.Grains.GetGrain<IEnsembleGrain>(symbol).GetPredictionsAsync(null, null, null);

        // No posts: no sentiment signal; persistence abstains without a previous close and after a flat day.
        string[] Issued(int i) => i == 0 || Closes[i] == Closes[i - 1]
            ? ["price", "ensemble_hedge", "ensemble"]
            : ["price", "persistence", "ensemble_hedge", "ensemble"];
        Assert.Equal(Enumerable.Range(0, Closes.Length).Sum(i => Issued(i).Length), all.Count);
        var cursor = 0;
        for (var i = 0; i < Closes.Length; i++)
        {
            var signals = Issued(i);
            var made = all.Skip(cursor).Take(signals.Length).ToList();
            cursor += signals.Length;
            Assert.Equal(signals, made.Select(r => r.Prediction.Signal));
            Assert.All(made, r => Assert.Equal(CloseTime(i), r.Prediction.MadeAt));
            if (i == Closes.Length - 1)
            {
                Assert.All(made, r => Assert.Null(r.Outcome)); // still pending, but the day it is for is known
                Assert.All(made, r => Assert.Equal(Start.AddDays(i + 1), r.TargetDay));
                continue;
            }
            var realized = Closes[i + 1] / Closes[i] - 1;
            foreach (var r in made)
            {
                Assert.Equal(Start.AddDays(i + 1), r.TargetDay);
                Assert.Equal(realized, r.RealizedReturn!.Value, 12);
                Assert.Equal(realized == 0 ? "flat" : realized > 0 ? "up" : "down", r.Outcome);
                Assert.Equal(realized == 0 ? null : (r.Prediction.ProbabilityUp >= 0.5) == (realized > 0), r.Hit);
            }
        }

        // The filters cut the same list.
        var grain = fixture.Grains.GetGrain<IEnsembleGrain>(symbol);
        var ensembles = await grain.GetPredictionsAsync(CloseTime(2), CloseTime(5), "ensemble");
        Assert.Equal([CloseTime(2), CloseTime(3), CloseTime(4)], ensembles.Select(r => r.Prediction.MadeAt));
    }

    [Fact]
    public async Task A_close_writes_only_the_small_hot_state_and_the_history_survives_deactivation()
    {
        var symbol = "HIST" + Guid.NewGuid().ToString("N")[..6];
        await DriveAsync(symbol);
        var before = await fixture.Grains.GetGrain<IEnsembleGrain>(symbol).GetPredictionsAsync(null, null, null);

        var hot = await ReadStoredAsync<EnsembleState>("ensemble", symbol);
        Assert.Empty(hot.History);
        Assert.Equal(4, hot.Pending.Count);
        Assert.Equal(Closes.Length, hot.Closes);

        await DeactivateAsync(symbol);
        var stored = await ReadStoredAsync<EnsembleHistoryState>("ensemble-history", symbol);
        Assert.Equal(before.Count - hot.Pending.Count, stored.Records.Count);

        // A new activation serves exactly the same records, and goes on from there.
        var after = await fixture.Grains.GetGrain<IEnsembleGrain>(symbol).GetPredictionsAsync(null, null, null);
        Assert.Equal(Json(before), Json(after));
        var day = Start.AddDays(Closes.Length);
        var time = day.ToDateTime(new TimeOnly(21, 0), DateTimeKind.Utc);
        await fixture.Grains.GetGrain<IEnsembleGrain>(symbol).OnDailyCloseAsync(new DailyClose(symbol, day, time, 106, Closes[^1]));
        await fixture.Grains.GetGrain<IEnsembleGrain>(symbol).IssueAsync(
            new NextDayCall(symbol, day, day.AddDays(1), time, new SignalPrediction("price", "model", "test", time, "1d", "up", 0.6, day)));
        var next = await fixture.Grains.GetGrain<IEnsembleGrain>(symbol).GetPredictionsAsync(null, null, null);
        Assert.Equal(before.Count + 4, next.Count);
        Assert.All(next.Take(before.Count), r => Assert.NotNull(r.Outcome));
    }

    [Fact]
    public async Task History_kept_in_the_hot_state_by_an_older_version_is_migrated_on_activation()
    {
        var symbol = "HIST" + Guid.NewGuid().ToString("N")[..6];
        var old = new EnsembleState { Closes = 2, LastClose = 101, LastDay = Start.AddDays(1) };
        var p = new SignalPrediction("ensemble", "ensemble", "stacking-v1", CloseTime(0), "1d", "up", 0.55, Start);
        old.History.Add(new PredictionRecord(p, Start.AddDays(1), 0.01, "up", true, null));
        old.Pending.Add(new PredictionRecord(p with { MadeAt = CloseTime(1), BasisDay = Start.AddDays(1) }, null, null, null, null, null));
        await Storage.WriteStateAsync("ensemble", fixture.Grains.GetGrain<IEnsembleGrain>(symbol).GetGrainId(), new GrainState<EnsembleState>(old));

        var records = await fixture.Grains.GetGrain<IEnsembleGrain>(symbol).GetPredictionsAsync(null, null, null);
        Assert.Equal([CloseTime(0), CloseTime(1)], records.Select(r => r.Prediction.MadeAt));
        Assert.Equal("up", records[0].Outcome);
        Assert.Empty((await ReadStoredAsync<EnsembleState>("ensemble", symbol)).History);
        Assert.Single((await ReadStoredAsync<EnsembleHistoryState>("ensemble-history", symbol)).Records);
    }
}
