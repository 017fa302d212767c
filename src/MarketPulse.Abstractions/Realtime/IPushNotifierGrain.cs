namespace MarketPulse.Abstractions.Realtime;

/// <summary>
/// A stateless worker in each silo that buffers ticker updates and alerts and flushes them to every registered
/// gateway every few milliseconds (the GPSTracker pattern), keeping only the newest update per ticker per flush.
/// </summary>
public interface IPushNotifierGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task PushTickerAsync(TickerUpdate update);

    [OneWay]
    Task PushAlertsAsync(IReadOnlyList<Alerts.AlertNotification> alerts);
}
