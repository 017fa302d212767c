namespace MarketPulse.Abstractions.Market;

/// <summary>One trade (or last-sale print). Times are UTC.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.tick")]
public sealed record MarketTick(
    [property: Id(0)] string Symbol,
    [property: Id(1)] DateTime Time,
    [property: Id(2)] decimal Price,
    [property: Id(3)] decimal Size,
    [property: Id(4)] decimal? Bid = null,
    [property: Id(5)] decimal? Ask = null,
    [property: Id(6)] string? Source = null,
    [property: Id(7)] long? Sequence = null);

/// <summary>A finished end-of-day bar for exchange-local trading day <see cref="Date"/>.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.dailybar")]
public sealed record DailyBar(
    [property: Id(0)] string Symbol,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] decimal Open,
    [property: Id(3)] decimal High,
    [property: Id(4)] decimal Low,
    [property: Id(5)] decimal Close,
    [property: Id(6)] decimal Volume,
    [property: Id(7)] string? Source = null);

/// <summary>
/// What travels on a ticker's market stream: many ticks and/or bars for one symbol in one event,
/// so that the stream cost is paid per batch, not per tick. <see cref="TraceParent"/> carries the W3C trace context of
/// the ingest call across the stream hop (streams do not propagate it themselves). <see cref="BatchId"/> lets the
/// consumer recognise a batch that a durable stream delivers twice (at-least-once delivery). <see cref="ClockUtc"/>, when
/// set, is the source's clock (a watermark): the source will send nothing for this symbol earlier than it. A replay sends
/// clock-only batches (no ticks, no bars) so that its accelerated time reaches tickers between their own events.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.marketbatch")]
public sealed record MarketBatch(
    [property: Id(0)] string Symbol,
    [property: Id(1)] IReadOnlyList<MarketTick> Ticks,
    [property: Id(2)] IReadOnlyList<DailyBar> Bars,
    [property: Id(3)] DateTime IngestedAtUtc,
    [property: Id(4)] string? TraceParent = null,
    [property: Id(5)] Guid BatchId = default,
    [property: Id(6)] DateTime? ClockUtc = null);

[GenerateSerializer, Immutable, Alias("marketpulse.bar")]
public sealed record BarDto(
    [property: Id(0)] DateTime Start,
    [property: Id(1)] string Interval,
    [property: Id(2)] DateOnly TradingDay,
    [property: Id(3)] double Open,
    [property: Id(4)] double High,
    [property: Id(5)] double Low,
    [property: Id(6)] double Close,
    [property: Id(7)] double Volume,
    [property: Id(8)] int Trades);

/// <summary>
/// Daily indicators (textbook parameters: SMA/WMA/Bollinger/z-score 20, EMA 12/26, RSI 14 Wilder, MACD 12/26/9, ATR 14,
/// stochastic 14/3, realised volatility of 20 daily log returns) as of the last closed day, and the VWAP of the regular
/// session of <see cref="SessionVwapDay"/> from trades (null for end-of-day-only feeds). Null = still warming up.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.indicators")]
public sealed record IndicatorValues(
    [property: Id(0)] double? Sma20,
    [property: Id(1)] double? Ema12,
    [property: Id(2)] double? Ema26,
    [property: Id(3)] double? Rsi14,
    [property: Id(4)] double? Return1d,
    [property: Id(5)] double? Return5d,
    [property: Id(6)] double? Volatility20d,
    [property: Id(7)] int DailyBars,
    [property: Id(8)] double? MacdLine = null,
    [property: Id(9)] double? MacdSignal = null,
    [property: Id(10)] double? MacdHistogram = null,
    [property: Id(11)] double? BollingerUpper = null,
    [property: Id(12)] double? BollingerMiddle = null,
    [property: Id(13)] double? BollingerLower = null,
    [property: Id(14)] double? BollingerPercentB = null,
    [property: Id(15)] double? Atr14 = null,
    [property: Id(16)] double? Obv = null,
    [property: Id(17)] double? StochasticK = null,
    [property: Id(18)] double? StochasticD = null,
    [property: Id(19)] double? ZScore20 = null,
    [property: Id(20)] double? Wma20 = null,
    [property: Id(21)] double? SessionVwap = null,
    [property: Id(22)] DateOnly? SessionVwapDay = null);

/// <summary>A ticker's state as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.tickersnapshot")]
public sealed record TickerSnapshot(
    [property: Id(0)] string Symbol,
    [property: Id(1)] double? LastPrice,
    [property: Id(2)] DateTime? LastTime,
    [property: Id(3)] double? PreviousClose,
    [property: Id(4)] double? Change,
    [property: Id(5)] double? ChangePercent,
    [property: Id(6)] long TicksApplied,
    [property: Id(7)] long BarsApplied,
    [property: Id(8)] IndicatorValues Indicators,
    [property: Id(9)] SignalPrediction? LivePriceSignal,
    [property: Id(10)] DateOnly? LastClosedDay,
    [property: Id(11)] DateTime? LastIngestedAtUtc,
    [property: Id(12)] string? Calendar = null,
    [property: Id(13)] string? MarketSession = null,
    [property: Id(14)] DateTime? NextCloseUtc = null);

/// <summary>One signal's probabilistic call on the next daily move.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.signalprediction")]
public sealed record SignalPrediction(
    [property: Id(0)] string Signal,
    [property: Id(1)] string Kind,
    [property: Id(2)] string ModelVersion,
    [property: Id(3)] DateTime MadeAt,
    [property: Id(4)] string Horizon,
    [property: Id(5)] string Direction,
    [property: Id(6)] double ProbabilityUp,
    [property: Id(7)] DateOnly BasisDay,
    [property: Id(8)] IReadOnlyList<FeatureContributionDto>? TopFeatures = null);

/// <summary>One input's share of a model's prediction: for the tree models its additive share of p − p(all inputs at their training means), else p minus p with this input alone at its mean.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.featurecontribution")]
public sealed record FeatureContributionDto(
    [property: Id(0)] string Feature,
    [property: Id(1)] double Value,
    [property: Id(2)] double Contribution);
