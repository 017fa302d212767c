using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Grains.Sentiment;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ingestion.Text.Live;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Sources;

/// <summary>
/// Runs the live text sources switched on under <c>MarketPulse:Text</c> (RSS/Atom feeds, Reddit, the X filtered stream;
/// all off by default) inside the silo, the text counterpart of <see cref="Market.LiveFeedService"/>. Each source feeds
/// its own text source grain (<c>rss:NAME</c>, <c>reddit:SUB</c>, <c>x:filtered</c>), which runs the text pipeline and
/// counts its drops; the source's own problems (malformed documents, 429s, timeouts, stalls) go to metrics at once and
/// into that grain's stats every few seconds, so <c>GET /api/sources/text/NAME</c> shows every reason. A source that is
/// misconfigured (an SEC feed without a contact User-Agent, Reddit without credentials) is not started, with an error
/// logged; the others run.
/// </summary>
public sealed class LiveTextService(
    IGrainFactory grains, IOptions<TextSourcesOptions> options, IHttpClientFactory httpClients, TextPipelineFactory pipelines,
    PipelineMetrics metrics, ILoggerFactory loggers, TimeProvider time) : BackgroundService
{
    /// <summary>The named <see cref="HttpClient"/> every text source uses (no client-wide timeout: the sources time each request).</summary>
    public const string HttpClientName = "marketpulse-text-sources";

    private readonly ILogger _logger = loggers.CreateLogger<LiveTextService>();
    private readonly List<TextSource> _sources = [];

    /// <summary>The running sources' counters (requests, 304s, rate-limit waits, problems per source), for diagnostics and tests.</summary>
    public IReadOnlyList<TextSourceStats> GetStats()
    {
        lock (_sources) return _sources.Select(s => s.GetStats()).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await using var limits = new HostRateLimits(o.Rss.RequestsPerSecondByHost, o.Rss.DefaultRequestsPerSecond);
        var created = new List<TextSource>();
        if (o.Rss.Enabled)
            foreach (var feed in o.Rss.Feeds)
                TryCreate("rss:" + feed.Name, () => new RssFeedSource(feed, o.Rss, Client(), limits, pipelines.SymbolForCompany, SinkAsync,
                    loggers.CreateLogger("MarketPulse.Text.Rss"), time), created);
        if (o.Reddit.Enabled)
            TryCreate("reddit", () => new RedditSource(o.Reddit, Client(), SinkAsync, loggers.CreateLogger("MarketPulse.Text.Reddit"), time), created);
        if (o.X.Enabled)
            TryCreate(XFilteredStreamSource.SourceName, () => new XFilteredStreamSource(o.X, Client(), SinkAsync, loggers.CreateLogger("MarketPulse.Text.X"), time), created);
        lock (_sources) _sources.AddRange(created);
        await Task.WhenAll(created.Select(s => RunAsync(s, stoppingToken)));
    }

    private HttpClient Client()
    {
        var client = httpClients.CreateClient(HttpClientName);
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    private void TryCreate(string name, Func<TextSource> create, List<TextSource> created)
    {
        try
        {
            created.Add(create());
        }
        catch (ArgumentException ex)
        {
            SourcesLog.LiveTextNotStarted(_logger, name, ex.Message);
        }
    }

    private Task<IngestResult> SinkAsync(string source, IReadOnlyList<MarketPulse.Abstractions.Sentiment.TextPost> posts, CancellationToken ct) =>
        grains.GetGrain<ITextSourceGrain>(source).IngestAsync(posts);

    private async Task RunAsync(TextSource source, CancellationToken ct)
    {
        var unreported = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        source.ProblemCounted += (name, reason) =>
        {
            metrics.TextRejected(name, RejectReasons.Label(reason));
            lock (unreported)
            {
                if (!unreported.TryGetValue(name, out var d)) unreported[name] = d = new(StringComparer.Ordinal);
                d[reason] = d.GetValueOrDefault(reason) + 1;
            }
        };
        source.EventCounted += (name, kind) => metrics.TextSourceEvent(name, kind);
        SourcesLog.LiveTextStarted(_logger, source.Name);
        var run = source.RunAsync(ct);
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(options.Value.ReportSeconds), time, CancellationToken.None));
            List<(string Name, Dictionary<string, long> Delta)> deltas;
            lock (unreported)
            {
                if (unreported.Count == 0) continue;
                deltas = unreported.Select(kv => (kv.Key, kv.Value)).ToList();
                unreported.Clear();
            }
            foreach (var (name, delta) in deltas)
            {
                try { await grains.GetGrain<ITextSourceGrain>(name).RecordUpstreamRejectionsAsync(delta); }
                catch (Exception ex)
                {
                    SourcesLog.LiveTextReportFailed(_logger, ex, name);
                    lock (unreported)
                    {
                        if (!unreported.TryGetValue(name, out var d)) unreported[name] = d = new(StringComparer.Ordinal);
                        foreach (var (k, v) in delta) d[k] = d.GetValueOrDefault(k) + v;
                    }
                }
            }
        }
        try { await run; }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            SourcesLog.LiveTextStopped(_logger, ex, source.Name);
        }
    }
}
