using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Text;
using MarketPulse.Grains.Sentiment;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace MarketPulse.Grains.Sources;

/// <summary>
/// Validates one text source's posts, resolves their tickers (given, cashtags, company names), runs the text pipeline
/// (normalisation, retweet/near-duplicate collapse, language and spam checks, length cap; <see cref="TextPipeline"/>),
/// counts every drop per reason, and publishes one batch per ticker on the text streams. A post naming several
/// tickers goes to each of them.
/// </summary>
public sealed class TextSourceGrain(PipelineMetrics metrics, TextPipelineFactory pipelines, TimeProvider time, ILogger<TextSourceGrain> logger)
    : Grain, ITextSourceGrain
{
    private readonly TextIntake _intake = new(pipelines.Create(), time);
    private readonly SourceCounters _counters = new();

    private string Source => this.GetPrimaryKeyString();

    public async Task<IngestResult> IngestAsync(IReadOnlyList<TextPost> posts)
    {
        _counters.Received(posts.Count);
        var rejected = new List<Rejection>();
        var bySymbol = new Dictionary<string, List<(int Index, TextPost Post)>>(StringComparer.Ordinal);
        for (var i = 0; i < posts.Count; i++)
        {
            var reason = _intake.Admit(posts[i], out var post);
            if (reason is not null)
            {
                rejected.Add(new Rejection(i, reason));
                if (_counters.Reject(reason))
                    SourcesLog.TextItemRejected(logger, Source, i, reason);
                metrics.TextRejected(Source, RejectReasons.Label(reason));
                continue;
            }
            foreach (var symbol in post!.Symbols)
            {
                if (!bySymbol.TryGetValue(symbol, out var list)) bySymbol[symbol] = list = [];
                list.Add((i, post));
            }
        }

        var ingestedAt = time.GetUtcNow().UtcDateTime;
        var provider = this.GetStreamProvider(MarketPulseNames.StreamProvider);
        var failed = new HashSet<int>();
        foreach (var (symbol, items) in bySymbol)
        {
            try
            {
                var stream = provider.GetStream<TextBatch>(StreamId.Create(MarketPulseNames.TextsNamespace, symbol));
                await stream.OnNextAsync(new TextBatch(symbol, items.ConvertAll(x => x.Post), ingestedAt));
                metrics.BatchPublished(MarketPulseNames.TextsNamespace);
            }
            catch (Exception ex)
            {
                SourcesLog.TextQueueFailed(logger, ex, Source, items.Count, symbol);
                foreach (var (index, _) in items) failed.Add(index);
            }
        }
        foreach (var i in failed.Order())
        {
            rejected.Add(new Rejection(i, "queue: could not enqueue; retry"));
            _counters.Reject("queue: could not enqueue; retry");
        }
        var accepted = bySymbol.Values.SelectMany(v => v).Select(v => v.Index).Distinct().Count(i => !failed.Contains(i));
        DateTime? last = accepted > 0 ? bySymbol.Values.SelectMany(v => v).Max(v => v.Post.Time) : null;
        _counters.Accepted(accepted, last);
        metrics.TextsIngested(Source, accepted);
        rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new IngestResult(accepted, rejected);
    }

    public Task<SourceStats> GetStatsAsync() => Task.FromResult(_counters.ToStats(Source));

    public Task RecordUpstreamRejectionsAsync(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (reason, n) in counts)
            if (n > 0) _counters.Add(reason, n);
        return Task.CompletedTask;
    }
}
