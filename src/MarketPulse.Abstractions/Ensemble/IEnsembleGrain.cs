namespace MarketPulse.Abstractions.Ensemble;

/// <summary>
/// One per symbol: scores every earlier prediction against the day that just closed, re-weights the signals
/// from those scores only, and issues the next day's predictions.
/// </summary>
public interface IEnsembleGrain : IGrainWithStringKey
{
    Task<PredictionRecord> OnDailyCloseAsync(DailyClose close);

    [ReadOnly]
    Task<EnsembleSnapshot> GetSnapshotAsync();

    [ReadOnly]
    Task<IReadOnlyList<PredictionRecord>> GetPredictionsAsync(DateTime? from, DateTime? to, string? signal);
}
