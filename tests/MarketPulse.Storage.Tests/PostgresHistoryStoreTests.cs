using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using Npgsql;

namespace MarketPulse.Storage.Tests;

public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; } = new();

    public Task InitializeAsync() => PostgresServer.BinDir is null ? Task.CompletedTask : Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public class PostgresHistoryStoreTests(PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    private PostgresHistoryStore NewStore() => new(NpgsqlDataSource.Create(pg.Server.ConnectionString));

    private static BarDto Day(DateOnly day, double close) =>
        new(day.ToDateTime(new TimeOnly(13, 30), DateTimeKind.Utc), "1d", day, close - 1, close + 2, close - 3, close, 1_000_000, 0);

    [PostgresFact]
    public async Task Daily_bars_round_trip_and_an_upsert_of_the_same_day_replaces_it()
    {
        var store = NewStore();
        var d1 = new DateOnly(2015, 9, 28);
        var d2 = new DateOnly(2015, 9, 29);
        await store.UpsertDailyBarsAsync("HIST", [Day(d1, 110.5), Day(d2, 111.25)]);
        await store.UpsertDailyBarsAsync("HIST", [Day(d2, 112)]); // corrected close, same day
        await store.UpsertDailyBarsAsync("OTHR", [Day(d1, 5)]);

        var bars = await store.GetDailyBarsAsync("HIST");
        Assert.Equal([d1, d2], bars.Select(b => b.TradingDay));
        Assert.Equal(Day(d1, 110.5), bars[0]);
        Assert.Equal(112, bars[1].Close);
        Assert.Equal([d2], (await store.GetDailyBarsAsync("HIST", from: d2)).Select(b => b.TradingDay));
        Assert.Equal([d1], (await store.GetDailyBarsAsync("HIST", to: d2)).Select(b => b.TradingDay));
    }

    [PostgresFact]
    public async Task A_prediction_is_stored_when_issued_and_completed_with_its_outcome_without_duplicates()
    {
        var store = NewStore();
        var basis = new DateOnly(2015, 9, 28);
        var made = new DateTime(2015, 9, 28, 20, 0, 0, DateTimeKind.Utc);
        var issued = new PredictionRecord(new SignalPrediction("ensemble", "hedge", "hedge-v1", made, "1d", "up", 0.56, basis), null, null, null, null, null);
        await store.UpsertPredictionsAsync("PRED", [issued]);
        Assert.Null(Assert.Single(await store.GetPredictionsAsync("PRED")).Hit);

        var scored = issued with { TargetDay = basis.AddDays(1), RealizedReturn = -0.012, Outcome = "down", Hit = false };
        await store.UpsertPredictionsAsync("PRED", [scored]);
        await store.UpsertPredictionsAsync("PRED", [issued]); // a late re-send of the unscored record must not erase the outcome

        var stored = Assert.Single(await store.GetPredictionsAsync("PRED", "ensemble"));
        Assert.Equal(scored.Prediction, stored.Prediction);
        Assert.Equal(basis.AddDays(1), stored.TargetDay);
        Assert.Equal(-0.012, stored.RealizedReturn);
        Assert.Equal("down", stored.Outcome);
        Assert.False(stored.Hit);
        Assert.Empty(await store.GetPredictionsAsync("PRED", "price"));
    }
}
