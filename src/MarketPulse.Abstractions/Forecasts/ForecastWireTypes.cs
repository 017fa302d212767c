namespace MarketPulse.Abstractions.Forecasts;

/// <summary>
/// The next trading day's forecasts for one symbol, issued at the day's prediction time (00:00 UTC of it) from the bars
/// before it and the posts before that instant: its Garman–Klass variance and volatility, the 80 % and 95 % intervals
/// of its close-to-close log return (the expected-move bands), and its volume; with the pooled HAR forecasts the live
/// scorecard compares them against.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.forecast")]
public sealed record ForecastDto(
    [property: Id(0)] string Symbol,
    [property: Id(1)] DateOnly BasisDay,
    [property: Id(2)] DateOnly TargetDay,
    [property: Id(3)] DateTime IssuedAtUtc,
    [property: Id(4)] string ModelVersion,
    [property: Id(5)] double Variance,
    [property: Id(6)] double Volatility,
    [property: Id(7)] double Band80Low,
    [property: Id(8)] double Band80High,
    [property: Id(9)] double Band95Low,
    [property: Id(10)] double Band95High,
    [property: Id(11)] double BasisClose,
    [property: Id(12)] double Volume,
    [property: Id(13)] double VolumeAverage22,
    [property: Id(14)] double HarVariance,
    [property: Id(15)] double HarVolume)
{
    /// <summary>Half the width of the 80 % band, as a fraction of the price: "an 80 % chance of a move within ±this".</summary>
    public double ExpectedMove80 => (Math.Exp(Band80High) - Math.Exp(Band80Low)) / 2;

    /// <summary>The volume forecast over the mean volume of the last 22 trading days.</summary>
    public double VolumeRatio => VolumeAverage22 > 0 ? Volume / VolumeAverage22 : double.NaN;
}

/// <summary>How a forecast fared against the realised target day.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.forecastoutcome")]
public sealed record ForecastOutcomeDto(
    [property: Id(0)] double RealizedVariance,
    [property: Id(1)] double RealizedReturn,
    [property: Id(2)] double RealizedVolume,
    [property: Id(3)] double? Qlike,
    [property: Id(4)] double? QlikeHar,
    [property: Id(5)] bool InBand80,
    [property: Id(6)] bool InBand95,
    [property: Id(7)] double? VolumeSquaredLogError,
    [property: Id(8)] double? VolumeSquaredLogErrorHar,
    [property: Id(9)] DateTime ScoredAtUtc);

/// <summary>A forecast and, once its day has closed, its outcome.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.forecastrecord")]
public sealed record ForecastRecordDto(
    [property: Id(0)] ForecastDto Forecast,
    [property: Id(1)] ForecastOutcomeDto? Outcome);

/// <summary>
/// The live score of a symbol's forecasts (or of all symbols'): mean QLIKE of the model and of the pooled HAR on the
/// same days and the gain 1 − model/HAR, band coverage, and the volume forecasts' mean squared log error against HAR's.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.forecastscorecard")]
public sealed record ForecastScorecardDto(
    [property: Id(0)] long Scored,
    [property: Id(1)] double? MeanQlike,
    [property: Id(2)] double? MeanQlikeHar,
    [property: Id(3)] double? QlikeGainVsHar,
    [property: Id(4)] double? Band80Coverage,
    [property: Id(5)] double? Band95Coverage,
    [property: Id(6)] long VolumeScored,
    [property: Id(7)] double? VolumeMse,
    [property: Id(8)] double? VolumeMseHar,
    [property: Id(9)] double? VolumeGainVsHar,
    [property: Id(10)] long SkippedNoRange);

/// <summary>A symbol's forecasts as the ticker snapshot shows them: the open one, the last scored one, the live score.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.forecastsnapshot")]
public sealed record ForecastSnapshot(
    [property: Id(0)] string Symbol,
    [property: Id(1)] ForecastDto? Next,
    [property: Id(2)] ForecastRecordDto? LastScored,
    [property: Id(3)] ForecastScorecardDto Scorecard,
    [property: Id(4)] string? ModelVersion)
{
    /// <summary>The next 30 minutes' forecast, the last scored one and the live score (from the ticker; null when not composed).</summary>
    [Id(5)] public IntradaySnapshot? Intraday { get; init; }
}

/// <summary>
/// The realised variance of one 30-minute slot of the regular session (sum of squared 1-minute log returns), forecast
/// at the slot's start from the minutes before it: by the HAR model on deseasonalised slot variance
/// (<c>intraday-har</c>) or, until the symbol has enough history to fit it, by the seasonal-HAR baseline
/// (<c>seasonal-har</c>); both baselines are carried for the live score.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.intradayforecast")]
public sealed record IntradayForecastDto(
    [property: Id(0)] string Symbol,
    [property: Id(1)] DateOnly Day,
    [property: Id(2)] int Slot,
    [property: Id(3)] DateTime SlotStartUtc,
    [property: Id(4)] DateTime SlotEndUtc,
    [property: Id(5)] DateTime IssuedAtUtc,
    [property: Id(6)] string Method,
    [property: Id(7)] double Variance,
    [property: Id(8)] double SeasonalHarVariance,
    [property: Id(9)] double PreviousSlotVariance)
{
    /// <summary>√variance: the forecast standard deviation of the slot's log return.</summary>
    public double Volatility => Math.Sqrt(Variance);
}

/// <summary>How a slot's forecast fared: the realised variance, the minutes seen, and the QLIKE of each forecast (null for a slot without a price change).</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.intradayoutcome")]
public sealed record IntradayOutcomeDto(
    [property: Id(0)] double RealizedVariance,
    [property: Id(1)] int Minutes,
    [property: Id(2)] double? Qlike,
    [property: Id(3)] double? QlikeSeasonalHar,
    [property: Id(4)] double? QlikePreviousSlot,
    [property: Id(5)] DateTime ScoredAtUtc);

[GenerateSerializer, Immutable, Alias("marketpulse.intradayrecord")]
public sealed record IntradayRecordDto(
    [property: Id(0)] IntradayForecastDto Forecast,
    [property: Id(1)] IntradayOutcomeDto Outcome);

/// <summary>The live intraday score: mean QLIKE of the issued forecasts and of both baselines over the same scored slots.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.intradaysnapshot")]
public sealed record IntradaySnapshot(
    [property: Id(0)] IntradayForecastDto? Next,
    [property: Id(1)] IntradayRecordDto? LastScored,
    [property: Id(2)] long Scored,
    [property: Id(3)] double? MeanQlike,
    [property: Id(4)] double? MeanQlikeSeasonalHar,
    [property: Id(5)] double? MeanQlikePreviousSlot,
    [property: Id(6)] long SkippedZeroVariance);

/// <summary>A closed trading day, as the ticker hands it to the forecasts for scoring.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.forecastclose")]
public sealed record ForecastClose(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] double Open,
    [property: Id(2)] double High,
    [property: Id(3)] double Low,
    [property: Id(4)] double Close,
    [property: Id(5)] double Volume,
    [property: Id(6)] double? PreviousClose);
