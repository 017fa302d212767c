using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Ensemble;

namespace MarketPulse.Grains.Ensemble;

/// <summary>
/// The ensemble's hot state, written at every close: small and of constant size (weights, scorecards, the pending
/// predictions, the latest one per signal). The scored history lives in <see cref="EnsembleHistoryState"/>.
/// </summary>
[GenerateSerializer, Alias("marketpulse.ensemblestate")]
public sealed class EnsembleState
{
    [Id(0)] public List<double> Weights { get; set; } = [];
    [Id(1)] public Dictionary<string, ScorecardData> Scorecards { get; set; } = [];
    /// <summary>Predictions issued for the next trading day, waiting for its close.</summary>
    [Id(2)] public List<PredictionRecord> Pending { get; set; } = [];
    /// <summary>Where the scored history was kept before it moved to its own state; read once on activation to migrate it, then empty.</summary>
    [Id(3)] public List<PredictionRecord> History { get; set; } = [];
    [Id(4)] public long Closes { get; set; }
    [Id(5)] public double? LastClose { get; set; }
    [Id(6)] public DateOnly? LastDay { get; set; }
    [Id(7)] public Dictionary<string, SignalPrediction> LatestBySignal { get; set; } = [];
    /// <summary>The day's close return of <see cref="LastDay"/> (the persistence signal's input), set at the close.</summary>
    [Id(8)] public double? LastDayReturn { get; set; }
    /// <summary>The basis day of the predictions issued last (each basis day is issued at most once).</summary>
    [Id(9)] public DateOnly? IssuedFor { get; set; }
    /// <summary>The predictions scored at the last close, with their outcome (shown until the next ones are issued).</summary>
    [Id(10)] public List<PredictionRecord> LastScored { get; set; } = [];
}

/// <summary>
/// The ensemble's scored predictions (oldest first, at most <see cref="EnsembleGrain.MaxHistory"/>): appended in memory
/// at each close and written in bulk by a timer and on deactivation, so a close does not rewrite thousands of records.
/// </summary>
[GenerateSerializer, Alias("marketpulse.ensemblehistorystate")]
public sealed class EnsembleHistoryState
{
    [Id(0)] public List<PredictionRecord> Records { get; set; } = [];
}

[GenerateSerializer, Alias("marketpulse.scorecard")]
public sealed record ScorecardData(
    [property: Id(0)] long Count, [property: Id(1)] long Hits, [property: Id(2)] double BrierSum,
    [property: Id(3)] long[] BinCount, [property: Id(4)] double[] BinForecast, [property: Id(5)] double[] BinOutcome)
{
    public static ScorecardData From(SignalScorecard card) => From(card.Save());

    public static ScorecardData From(ScorecardState s) => new(s.Count, s.Hits, s.BrierSum, s.BinCount, s.BinForecast, s.BinOutcome);

    public ScorecardState ToState() => new(Count, Hits, BrierSum, BinCount, BinForecast, BinOutcome);

    public SignalScorecard ToScorecard() => SignalScorecard.Restore(ToState());
}
