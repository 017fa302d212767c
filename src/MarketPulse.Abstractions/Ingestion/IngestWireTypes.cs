namespace MarketPulse.Abstractions.Ingestion;

[GenerateSerializer, Immutable, Alias("marketpulse.rejection")]
public sealed record Rejection([property: Id(0)] int Index, [property: Id(1)] string Reason);

/// <summary>The answer to an ingest call: how many items were queued and which were not, with why.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.ingestresult")]
public sealed record IngestResult([property: Id(0)] int Accepted, [property: Id(1)] IReadOnlyList<Rejection> Rejected)
{
    public static IngestResult Empty { get; } = new(0, []);
}

/// <summary>Per-source counters: what came in, what went on, and every rejection by reason.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.sourcestats")]
public sealed record SourceStats(
    [property: Id(0)] string Source,
    [property: Id(1)] long Received,
    [property: Id(2)] long Accepted,
    [property: Id(3)] IReadOnlyDictionary<string, long> RejectedByReason,
    [property: Id(4)] DateTime? LastItemTime);

/// <summary>
/// A replay of a data directory (StockNet layout or LEAN tick data, recognised from the layout). <see cref="Speed"/> is
/// simulated seconds per real second (1 = real time); <see cref="double.PositiveInfinity"/> replays as fast as the
/// pipeline accepts. <see cref="From"/> (inclusive) and <see cref="To"/> (exclusive) limit the trading days replayed.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.replayrequest")]
public sealed record ReplayRequest(
    [property: Id(0)] string Path,
    [property: Id(1)] double Speed,
    [property: Id(2)] TimeSpan WarmUp,
    [property: Id(3)] IReadOnlyList<string>? Symbols = null,
    [property: Id(4)] bool Loop = false,
    [property: Id(5)] DateOnly? From = null,
    [property: Id(6)] DateOnly? To = null);

/// <summary>
/// Where a replay stands. <see cref="EventsTotal"/> is -1 while a streamed data set (LEAN ticks) has not been read to the
/// end. <see cref="RowsRejectedByReason"/> counts the file rows the readers skipped (malformed, vendor-flagged); what
/// validation then rejects is counted by the <c>replay:&lt;name&gt;</c> source grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.replaystatus")]
public sealed record ReplayStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] string State,
    [property: Id(2)] string? Path,
    [property: Id(3)] double Speed,
    [property: Id(4)] DateTime? VirtualTime,
    [property: Id(5)] long EventsPublished,
    [property: Id(6)] long EventsTotal,
    [property: Id(7)] string? Error,
    [property: Id(8)] string? Format = null,
    [property: Id(9)] IReadOnlyDictionary<string, long>? RowsRejectedByReason = null);
