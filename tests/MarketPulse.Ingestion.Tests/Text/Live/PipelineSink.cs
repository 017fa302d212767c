using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Text;
using MarketPulse.Ingestion.Validation;

namespace MarketPulse.Ingestion.Tests.Text.Live;

/// <summary>
/// Stands in for the text source grain at the end of a live source: the same <see cref="TextValidator"/> and
/// <see cref="TextPipeline"/> (with the sample's stock table) the grain runs, per source, and a record of the posts that
/// came through and of every drop by reason. <see cref="FailNext"/> makes calls throw, as an unreachable cluster would.
/// </summary>
internal sealed class PipelineSink
{
    private readonly object _gate = new();
    private readonly CashtagExtractor _extractor = new(StockTable.Load(SampleStockTable));
    private readonly Dictionary<string, (TextValidator Validator, TextPipeline Pipeline)> _bySource = [];
    public List<TextPost> Accepted { get; } = [];
    public Dictionary<string, int> Dropped { get; } = [];
    public int FailNext { get; set; }

    public static string SampleStockTable => RepoPaths.Sample("stocknet", "StockTable");

    public string? SymbolForCompany(string name) => _extractor.SymbolForCompany(name);

    public Task<IngestResult> IngestAsync(string source, IReadOnlyList<TextPost> posts, CancellationToken ct)
    {
        lock (_gate)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new InvalidOperationException("cluster unreachable (test)");
            }
            if (!_bySource.TryGetValue(source, out var stage)) _bySource[source] = stage = (new TextValidator(), new TextPipeline(_extractor));
            var rejected = new List<Rejection>();
            for (var i = 0; i < posts.Count; i++)
            {
                var raw = posts[i];
                if (raw.Symbols is null || raw.Symbols.Count == 0) raw = raw with { Symbols = stage.Pipeline.FindSymbols(raw.Text) };
                var reason = stage.Validator.Check(raw, out var post);
                if (reason is null)
                {
                    var verdict = stage.Pipeline.Process(post.Text, post.Author, post.Symbols);
                    reason = verdict.DropReason;
                    post = post with { Text = verdict.Text };
                }
                if (reason is null) Accepted.Add(post);
                else
                {
                    rejected.Add(new Rejection(i, reason));
                    Dropped[reason] = Dropped.GetValueOrDefault(reason) + 1;
                }
            }
            return Task.FromResult(new IngestResult(posts.Count - rejected.Count, rejected));
        }
    }

    public List<TextPost> Snapshot()
    {
        lock (_gate) return [.. Accepted];
    }

    public int DroppedFor(string reason)
    {
        lock (_gate) return Dropped.GetValueOrDefault(reason);
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, double seconds = 10) =>
        Eventually.Last(() => Task.FromResult(condition()), ok => ok, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(20));
}
