using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ingestion.Live;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Market;

/// <summary>
/// Runs the live market adapters switched on under <c>MarketPulse:Live</c> (both off by default) inside the silo. Each
/// feeds its <c>live:NAME</c> source grain, which validates like any source; the adapter's own problems (malformed
/// frames, dropped or stale connections, refused logins) go to metrics at once and into that grain's stats every few
/// seconds, so <c>GET /api/sources/market/live:NAME</c> shows every reason.
/// </summary>
public sealed class LiveFeedService(
    IGrainFactory grains, IOptions<LiveFeedsOptions> options, PipelineMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<LiveFeedService>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var runs = new List<Task>();
        if (o.Alpaca.Enabled)
        {
            if (o.Alpaca.ResolveCredentials() is { } creds)
                runs.Add(RunAsync(new AlpacaProtocol(creds.Key, creds.Secret, FeedSymbols(o.Alpaca), o.Alpaca.SubscribeBars), o.Alpaca, stoppingToken));
            else
                MarketLog.AlpacaWithoutCredentials(_logger, AlpacaFeedSettings.KeyEnvironment, AlpacaFeedSettings.SecretEnvironment);
        }
        if (o.Coinbase.Enabled) runs.Add(RunAsync(new CoinbaseProtocol(FeedSymbols(o.Coinbase)), o.Coinbase, stoppingToken));
        return Task.WhenAll(runs);
    }

    private static List<string> FeedSymbols(LiveFeedSettings s) =>
        s.Symbols.Select(Symbols.Normalize).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    private async Task RunAsync(IFeedProtocol protocol, LiveFeedSettings settings, CancellationToken ct)
    {
        var sourceName = "live:" + protocol.Name;
        var source = grains.GetGrain<IMarketSourceGrain>(sourceName);
        var feed = new WebSocketMarketFeed(protocol, settings, (batch, _) => source.IngestTicksAsync(batch),
            loggers.CreateLogger("MarketPulse.Live." + protocol.Name), time);
        var unreported = new Dictionary<string, long>(StringComparer.Ordinal);
        feed.ProblemCounted += reason =>
        {
            metrics.TickRejected(sourceName, RejectReasons.Label(reason));
            lock (unreported) unreported[reason] = unreported.GetValueOrDefault(reason) + 1;
        };
        MarketLog.LiveFeedStarting(_logger, protocol.Name, settings.Url, string.Join(",", settings.Symbols));
        var run = feed.RunAsync(ct);
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5), time, CancellationToken.None));
            Dictionary<string, long> delta;
            lock (unreported)
            {
                if (unreported.Count == 0) continue;
                delta = new Dictionary<string, long>(unreported);
                unreported.Clear();
            }
            try { await source.RecordUpstreamRejectionsAsync(delta); }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                MarketLog.LiveFeedReportFailed(_logger, ex, protocol.Name, sourceName);
                lock (unreported) foreach (var (k, v) in delta) unreported[k] = unreported.GetValueOrDefault(k) + v;
            }
            catch (Exception) { break; }
        }
        await run;
    }
}
