namespace MarketPulse.Abstractions.Ensemble;

/// <summary>
/// One per symbol: at each close, scores the predictions issued for that day against it and re-weights the signals from
/// those scores only; at the next trading day's prediction time, issues every signal's prediction for it.
/// </summary>
public interface IEnsembleGrain : IGrainWithStringKey
{
    /// <summary>Settles the predictions issued for <see cref="DailyClose.Day"/>; a day at or before the last one is ignored.</summary>
    Task OnDailyCloseAsync(DailyClose close);

    /// <summary>
    /// Issues the predictions for <see cref="NextDayCall.TargetDay"/> (made at <see cref="NextDayCall.IssuedAtUtc"/>), once
    /// per basis day; null when the basis day's close has not been recorded here.
    /// </summary>
    Task<PredictionRecord?> IssueAsync(NextDayCall call);

    [ReadOnly]
    Task<EnsembleSnapshot> GetSnapshotAsync();

    [ReadOnly]
    Task<IReadOnlyList<PredictionRecord>> GetPredictionsAsync(DateTime? from, DateTime? to, string? signal);
}
