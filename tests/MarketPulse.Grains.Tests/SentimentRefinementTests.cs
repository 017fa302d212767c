using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Sentiment;

namespace MarketPulse.Grains.Tests;

/// <summary>Texts get the lexicon score at once and the production transformer's score shortly after, on a real cluster.</summary>
[Collection(ClusterCollection.Name)]
public class SentimentRefinementTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Every_post_is_rescored_by_the_production_model()
    {
        const string symbol = "REFN";
        var t0 = new DateTime(2015, 6, 1, 14, 0, 0, DateTimeKind.Utc);
        var posts = new List<TextPost>
        {
            new("refine", "1", t0, "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn a year earlier .", [symbol]),
            new("refine", "2", t0.AddMinutes(1), "The company said it will cut 500 jobs after net sales fell 30 % .", [symbol]),
            new("refine", "3", t0.AddMinutes(2), "The annual general meeting will be held in Helsinki on 3 April .", [symbol]),
        };
        var result = await fixture.Grains.GetGrain<ITextSourceGrain>("refine").IngestAsync(posts);
        Assert.Equal(3, result.Accepted);

        var grain = fixture.Grains.GetGrain<ISentimentGrain>(symbol);
        var snap = await Eventually.Last(grain.GetSnapshotAsync, s => s.PostsRefined >= 3, TimeSpan.FromSeconds(60));
        Assert.Equal(3, snap.PostsRefined);
        Assert.Equal(0, snap.PostsLexiconOnly);
        Assert.StartsWith("minilm", snap.Model);
        Assert.Equal("lexicon-vader-v2", snap.FastModel);

        var scored = (await grain.GetPostsAsync(10)).OrderBy(p => p.Id).ToList();
        Assert.All(scored, p => Assert.Equal(snap.Model, p.Model));
        Assert.Equal(["positive", "negative", "neutral"], scored.Select(p => p.Label));
        Assert.True(scored[0].Polarity > 0 && scored[1].Polarity < 0);

        // The posts that drive the score, with signed shares that add up to it.
        Assert.NotNull(snap.TopPosts);
        Assert.Equal(3, snap.TopPosts!.Count);
        Assert.Equal(snap.Score, snap.TopPosts.Sum(p => p.Share), 4);
        Assert.True(Math.Abs(snap.TopPosts[0].Share) >= Math.Abs(snap.TopPosts[^1].Share));
    }
}

/// <summary>Benzinga headlines replayed through the same text pipeline as live posts, scored by the production model.</summary>
[Collection(ClusterCollection.Name)]
public class BenzingaReplayTests(ClusterFixture fixture)
{
    [SharedDataFact("news_benzinga")]
    public async Task Headlines_go_through_the_text_pipeline_and_every_accepted_one_is_refined()
    {
        var rejectedRows = new List<MarketPulse.Ingestion.Text.BenzingaRowRejection>();
        var headlines = MarketPulse.Ingestion.Text.BenzingaCsvReader
            .Read(SharedData.Path("news_benzinga", "analyst_ratings_processed.csv"), rejectedRows.Add)
            .Where(p => p.Symbols[0] == "ABX").Take(300).ToList();
        Assert.Equal(300, headlines.Count);

        var source = fixture.Grains.GetGrain<ITextSourceGrain>("replay:benzinga");
        var accepted = 0;
        var reasons = new Dictionary<string, int>();
        foreach (var chunk in headlines.Chunk(100))
        {
            var result = await source.IngestAsync(chunk);
            accepted += result.Accepted;
            foreach (var r in result.Rejected) reasons[r.Reason] = reasons.GetValueOrDefault(r.Reason) + 1;
        }
        // Every headline is accounted for; wire headlines repeat ("… Shares Are Trading Higher …"), and the repeats are collapsed.
        Assert.Equal(300, accepted + reasons.Values.Sum());
        Assert.True(reasons.GetValueOrDefault(MarketPulse.Core.Text.TextDropReasons.NearDuplicate) > 0, string.Join("; ", reasons));
        var stats = await source.GetStatsAsync();
        Assert.Equal(300, stats.Received);
        Assert.Equal(accepted, stats.Accepted);
        Assert.Equal(reasons[MarketPulse.Core.Text.TextDropReasons.NearDuplicate], stats.RejectedByReason[MarketPulse.Core.Text.TextDropReasons.NearDuplicate]);

        var grain = fixture.Grains.GetGrain<ISentimentGrain>("ABX");
        // The headlines span 2015–2019; the grain keeps the aggregation window behind the newest one, so it is those
        // posts that must all end up with the production model's score (refinements of evicted posts are moot).
        // A snapshot before the posts (all scored: the posts read next hold every one of them) and one after them
        // (refinements may land between the calls and the counters only grow, so it counts at least every
        // refinement the posts show). Either order alone races.
        var (_, posts, snap) = await Eventually.Last(async () =>
            {
                var before = await grain.GetSnapshotAsync();
                var read = await grain.GetPostsAsync(1000);
                return (Before: before, Posts: read, After: await grain.GetSnapshotAsync());
            },
            r => r.Before.PostsScored == accepted && r.Posts.All(p => p.Model == r.After.Model), TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100));
        Assert.Equal(accepted, snap.PostsScored);
        Assert.Equal(0, snap.PostsLexiconOnly); // 300 texts fit the default queue
        Assert.StartsWith("minilm", snap.Model);
        Assert.NotEmpty(posts);
        Assert.All(posts, p => Assert.Equal(snap.Model, p.Model));
        Assert.True(snap.PostsRefined >= posts.Count);
        Assert.True(posts.Count >= snap.PostsInWindow);
        // Every scored post is accounted for: refined in the window, refined after it left, or kept the lexicon score.
        snap = await Eventually.Last(grain.GetSnapshotAsync, s => s.PostsRefined + s.PostsRefinedLate + s.PostsLexiconOnly >= s.PostsScored,
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        Assert.Equal(snap.PostsScored, snap.PostsRefined + snap.PostsRefinedLate + snap.PostsLexiconOnly);
    }
}
