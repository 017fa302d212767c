using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Core.Forecasting;
using MarketPulse.Grains.History;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Forecasts;

[GenerateSerializer, Alias("marketpulse.forecaststate")]
public sealed class ForecastState
{
    /// <summary>The forecast issued for a target day that has not closed yet.</summary>
    [Id(0)] public ForecastDto? Next { get; set; }

    [Id(2)] public ForecastTotals Totals { get; set; } = new();
}

[GenerateSerializer, Alias("marketpulse.forecasthistorystate")]
public sealed class ForecastHistoryState
{
    /// <summary>Scored forecasts, oldest first (at most <see cref="ForecastGrain.MaxHistory"/>).</summary>
    [Id(0)] public List<ForecastRecordDto> Records { get; set; } = [];
}

/// <summary>The running sums behind <see cref="ForecastScorecard"/>, as stored.</summary>
[GenerateSerializer, Alias("marketpulse.forecasttotals")]
public sealed class ForecastTotals
{
    [Id(0)] public long Scored { get; set; }
    [Id(1)] public double QlikeSum { get; set; }
    [Id(2)] public double QlikeHarSum { get; set; }
    [Id(3)] public long Hits80 { get; set; }
    [Id(4)] public long Hits95 { get; set; }
    [Id(5)] public long VolumeScored { get; set; }
    [Id(6)] public double VolumeSquaredErrorSum { get; set; }
    [Id(7)] public double VolumeSquaredErrorHarSum { get; set; }
    [Id(8)] public long SkippedNoRange { get; set; }

    public ForecastScorecard ToScorecard() => new()
    {
        Scored = Scored,
        QlikeSum = QlikeSum,
        QlikeHarSum = QlikeHarSum,
        Hits80 = Hits80,
        Hits95 = Hits95,
        VolumeScored = VolumeScored,
        VolumeSquaredErrorSum = VolumeSquaredErrorSum,
        VolumeSquaredErrorHarSum = VolumeSquaredErrorHarSum,
        SkippedNoRange = SkippedNoRange,
    };

    public static ForecastTotals From(ForecastScorecard c) => new()
    {
        Scored = c.Scored,
        QlikeSum = c.QlikeSum,
        QlikeHarSum = c.QlikeHarSum,
        Hits80 = c.Hits80,
        Hits95 = c.Hits95,
        VolumeScored = c.VolumeScored,
        VolumeSquaredErrorSum = c.VolumeSquaredErrorSum,
        VolumeSquaredErrorHarSum = c.VolumeSquaredErrorHarSum,
        SkippedNoRange = c.SkippedNoRange,
    };
}

/// <summary>
/// One per symbol: holds the forecast its ticker issued for the next trading day, scores it at that day's close with
/// <see cref="ForecastScorecard.Score"/> (the evaluation's own code) and keeps the live scorecard and the scored history.
/// <para>
/// Two states, as in the ensemble grain: the hot one (the open forecast and the scorecard's sums; constant size) is
/// written at each issue and each close; the scored history (up to <see cref="MaxHistory"/> records) is appended in
/// memory and written every <see cref="DeferredState{T}.Interval"/> when it changed, and on deactivation. A silo crash can
/// lose at most the records scored in the last interval, never the open forecast or the scorecard.
/// </para>
/// </summary>
public sealed class ForecastGrain(
    [PersistentState("forecast", MarketPulseNames.GrainStorage)] IPersistentState<ForecastState> state,
    [PersistentState("forecast-history", MarketPulseNames.GrainStorage)] IPersistentState<ForecastHistoryState> history,
    TimeProvider time,
    ILogger<ForecastGrain> logger)
    : Grain, IForecastGrain
{
    public const int MaxHistory = 500;

    private readonly DeferredState<ForecastHistoryState> _history = new(history, logger);

    private string Symbol => this.GetPrimaryKeyString();

    private List<ForecastRecordDto> History => history.State.Records;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _history.Start(this);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _history.OnDeactivateAsync(reason, cancellationToken);

    public async Task<bool> IssueAsync(ForecastDto forecast)
    {
        var s = state.State;
        if (s.Next is { } open && forecast.TargetDay <= open.TargetDay) return false;
        if (History.Count > 0 && forecast.TargetDay <= History[^1].Forecast.TargetDay) return false;
        s.Next = forecast;
        await state.WriteStateAsync();
        return true;
    }

    public async Task<ForecastRecordDto?> OnDailyCloseAsync(ForecastClose close)
    {
        var s = state.State;
        if (s.Next is not { } f || f.TargetDay > close.Day) return null;
        s.Next = null;
        if (f.TargetDay < close.Day || close.PreviousClose is not { } previous)
        {
            // Its day never closed here (the feed skipped it): nothing to score it on.
            await state.WriteStateAsync();
            return null;
        }
        var score = ForecastScorecard.Score(LiveForecaster.ToForecast(f),
            new DailyOhlcv(close.Day, close.Open, close.High, close.Low, close.Close, close.Volume), previous);
        var card = s.Totals.ToScorecard();
        card.Add(score);
        s.Totals = ForecastTotals.From(card);
        var record = new ForecastRecordDto(f, new ForecastOutcomeDto(
            RealizedMeasures.GarmanKlass(close.Open, close.High, close.Low, close.Close),
            RealizedMeasures.LogReturn(previous, close.Close),
            close.Volume,
            Finite(score.Qlike), Finite(score.QlikeHar), score.InBand80, score.InBand95,
            Finite(score.VolumeSquaredLogError), Finite(score.VolumeSquaredLogErrorHar),
            time.GetUtcNow().UtcDateTime));
        History.Add(record);
        if (History.Count > MaxHistory) History.RemoveRange(0, History.Count - MaxHistory);
        _history.MarkDirty();
        await state.WriteStateAsync();
        return record;
    }

    public Task<ForecastSnapshot> GetSnapshotAsync()
    {
        var s = state.State;
        var last = History.Count > 0 ? History[^1] : null;
        return Task.FromResult(new ForecastSnapshot(Symbol, s.Next, last, Scorecard(s.Totals.ToScorecard()),
            s.Next?.ModelVersion ?? last?.Forecast.ModelVersion));
    }

    public Task<IReadOnlyList<ForecastRecordDto>> GetHistoryAsync(DateOnly? from, DateOnly? to)
    {
        var s = state.State;
        IEnumerable<ForecastRecordDto> records = History;
        if (s.Next is { } open) records = records.Append(new ForecastRecordDto(open, null));
        return Task.FromResult<IReadOnlyList<ForecastRecordDto>>(records
            .Where(r => (from is null || r.Forecast.TargetDay >= from) && (to is null || r.Forecast.TargetDay < to))
            .ToList());
    }

    public static ForecastScorecardDto Scorecard(ForecastScorecard c) =>
        new(c.Scored, Finite(c.MeanQlike), Finite(c.MeanQlikeHar), Finite(c.QlikeGainVsHar), Finite(c.Band80Coverage), Finite(c.Band95Coverage),
            c.VolumeScored, Finite(c.VolumeMse), Finite(c.VolumeMseHar), Finite(c.VolumeGainVsHar), c.SkippedNoRange);

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
