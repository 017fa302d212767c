using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;

namespace MarketPulse.Abstractions.History;

/// <summary>
/// The long-term history (daily bars and scored predictions) kept outside the grains for training and backtests.
/// PostgreSQL in the Cluster profile (MarketPulse.Storage); not kept in the Local profile. Writes are upserts, so
/// writing the same day or prediction again (a redelivery, a replay) changes nothing.
/// </summary>
public interface IHistoryStore
{
    Task UpsertDailyBarsAsync(string symbol, IReadOnlyList<BarDto> bars, CancellationToken cancellationToken = default);

    Task UpsertPredictionsAsync(string symbol, IReadOnlyList<PredictionRecord> records, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BarDto>> GetDailyBarsAsync(string symbol, DateOnly? from = null, DateOnly? to = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PredictionRecord>> GetPredictionsAsync(string symbol, string? signal = null, CancellationToken cancellationToken = default);
}
