using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.History;
using MarketPulse.Abstractions.Market;
using Npgsql;
using NpgsqlTypes;

namespace MarketPulse.Storage;

/// <summary>
/// <see cref="IHistoryStore"/> on PostgreSQL through Npgsql. Creates its two tables on first use
/// (<c>CREATE TABLE IF NOT EXISTS</c>: no migration tool for two append-mostly tables). Upserts are batched in one
/// round trip per call.
/// </summary>
public sealed class PostgresHistoryStore(NpgsqlDataSource db) : IHistoryStore
{
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public const string Schema = """
        CREATE TABLE IF NOT EXISTS marketpulse_daily_bars (
            symbol      text             NOT NULL,
            day         date             NOT NULL,
            start_utc   timestamptz      NOT NULL,
            open        double precision NOT NULL,
            high        double precision NOT NULL,
            low         double precision NOT NULL,
            close       double precision NOT NULL,
            volume      double precision NOT NULL,
            trades      integer          NOT NULL,
            PRIMARY KEY (symbol, day));
        CREATE TABLE IF NOT EXISTS marketpulse_predictions (
            symbol          text             NOT NULL,
            signal          text             NOT NULL,
            basis_day       date             NOT NULL,
            horizon         text             NOT NULL,
            kind            text             NOT NULL,
            model_version   text             NOT NULL,
            made_at         timestamptz      NOT NULL,
            direction       text             NOT NULL,
            probability_up  double precision NOT NULL,
            target_day      date,
            realized_return double precision,
            outcome         text,
            hit             boolean,
            PRIMARY KEY (symbol, signal, basis_day, horizon));
        """;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaReady) return;
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady) return;
            await using var command = db.CreateCommand(Schema);
            await command.ExecuteNonQueryAsync(cancellationToken);
            _schemaReady = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    public async Task UpsertDailyBarsAsync(string symbol, IReadOnlyList<BarDto> bars, CancellationToken cancellationToken = default)
    {
        if (bars.Count == 0) return;
        await EnsureSchemaAsync(cancellationToken);
        await using var batch = db.CreateBatch();
        foreach (var b in bars)
        {
            var c = new NpgsqlBatchCommand("""
                INSERT INTO marketpulse_daily_bars (symbol, day, start_utc, open, high, low, close, volume, trades)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (symbol, day) DO UPDATE SET start_utc = EXCLUDED.start_utc, open = EXCLUDED.open, high = EXCLUDED.high,
                    low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume, trades = EXCLUDED.trades
                """);
            c.Parameters.Add(new NpgsqlParameter { Value = symbol });
            c.Parameters.Add(new NpgsqlParameter { Value = b.TradingDay });
            c.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(b.Start, DateTimeKind.Utc), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            c.Parameters.Add(new NpgsqlParameter { Value = b.Open });
            c.Parameters.Add(new NpgsqlParameter { Value = b.High });
            c.Parameters.Add(new NpgsqlParameter { Value = b.Low });
            c.Parameters.Add(new NpgsqlParameter { Value = b.Close });
            c.Parameters.Add(new NpgsqlParameter { Value = b.Volume });
            c.Parameters.Add(new NpgsqlParameter { Value = b.Trades });
            batch.BatchCommands.Add(c);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UpsertPredictionsAsync(string symbol, IReadOnlyList<PredictionRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0) return;
        await EnsureSchemaAsync(cancellationToken);
        await using var batch = db.CreateBatch();
        foreach (var r in records)
        {
            var p = r.Prediction;
            var c = new NpgsqlBatchCommand("""
                INSERT INTO marketpulse_predictions (symbol, signal, basis_day, horizon, kind, model_version, made_at, direction,
                    probability_up, target_day, realized_return, outcome, hit)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                ON CONFLICT (symbol, signal, basis_day, horizon) DO UPDATE SET kind = EXCLUDED.kind, model_version = EXCLUDED.model_version,
                    made_at = EXCLUDED.made_at, direction = EXCLUDED.direction, probability_up = EXCLUDED.probability_up,
                    target_day = COALESCE(EXCLUDED.target_day, marketpulse_predictions.target_day),
                    realized_return = COALESCE(EXCLUDED.realized_return, marketpulse_predictions.realized_return),
                    outcome = COALESCE(EXCLUDED.outcome, marketpulse_predictions.outcome),
                    hit = COALESCE(EXCLUDED.hit, marketpulse_predictions.hit)
                """);
            c.Parameters.Add(new NpgsqlParameter { Value = symbol });
            c.Parameters.Add(new NpgsqlParameter { Value = p.Signal });
            c.Parameters.Add(new NpgsqlParameter { Value = p.BasisDay });
            c.Parameters.Add(new NpgsqlParameter { Value = p.Horizon });
            c.Parameters.Add(new NpgsqlParameter { Value = p.Kind });
            c.Parameters.Add(new NpgsqlParameter { Value = p.ModelVersion });
            c.Parameters.Add(new NpgsqlParameter { Value = DateTime.SpecifyKind(p.MadeAt, DateTimeKind.Utc), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            c.Parameters.Add(new NpgsqlParameter { Value = p.Direction });
            c.Parameters.Add(new NpgsqlParameter { Value = p.ProbabilityUp });
            c.Parameters.Add(new NpgsqlParameter { Value = (object?)r.TargetDay ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
            c.Parameters.Add(new NpgsqlParameter { Value = (object?)r.RealizedReturn ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
            c.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Outcome ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            c.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Hit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
            batch.BatchCommands.Add(c);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BarDto>> GetDailyBarsAsync(string symbol, DateOnly? from = null, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var command = db.CreateCommand("""
            SELECT start_utc, day, open, high, low, close, volume, trades FROM marketpulse_daily_bars
            WHERE symbol = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day < $3) ORDER BY day
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = symbol });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)from ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)to ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        var result = new List<BarDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new BarDto(reader.GetFieldValue<DateTime>(0), "1d", reader.GetFieldValue<DateOnly>(1), reader.GetDouble(2), reader.GetDouble(3),
                reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetInt32(7)));
        return result;
    }

    public async Task<IReadOnlyList<PredictionRecord>> GetPredictionsAsync(string symbol, string? signal = null, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var command = db.CreateCommand("""
            SELECT signal, kind, model_version, made_at, horizon, direction, probability_up, basis_day, target_day, realized_return, outcome, hit
            FROM marketpulse_predictions WHERE symbol = $1 AND ($2::text IS NULL OR signal = $2) ORDER BY basis_day, signal
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = symbol });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)signal ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var result = new List<PredictionRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var prediction = new SignalPrediction(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTime>(3),
                reader.GetString(4), reader.GetString(5), reader.GetDouble(6), reader.GetFieldValue<DateOnly>(7));
            result.Add(new PredictionRecord(prediction,
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8),
                reader.IsDBNull(9) ? null : reader.GetDouble(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetBoolean(11),
                null));
        }
        return result;
    }
}
