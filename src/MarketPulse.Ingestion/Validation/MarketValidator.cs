using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Indicators;

namespace MarketPulse.Ingestion.Validation;

/// <summary>
/// Checks one source's market items. Stateless field rules first, then per-symbol ordering: a tick older than the last
/// accepted one for its symbol (beyond the tolerance) is out of order, and a sequence number not after the last
/// accepted one (or a repeat of the last time and sequence) is a duplicate. Then the spike filter: a price far from the
/// symbol's recent mean (in standard deviations, with a relative floor) is rejected as a spike, counted and logged like
/// every rejection, unless enough spikes in a row on the same side show a real level shift.
/// </summary>
/// <remarks>
/// End-of-day bars are not spike-filtered: a daily move of many recent σ (earnings, a crash) is real far more often than
/// a bad print is, and the OHLC consistency rules already catch malformed bars.
/// </remarks>
public sealed class MarketValidator
{
    private readonly Dictionary<string, TickState> _ticks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _lastBar = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly MarketValidationOptions _options;
    private readonly TimeSpan _tolerance;
    private readonly TimeSpan _futureSkew;
    private DateTime _futureBound = DateTime.MinValue;

    /// <summary>
    /// Symbols as sent → as normalised (null: malformed): a feed sends the same few thousand spellings again and again,
    /// and trimming, upper-casing and matching each trade's symbol was a tenth of validation's time. Bounded: cleared
    /// when a feed sends more distinct spellings than <see cref="KnownSpellings"/>.
    /// </summary>
    private readonly Dictionary<string, string?> _spellings = new(StringComparer.Ordinal);
    private const int KnownSpellings = 100_000;

    public MarketValidator(MarketValidationOptions? options = null, TimeProvider? clock = null)
    {
        _options = options ?? new MarketValidationOptions();
        _clock = clock ?? TimeProvider.System;
        _tolerance = TimeSpan.FromMilliseconds(_options.OutOfOrderToleranceMs);
        _futureSkew = TimeSpan.FromMinutes(_options.MaxFutureSkewMinutes);
    }

    /// <summary>
    /// Whether a trade is later than the clock allows. The bound is read from the clock again only when a trade passes
    /// the last one read: a bound read earlier is never later than the current one, so the answer is the same as reading
    /// the clock for every trade (which was a sixth of validation's time at a million trades a second).
    /// </summary>
    private bool IsTooFarAhead(DateTime time)
    {
        if (time <= _futureBound) return false;
        _futureBound = _clock.GetUtcNow().UtcDateTime + _futureSkew;
        return time > _futureBound;
    }

    /// <summary>
    /// Validates a tick; on success returns null and the tick normalised (a copy when normalising changed its symbol or
    /// time, else the tick itself), which is then remembered for ordering.
    /// </summary>
    public string? Check(MarketTick tick, out MarketTick normalized)
    {
        normalized = tick;
        var symbol = Normalize(tick.Symbol);
        if (symbol is null) return RejectReasons.Symbol;
        if (tick.Price <= 0) return RejectReasons.Price;
        if (tick.Size < 0) return RejectReasons.Size;
        var time = tick.Time.Kind == DateTimeKind.Utc ? tick.Time : DateTime.SpecifyKind(tick.Time.ToUniversalTime(), DateTimeKind.Utc);
        if (time.Year < 1970 || IsTooFarAhead(time)) return RejectReasons.Time;
        if (tick.Bid is { } bid && (bid <= 0 || (tick.Ask is { } a && bid > a))) return RejectReasons.BidAsk;
        if (tick.Ask is { } ask && ask <= 0) return RejectReasons.BidAsk;

        if (!_ticks.TryGetValue(symbol, out var s)) _ticks[symbol] = s = new TickState(_options.SpikeWindow);
        if (s.LastTime is { } lastTime)
        {
            if (tick.Sequence is { } seq && s.LastSequence is { } lastSeq && seq <= lastSeq) return RejectReasons.Duplicate;
            if (time < lastTime - _tolerance) return RejectReasons.OutOfOrder;
            if (time == lastTime && tick.Sequence is not null && tick.Sequence == s.LastSequence) return RejectReasons.Duplicate;
        }
        if (IsSpike(s, (double)tick.Price)) return RejectReasons.Spike;

        if (s.LastTime is null || time >= s.LastTime) s.LastTime = time;
        if (tick.Sequence is not null) s.LastSequence = tick.Sequence;
        // A copy only when normalising changed something (most feeds send UTC times and normalised symbols already); a
        // UTC time is kept as it is, any other is converted.
        if (!string.Equals(symbol, tick.Symbol, StringComparison.Ordinal) || tick.Time.Kind != DateTimeKind.Utc)
            normalized = tick with { Symbol = symbol, Time = time };
        return null;
    }

    private string? Normalize(string? raw)
    {
        if (raw is null) return null;
        if (_spellings.TryGetValue(raw, out var known)) return known;
        if (_spellings.Count >= KnownSpellings) _spellings.Clear();
        return _spellings[raw] = Symbols.Normalize(raw);
    }

    private bool IsSpike(TickState s, double price)
    {
        if (s.Recent is not { } recent) return false;
        if (recent.IsReady)
        {
            var mean = recent.Middle;
            var deviation = price - mean;
            var limit = Math.Max(_options.SpikeStandardDeviations * recent.StandardDeviation, _options.SpikeMinRelativeDeviation * mean);
            if (Math.Abs(deviation) > limit)
            {
                var side = Math.Sign(deviation);
                s.SpikesInARow = side == s.SpikeSide ? s.SpikesInARow + 1 : 1;
                s.SpikeSide = side;
                if (s.SpikesInARow < _options.SpikeConfirmations) return true;
                recent.Reset();   // a confirmed level shift: the old window no longer describes the price
            }
        }
        s.SpikesInARow = 0;
        s.SpikeSide = 0;
        recent.Update(price);
        return false;
    }

    public string? Check(DailyBar bar, out DailyBar normalized)
    {
        normalized = bar;
        var symbol = Normalize(bar.Symbol);
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

    private sealed class TickState(int window)
    {
        public DateTime? LastTime;
        public long? LastSequence;
        public int SpikesInARow;
        public int SpikeSide;

        /// <summary>Rolling mean and population σ of the last accepted prices (Bollinger's window statistics, k unused).</summary>
        public readonly BollingerBands? Recent = window >= 2 ? new BollingerBands(window, 1) : null;
    }
}
