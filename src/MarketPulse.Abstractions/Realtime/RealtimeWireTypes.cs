using MarketPulse.Abstractions.Alerts;
using MarketPulse.Abstractions.Market;

namespace MarketPulse.Abstractions.Realtime;

/// <summary>
/// A ticker's state after a stream batch was applied, on its way to the gateways' SignalR clients.
/// <see cref="TraceParent"/> is the W3C trace context of the ingest request whose batch produced it, so the push
/// can be traced back to that request across the stream hop. <see cref="IngestedAtUtc"/> is when that batch was ingested:
/// set only for a push a batch caused (ingest → push latency), null for one a timer caused (a close or a prediction
/// time with no new trade), which has no ingest to measure from.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.tickerupdate")]
public sealed record TickerUpdate(
    [property: Id(0)] TickerSnapshot Ticker,
    [property: Id(1)] SignalPrediction? Ensemble,
    [property: Id(2)] string? TraceParent,
    [property: Id(3)] Forecasts.ForecastDto? Forecast = null,
    [property: Id(4)] DateTime? IngestedAtUtc = null);

/// <summary>What one flush of a silo's push notifier sends to each gateway: the newest update per ticker, and alerts.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.pushbatch")]
public sealed record PushBatch(
    [property: Id(0)] IReadOnlyList<TickerUpdate> Tickers,
    [property: Id(1)] IReadOnlyList<AlertNotification> Alerts);
