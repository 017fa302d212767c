using System.Diagnostics;
using MarketPulse.Abstractions.Realtime;
using MarketPulse.Grains.Telemetry;
using Microsoft.AspNetCore.SignalR;

namespace MarketPulse.Server.Realtime;

/// <summary>
/// The gateway's end of the push path: an Orleans grain observer registered (with a renewed lease) in the cluster's
/// <see cref="IPushGatewayRegistryGrain"/>. The silos' push notifiers call it with batches of ticker updates and
/// alerts, which it fans out to the SignalR groups. The same code runs in role <c>all</c> (observer inside the silo
/// process) and role <c>gateway</c> (observer in an Orleans client).
/// </summary>
public sealed class MarketPushRelay(
    IGrainFactory grains,
    IHubContext<MarketHub, IMarketClient> hub,
    PipelineMetrics metrics,
    ILogger<MarketPushRelay> logger)
    : BackgroundService, IMarketPushObserver
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(15);

    private readonly string _id = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():n}";
    private IMarketPushObserver? _reference;
    private volatile bool _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<IMarketPushObserver>(this);
        var registry = grains.GetGrain<IPushGatewayRegistryGrain>(0);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = Renewal;
            try
            {
                await registry.RegisterAsync(_id, _reference, Lease);
                ServerLog.PushRegistered(logger, _id);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                ServerLog.PushRegistrationFailed(logger, ex);
                next = TimeSpan.FromSeconds(1);
            }
            try
            {
                await Task.Delay(next, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IPushGatewayRegistryGrain>(0).UnregisterAsync(_id).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception ex)
        {
            ServerLog.PushUnregistrationFailed(logger, ex);
        }
        // The reference stays valid until the process exits: a silo's push notifier keeps its gateway list for up to two
        // seconds, and grains still finishing their last stream batches while the silo stops push to it. Deleting it now
        // turned each of those pushes into an error in the log; the relay just drops them instead.
        _stopping = true;
        await base.StopAsync(cancellationToken);
    }

    public async Task OnPushAsync(PushBatch batch)
    {
        if (_stopping) return;
        var now = DateTime.UtcNow;
        ServerLog.PushBatch(logger, batch.Tickers.Count, batch.Alerts.Count);
        var sends = new List<Task>(batch.Tickers.Count * 2 + batch.Alerts.Count * 2);
        foreach (var update in batch.Tickers)
        {
            using var activity = StartActivity("marketpulse.push", update.TraceParent);
            activity?.SetTag("marketpulse.symbol", update.Ticker.Symbol);
            var push = new TickerPush(update.Ticker.Symbol, update.Ticker, update.Ensemble, now);
            sends.Add(hub.Clients.Group(MarketHub.GroupFor(update.Ticker.Symbol)).TickerUpdated(push));
            sends.Add(hub.Clients.Group(MarketHub.GroupFor(MarketHub.All)).TickerUpdated(push));
            // Only pushes a batch caused: a timer's push (close, prediction time) has no ingest to measure from.
            if (update.IngestedAtUtc is { } ingested) metrics.PushLatency(Math.Max(0, (now - ingested).TotalMilliseconds));
        }
        foreach (var alert in batch.Alerts)
        {
            using var activity = StartActivity("marketpulse.push.alert", alert.TraceParent);
            // A rule is its owner's: its firings go to the owner's connections and to admins', not to every subscriber.
            if (alert.Owner is { } owner) sends.Add(hub.Clients.Group(MarketHub.OwnerGroup(owner)).AlertFired(alert));
            sends.Add(hub.Clients.Group(MarketHub.AdminsGroup).AlertFired(alert));
        }
        metrics.Pushed("ticker", batch.Tickers.Count);
        metrics.Pushed("alert", batch.Alerts.Count);
        try
        {
            await Task.WhenAll(sends);
        }
        catch (Exception ex)
        {
            ServerLog.PushFailed(logger, ex);
        }
    }

    private static Activity? StartActivity(string name, string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? PipelineMetrics.ActivitySource.StartActivity(name, ActivityKind.Producer, parent)
            : PipelineMetrics.ActivitySource.StartActivity(name, ActivityKind.Producer);
}
