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
        var deadline = DateTime.UtcNow.AddSeconds(60);
        SentimentSnapshot snap;
        while ((snap = await grain.GetSnapshotAsync()).PostsRefined < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(3, snap.PostsRefined);
        Assert.Equal(0, snap.PostsLexiconOnly);
        Assert.StartsWith("minilm", snap.Model);
        Assert.Equal("lexicon-vader-v2", snap.FastModel);

        var scored = (await grain.GetPostsAsync(10)).OrderBy(p => p.Id).ToList();
        Assert.All(scored, p => Assert.Equal(snap.Model, p.Model));
        Assert.Equal(["positive", "negative", "neutral"], scored.Select(p => p.Label));
        Assert.True(scored[0].Polarity > 0 && scored[1].Polarity < 0);
    }
}
