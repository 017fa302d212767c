using MarketPulse.Abstractions.Market;

namespace MarketPulse.Ingestion.Validation;

/// <summary>
/// Checks one source's market items. Stateless field rules first, then per-symbol ordering:
/// a tick older than the last accepted one for its symbol (beyond <see cref="OutOfOrderTolerance"/>) is rejected,
/// and a repeat of the last (time, sequence) is a duplicate.
/// </summary>
public sealed class MarketValidator
{
    private readonly Dictionary<string, (DateTime Time, long? Sequence)> _lastTick = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _lastBar = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public MarketValidator(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    public TimeSpan OutOfOrderTolerance { get; init; } = TimeSpan.Zero;
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Validates a tick; on success returns null and a normalised copy, which is then remembered for ordering.</summary>
    public string? Check(MarketTick tick, out MarketTick normalized)
    {
        normalized = tick;
        var symbol = Symbols.Normalize(tick.Symbol);
        if (symbol is null) return RejectReasons.Symbol;
        if (tick.Price <= 0) return RejectReasons.Price;
        if (tick.Size < 0) return RejectReasons.Size;
        var time = tick.Time.Kind == DateTimeKind.Utc ? tick.Time : DateTime.SpecifyKind(tick.Time.ToUniversalTime(), DateTimeKind.Utc);
        if (time.Year < 1970 || time > _clock.GetUtcNow().UtcDateTime + MaxFutureSkew) return RejectReasons.Time;
        if (tick.Bid is { } bid && (bid <= 0 || (tick.Ask is { } a && bid > a))) return RejectReasons.BidAsk;
        if (tick.Ask is { } ask && ask <= 0) return RejectReasons.BidAsk;

        if (_lastTick.TryGetValue(symbol, out var last))
        {
            if (time < last.Time - OutOfOrderTolerance) return RejectReasons.OutOfOrder;
            if (time == last.Time && tick.Sequence is not null && tick.Sequence == last.Sequence) return RejectReasons.Duplicate;
        }
        if (!_lastTick.TryGetValue(symbol, out last) || time >= last.Time) _lastTick[symbol] = (time, tick.Sequence);
        normalized = tick with { Symbol = symbol, Time = time };
        return null;
    }

    public string? Check(DailyBar bar, out DailyBar normalized)
    {
        normalized = bar;
        var symbol = Symbols.Normalize(bar.Symbol);
        if (symbol is null) return RejectReasons.Symbol;
        if (bar.Open <= 0 || bar.High <= 0 || bar.Low <= 0 || bar.Close <= 0 || bar.Low > bar.High
            || bar.Open < bar.Low || bar.Open > bar.High || bar.Close < bar.Low || bar.Close > bar.High) return RejectReasons.Ohlc;
        if (bar.Volume < 0) return RejectReasons.Volume;
        if (bar.Date.Year < 1970 || bar.Date > DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime.AddDays(1))) return RejectReasons.Time;
        if (_lastBar.TryGetValue(symbol, out var lastDay))
        {
            if (bar.Date == lastDay) return RejectReasons.Duplicate;
            if (bar.Date < lastDay) return RejectReasons.OutOfOrder;
        }
        _lastBar[symbol] = bar.Date;
        normalized = bar with { Symbol = symbol };
        return null;
    }
}
