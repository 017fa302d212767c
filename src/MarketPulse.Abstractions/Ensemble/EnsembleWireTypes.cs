using MarketPulse.Abstractions.Market;

namespace MarketPulse.Abstractions.Ensemble;

/// <summary>Sent by a ticker when a trading day closes: the day's close, which settles the predictions issued for that day.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.dailyclose")]
public sealed record DailyClose(
    [property: Id(0)] string Symbol,
    [property: Id(1)] DateOnly Day,
    [property: Id(2)] DateTime CloseTimeUtc,
    [property: Id(3)] double Close,
    [property: Id(4)] double? PreviousClose);

/// <summary>
/// Sent by a ticker at the prediction time of the next trading day <see cref="TargetDay"/> (00:00 UTC of it, by the feed's
/// clock; the end of StockNet's text window): the price signal made from data before that time, so the ensemble issues
/// every signal's call for the target day.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.nextdaycall")]
public sealed record NextDayCall(
    [property: Id(0)] string Symbol,
    [property: Id(1)] DateOnly BasisDay,
    [property: Id(2)] DateOnly TargetDay,
    [property: Id(3)] DateTime IssuedAtUtc,
    [property: Id(4)] SignalPrediction? PriceSignal);

[GenerateSerializer, Immutable, Alias("marketpulse.contribution")]
public sealed record SignalContribution(
    [property: Id(0)] string Signal,
    [property: Id(1)] double Weight,
    [property: Id(2)] double ProbabilityUp,
    [property: Id(3)] double Contribution,
    [property: Id(4)] double? Coefficient = null);

/// <summary>A prediction with, once the target day has closed, its outcome.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.predictionrecord")]
public sealed record PredictionRecord(
    [property: Id(0)] SignalPrediction Prediction,
    [property: Id(1)] DateOnly? TargetDay,
    [property: Id(2)] double? RealizedReturn,
    [property: Id(3)] string? Outcome,
    [property: Id(4)] bool? Hit,
    [property: Id(5)] IReadOnlyList<SignalContribution>? Explanation);

[GenerateSerializer, Immutable, Alias("marketpulse.signalstats")]
public sealed record SignalStats(
    [property: Id(0)] string Signal,
    [property: Id(1)] string Kind,
    [property: Id(2)] double Weight,
    [property: Id(3)] long Scored,
    [property: Id(4)] long Hits,
    [property: Id(5)] double? HitRate,
    [property: Id(6)] double? Brier,
    [property: Id(7)] IReadOnlyList<ReliabilityBinDto> Reliability,
    [property: Id(8)] double? Coefficient = null);

[GenerateSerializer, Immutable, Alias("marketpulse.reliabilitybin")]
public sealed record ReliabilityBinDto(
    [property: Id(0)] double From,
    [property: Id(1)] double To,
    [property: Id(2)] long Count,
    [property: Id(3)] double MeanForecast,
    [property: Id(4)] double ObservedFrequency);

[GenerateSerializer, Immutable, Alias("marketpulse.ensemblesnapshot")]
public sealed record EnsembleSnapshot(
    [property: Id(0)] string Symbol,
    [property: Id(1)] PredictionRecord? Latest,
    [property: Id(2)] IReadOnlyList<PredictionRecord> LatestBySignal,
    [property: Id(3)] IReadOnlyList<SignalStats> Signals,
    [property: Id(4)] long ClosesSeen);

[GenerateSerializer, Immutable, Alias("marketpulse.tickersummary")]
public sealed record TickerSummary(
    [property: Id(0)] string Symbol,
    [property: Id(1)] double? LastPrice,
    [property: Id(2)] double? ChangePercent,
    [property: Id(3)] DateTime? LastTime,
    [property: Id(4)] double? SentimentScore,
    [property: Id(5)] string? EnsembleDirection,
    [property: Id(6)] double? EnsembleProbabilityUp,
    [property: Id(7)] long TicksApplied,
    [property: Id(8)] double? ExpectedMove80 = null,
    [property: Id(9)] double? ForecastVolatility = null,
    [property: Id(10)] double? VolumeRatio = null);

/// <summary>One realised outcome for the market-wide ensemble model: what each expert said (NaN = abstained) and what happened.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.ensembleoutcome")]
public sealed record EnsembleOutcome(
    [property: Id(0)] DateOnly TargetDay,
    [property: Id(1)] string Symbol,
    [property: Id(2)] double[] Probabilities,
    [property: Id(3)] bool WentUp);

/// <summary>The pooled stacking model: P(up) = σ(bias + Σ coefficientₖ·logit(pₖ)) over <see cref="Experts"/>.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.ensemblemodel")]
public sealed record EnsembleModelDto(
    [property: Id(0)] string[] Experts,
    [property: Id(1)] double Bias,
    [property: Id(2)] double[] Coefficients,
    [property: Id(3)] DateOnly? FittedBefore,
    [property: Id(4)] int Outcomes,
    [property: Id(5)] int Pending);

/// <summary>The pool's whole learning state (outcomes in the fit and those waiting), to reproduce it offline.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.ensemblepoolstate")]
public sealed record EnsemblePoolStateDto(
    [property: Id(0)] IReadOnlyList<EnsembleOutcome> Used,
    [property: Id(1)] IReadOnlyList<EnsembleOutcome> Pending,
    [property: Id(2)] DateOnly? FittedBefore);
