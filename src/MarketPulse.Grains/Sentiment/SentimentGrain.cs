using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Alerts;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Ensemble;
using MarketPulse.Core.Sentiment;
using MarketPulse.Grains.Hosting;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ml.Sentiment;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MarketPulse.Grains.Sentiment;

[GenerateSerializer, Alias("marketpulse.sentimentstate")]
public sealed class SentimentState
{
    /// <summary>Scored posts inside the aggregation window, oldest first.</summary>
    [Id(0)] public List<ScoredPost> Posts { get; set; } = [];
    [Id(1)] public long PostsScored { get; set; }
    [Id(2)] public long PostsRefined { get; set; }
    /// <summary>Posts that kept the lexicon score because this silo's refine queue was full.</summary>
    [Id(3)] public long PostsLexiconOnly { get; set; }
    /// <summary>Refinements that came back after their post had left the aggregation window (they changed nothing).</summary>
    [Id(4)] public long PostsRefinedLate { get; set; }
}

/// <summary>
/// One per symbol. Scores each incoming text at once with the lexicon, queues it for the production transformer
/// (<see cref="SentimentRefinement"/>), which replaces the score when it comes back, keeps the posts of the aggregation
/// window, and computes time-decayed aggregates (overall and per source) as of any instant from the posts before it.
/// </summary>
[ImplicitStreamSubscription(MarketPulseNames.TextsNamespace)]
public sealed class SentimentGrain(
    [PersistentState("sentiment", MarketPulseNames.GrainStorage)] IPersistentState<SentimentState> state,
    ISentimentScorer scorer,
    SentimentRefinement refinement,
    IOptions<SentimentOptions> options,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<SentimentGrain> logger)
    : Grain, ISentimentGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<TextBatch>
{
    private const int MaxPosts = 20_000;
    private readonly SentimentOptions _options = options.Value;
    private bool _dirty;
    private HashSet<(string Source, string Id)>? _keys;

    private void Forget(List<ScoredPost> posts, int count)
    {
        for (var i = 0; i < count; i++) _keys?.Remove((posts[i].Source, posts[i].Id));
        posts.RemoveRange(0, count);
    }

    private TimeSpan HalfLife => TimeSpan.FromHours(_options.HalfLifeHours);
    private TimeSpan Window => TimeSpan.FromDays(_options.WindowDays);
    private ISymbolWatchGrain Watch => field ??= GrainFactory.GetGrain<ISymbolWatchGrain>(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(ct => this.ShouldFlushPeriodically() ? FlushAsync(ct) : Task.CompletedTask, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty && this.ShouldFlushOnDeactivate(reason)) await state.WriteStateAsync(cancellationToken);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<TextBatch>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<TextBatch>> items)
    {
        metrics.BatchesDelivered(MarketPulseNames.TextsNamespace, items.Count);
        var posts = state.State.Posts;
        // A durable stream delivers at least once: a post already kept (same source and id) is not scored twice.
        _keys ??= posts.Select(p => (p.Source, p.Id)).ToHashSet();
        var symbol = this.GetPrimaryKeyString();
        var queue = refinement.Queue;
        foreach (var item in items)
        {
            foreach (var post in item.Item.Posts)
            {
                if (!_keys.Add((post.Source, post.Id))) continue;
                var score = scorer.Score(post.Text);
                var scored = new ScoredPost(post.Source, post.Id, post.Time, post.Text, post.Author, score.Polarity,
                    score.Label.ToString().ToLowerInvariant(), score.Confidence, scorer.Name);
                // Keep time order even when a source delivers slightly late.
                var at = posts.Count;
                while (at > 0 && posts[at - 1].Time > scored.Time) at--;
                posts.Insert(at, scored);
                state.State.PostsScored++;
                if (queue is not null && !queue.TryEnqueue(new RefineRequest(symbol, post.Source, post.Id, post.Text)))
                    state.State.PostsLexiconOnly++;
            }
        }
        // Drop what has left the window (measured from the newest post) and cap memory.
        if (posts.Count > 0)
        {
            var cutoff = posts[^1].Time - Window - TimeSpan.FromDays(1);
            var old = posts.FindIndex(p => p.Time >= cutoff);
            if (old > 0) Forget(posts, old);
            if (posts.Count > MaxPosts) Forget(posts, posts.Count - MaxPosts);
        }
        _dirty = true;
        if (posts.Count > 0)
        {
            // Alerts on sentiment thresholds: the score as the snapshot shows it, one-way to the symbol's watch grain.
            var asOf = posts[^1].Time.AddTicks(1);
            await Watch.OnSentimentChangedAsync(Aggregate(posts, asOf).Mean, asOf);
        }
    }

    public Task ApplyRefinedAsync(IReadOnlyList<RefinedScore> scores)
    {
        var posts = state.State.Posts;
        foreach (var refined in scores)
        {
            // Refinements arrive shortly after their posts, so search from the newest end.
            var at = posts.FindLastIndex(p => p.Id == refined.Id && p.Source == refined.Source);
            if (at < 0)
            {
                // Already out of the window (a fast replay can age posts out before the transformer answers): counted,
                // so that scored = refined + lexicon-only + refined-late + still queued.
                state.State.PostsRefinedLate++;
                continue;
            }
            posts[at] = posts[at] with { Polarity = refined.Polarity, Label = refined.Label, Confidence = refined.Confidence, Model = refined.Model };
            state.State.PostsRefined++;
        }
        _dirty = true;
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        SentimentLog.TextStreamError(logger, ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<SentimentSnapshot> GetSnapshotAsync()
    {
        var posts = state.State.Posts;
        DateTime? asOf = posts.Count == 0 ? null : posts[^1].Time.AddTicks(1);
        var at = asOf ?? time.GetUtcNow().UtcDateTime;
        var (score, _) = Aggregate(posts, at);
        var inWindow = posts.Count(p => p.Time < at && p.Time >= at - Window);
        var last24 = posts.Count(p => p.Time < at && p.Time >= at.AddHours(-24));
        var prev24 = posts.Count(p => p.Time < at.AddHours(-24) && p.Time >= at.AddHours(-48));
        var bySource = posts.Where(p => p.Time < at && p.Time >= at - Window).GroupBy(p => p.Source)
            .Select(g => new SourceSentiment(g.Key, Aggregate(g, at).Mean, g.Count())).OrderBy(s => s.Source).ToList();
        return Task.FromResult(new SentimentSnapshot(this.GetPrimaryKeyString(), asOf, score, inWindow, last24, prev24, bySource,
            state.State.PostsScored, refinement.Model ?? scorer.Name, _options.HalfLifeHours, state.State.PostsRefined,
            state.State.PostsLexiconOnly, scorer.Name, TopPosts(posts, at), state.State.PostsRefinedLate));
    }

    public Task<IReadOnlyList<ScoredPost>> GetPostsAsync(int limit)
    {
        var posts = state.State.Posts;
        IReadOnlyList<ScoredPost> result = posts.Skip(Math.Max(0, posts.Count - limit)).Reverse().ToList();
        return Task.FromResult(result);
    }

    public Task<SentimentSignal> GetSignalAsync(DateTime asOfUtc)
    {
        var (score, _) = Aggregate(state.State.Posts, asOfUtc);
        var n = state.State.Posts.Count(p => p.Time < asOfUtc && p.Time >= asOfUtc - Window);
        // No posts, no opinion: the ensemble then leaves this signal out instead of reading it as neutral.
        return Task.FromResult(new SentimentSignal(score, n, SignalMix.Sentiment(score, n)));
    }

    /// <summary>How many posts the snapshot lists as driving the score.</summary>
    public const int DrivingPosts = 5;

    private List<DrivingPost> TopPosts(IEnumerable<ScoredPost> posts, DateTime asOf) =>
        [.. DecayingAverage.TopContributors(posts, p => p.Time, p => p.Polarity, asOf, HalfLife, Window, DrivingPosts)
            .Select(x => new DrivingPost(x.Item, Math.Round(x.Share, 6)))];

    private (double Mean, double Weight) Aggregate(IEnumerable<ScoredPost> posts, DateTime asOf) =>
        DecayingAverage.Compute(posts, p => p.Time, p => p.Polarity, asOf, HalfLife, Window);

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty) return;
        _dirty = false;
        await state.WriteStateAsync(cancellationToken);
    }
}
