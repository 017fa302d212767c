namespace MarketPulse.Abstractions.Forecasts;

/// <summary>
/// One per symbol: keeps the volatility, expected-move and volume forecasts its ticker issues at each prediction time,
/// scores each against the realised day at its close, and keeps the live scorecard and the scored history.
/// </summary>
public interface IForecastGrain : IGrainWithStringKey
{
    /// <summary>Records the forecast for its target day; a target day at or before the last one issued is ignored (false).</summary>
    Task<bool> IssueAsync(ForecastDto forecast);

    /// <summary>Scores the forecast for <see cref="ForecastClose.Day"/>, if one was issued; returns the scored record.</summary>
    Task<ForecastRecordDto?> OnDailyCloseAsync(ForecastClose close);

    [ReadOnly]
    Task<ForecastSnapshot> GetSnapshotAsync();

    /// <summary>Forecasts whose target day is in [from, to) (either bound optional), oldest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ForecastRecordDto>> GetHistoryAsync(DateOnly? from, DateOnly? to);
}
