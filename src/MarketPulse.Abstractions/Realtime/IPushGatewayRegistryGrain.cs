namespace MarketPulse.Abstractions.Realtime;

/// <summary>
/// Key 0: the gateways currently listening for pushes. Gateways re-register periodically; an entry not renewed
/// within its lease is dropped, so a dead gateway stops receiving pushes without anyone having to notice it died.
/// Kept in memory only: after a move the registry is rebuilt by the next round of renewals.
/// </summary>
public interface IPushGatewayRegistryGrain : IGrainWithIntegerKey
{
    Task RegisterAsync(string gatewayId, IMarketPushObserver observer, TimeSpan lease);

    Task UnregisterAsync(string gatewayId);

    [ReadOnly]
    Task<IReadOnlyList<IMarketPushObserver>> GetObserversAsync();
}
