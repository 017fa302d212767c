using System.Collections.Concurrent;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Sentiment;

namespace MarketPulse.Grains.Sentiment;

/// <summary>
/// Each post's polarity under the shipped VADER lexicon (a DI singleton, one per silo), scored once per post and shared
/// by the live price model and the forecasts: both were trained on this lexicon's scores, not on the configured
/// scorer's (which may merge Loughran-McDonald), and both read the same posts at each daily call.
/// </summary>
public sealed class PostPolarity(LexiconSentimentScorer lexicon)
{
    /// <summary>Past this many remembered posts the memory starts over (a few weeks of a busy feed).</summary>
    private const int MaxRemembered = 200_000;

    private readonly ConcurrentDictionary<string, double> _polarity = new(StringComparer.Ordinal);

    /// <summary>The polarity of <paramref name="post"/>, identified by source and id.</summary>
    public double Of(ScoredPost post)
    {
        var key = post.Source + "\u0001" + post.Id;
        if (_polarity.TryGetValue(key, out var known)) return known;
        if (_polarity.Count >= MaxRemembered) _polarity.Clear();
        return _polarity[key] = lexicon.Score(post.Text).Polarity;
    }
}
