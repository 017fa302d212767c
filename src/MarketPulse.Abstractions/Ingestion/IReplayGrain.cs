namespace MarketPulse.Abstractions.Ingestion;

/// <summary>Replays a data directory (StockNet layout) into the source grains on an accelerated clock.</summary>
public interface IReplayGrain : IGrainWithStringKey
{
    Task<ReplayStatus> StartAsync(ReplayRequest request);

    Task StopAsync();

    [ReadOnly]
    Task<ReplayStatus> GetStatusAsync();
}
