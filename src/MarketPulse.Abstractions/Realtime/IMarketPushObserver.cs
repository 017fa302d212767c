namespace MarketPulse.Abstractions.Realtime;

/// <summary>Implemented by each gateway (an Orleans client or the in-process API) to receive pushes from the silos.</summary>
public interface IMarketPushObserver : IGrainObserver
{
    /// <summary>One-way: a slow or dead gateway must not hold up the silo that pushes.</summary>
    [OneWay]
    Task OnPushAsync(PushBatch batch);
}
