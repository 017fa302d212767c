using MarketPulse.Abstractions.Alerts;
using MarketPulse.Abstractions.Realtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace MarketPulse.Grains.Realtime;

/// <summary>
/// One per silo (a stateless worker is always local, so pushing to it costs no network hop). Buffers ticker updates —
/// keeping only the newest per symbol — and alerts, and every <see cref="FlushInterval"/> sends one batch to each
/// registered gateway. This is GPSTracker's PushNotifierGrain pattern: gateways see one message per flush instead
/// of one per ticker change.
/// </summary>
[StatelessWorker(1)]
public sealed class PushNotifierGrain(ILogger<PushNotifierGrain> logger, IHostApplicationLifetime lifetime, TimeProvider time)
    : Grain, IPushNotifierGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan ObserverRefresh = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, TickerUpdate> _tickers = new(StringComparer.Ordinal);
    private readonly List<AlertNotification> _alerts = [];
    private IReadOnlyList<IMarketPushObserver> _observers = [];
    private DateTime _observersAt = DateTime.MinValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FlushAsync, FlushInterval, FlushInterval);
        return Task.CompletedTask;
    }

    public Task PushTickerAsync(TickerUpdate update)
    {
        _tickers[update.Ticker.Symbol] = update;
        return Task.CompletedTask;
    }

    public Task PushAlertsAsync(IReadOnlyList<AlertNotification> alerts)
    {
        _alerts.AddRange(alerts);
        return Task.CompletedTask;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_tickers.Count == 0 && _alerts.Count == 0) return;
        // Once the host stops, its gateways are unregistering or gone and grains finishing their last batches would push
        // into a shutting-down silo's messaging (an error per push in the log): the last updates go nowhere instead.
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            _tickers.Clear();
            _alerts.Clear();
            return;
        }
        if (time.GetUtcNow().UtcDateTime - _observersAt > ObserverRefresh)
        {
            try
            {
                _observers = await GrainFactory.GetGrain<IPushGatewayRegistryGrain>(0).GetObserversAsync();
                _observersAt = time.GetUtcNow().UtcDateTime;
            }
            catch (Exception ex)
            {
                RealtimeLog.GatewayRefreshFailed(logger, ex, _observers.Count);
            }
        }
        RealtimeLog.Flushing(logger, _tickers.Count, _alerts.Count, _observers.Count);
        var batch = new PushBatch(_tickers.Values.ToList(), _alerts.ToList());
        _tickers.Clear();
        _alerts.Clear();
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnPushAsync(batch);
            }
            catch (Exception ex)
            {
                RealtimeLog.PushFailed(logger, ex);
            }
        }
    }
}
