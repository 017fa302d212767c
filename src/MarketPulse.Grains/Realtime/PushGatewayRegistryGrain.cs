using MarketPulse.Abstractions.Realtime;

namespace MarketPulse.Grains.Realtime;

/// <summary>The gateways listening for pushes, each with a lease it renews (in memory: renewals rebuild it after a move).</summary>
public sealed class PushGatewayRegistryGrain(TimeProvider time) : Grain, IPushGatewayRegistryGrain
{
    private readonly Dictionary<string, (IMarketPushObserver Observer, DateTime Expires)> _gateways = new(StringComparer.Ordinal);

    public Task RegisterAsync(string gatewayId, IMarketPushObserver observer, TimeSpan lease)
    {
        _gateways[gatewayId] = (observer, time.GetUtcNow().UtcDateTime + lease);
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string gatewayId)
    {
        _gateways.Remove(gatewayId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IMarketPushObserver>> GetObserversAsync()
    {
        var now = time.GetUtcNow().UtcDateTime;
        IReadOnlyList<IMarketPushObserver> live = _gateways.Values.Where(g => g.Expires > now).Select(g => g.Observer).ToList();
        return Task.FromResult(live);
    }
}
