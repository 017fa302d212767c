using MarketPulse.Core.Sentiment;
using Xunit.Abstractions;

namespace MarketPulse.Core.Tests.Sentiment;

/// <summary>Against the human ratings VADER was validated on (Hutto &amp; Gilbert 2014, tweets: r = 0.881).</summary>
public sealed class VaderGroundTruthTests(ITestOutputHelper output)
{
    private static (double Truth, string Text)[] LoadTweets()
    {
        var path = SharedData.Path("vader", "hutto_ICWSM_2014", "tweets_GroundTruth.txt");
        return File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t', 3))
            .Select(p => (double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), p[2]))
            .ToArray();
    }

    private static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    [SharedDataFact("vader")]
    public void Correlates_with_human_ratings_of_tweets_as_published()
    {
        var tweets = LoadTweets();
        Assert.Equal(4200, tweets.Length);
        var scorer = new LexiconSentimentScorer(VaderLexicon.Load(RepoPaths.ShippedLexicon,
            SharedData.Path("vader", "vaderSentiment", "emoji_utf8_lexicon.txt")));
        var r = Pearson(tweets.Select(t => t.Truth).ToArray(), tweets.Select(t => scorer.Score(t.Text).Polarity).ToArray());
        output.WriteLine($"Pearson r on {tweets.Length} tweets: {r:F4} (paper: 0.881)");
        // The paper's 0.881 came from the 2014 code and lexicon; the 3.3.2 rules and lexicon give 0.872 (checked
        // against the Python reference on all 4,200 tweets), so a drop below 0.86 means a rule broke.
        Assert.InRange(r, 0.86, 0.89);
    }

    [SharedDataTheory("vader", "loughran_mcdonald")]
    // Measured (docs/models/sentiment.md): Fill keeps VADER's tweet behaviour; Finance strips everyday sentiment words
    // ("love", "great", "awesome" are in LM's dictionary without finance sentiment) and pays for it on tweets.
    [InlineData(LoughranMcDonaldMode.Fill, 0.86, 0.88)]
    [InlineData(LoughranMcDonaldMode.Finance, 0.55, 0.63)]
    public void Loughran_mcdonald_modes_keep_or_trade_away_tweet_correlation(LoughranMcDonaldMode mode, double low, double high)
    {
        var tweets = LoadTweets();
        var lm = LoughranMcDonaldLexicon.Load(SharedData.Path("loughran_mcdonald", "inputs", "LM_MasterDictionary_1993-2021.csv"));
        var scorer = new LexiconSentimentScorer(VaderLexicon.Load(RepoPaths.ShippedLexicon,
            SharedData.Path("vader", "vaderSentiment", "emoji_utf8_lexicon.txt")), lm, LoughranMcDonaldCombination.Default with { Mode = mode });
        var r = Pearson(tweets.Select(t => t.Truth).ToArray(), tweets.Select(t => scorer.Score(t.Text).Polarity).ToArray());
        output.WriteLine($"{mode}: Pearson r on {tweets.Length} tweets {r:F4}");
        Assert.InRange(r, low, high);
    }

    [SharedDataFact("vader")]
    public void Three_class_agreement_with_human_polarity_is_high()
    {
        var tweets = LoadTweets();
        var scorer = new LexiconSentimentScorer(VaderLexicon.Load(RepoPaths.ShippedLexicon));
        var agree = tweets.Count(t => (int)scorer.Score(t.Text).Label == Math.Sign(t.Truth));
        var accuracy = agree / (double)tweets.Length;
        output.WriteLine($"3-class agreement on tweets: {accuracy:F4}");
        Assert.True(accuracy > 0.9, $"agreement {accuracy:F4}");
    }
}
