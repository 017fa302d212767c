namespace MarketPulse.Core.Sentiment;

/// <summary>
/// A fast lexicon scorer in the style of VADER: summed word valences with negation and booster handling,
/// normalised to [-1, 1] by x / sqrt(x² + 15) as VADER does. The full VADER rule set is built in the sentiment issue.
/// </summary>
public sealed class LexiconSentimentScorer(VaderLexicon lexicon) : ISentimentScorer
{
    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without",
        "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't",
        "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "wont", "wouldnt", "cant", "couldnt", "shouldnt",
    };

    private static readonly Dictionary<string, double> Boosters = new(StringComparer.Ordinal)
    {
        ["very"] = 0.293, ["extremely"] = 0.293, ["really"] = 0.293, ["so"] = 0.293, ["hugely"] = 0.293, ["super"] = 0.293,
        ["highly"] = 0.293, ["incredibly"] = 0.293, ["totally"] = 0.293, ["most"] = 0.293, ["absolutely"] = 0.293,
        ["slightly"] = -0.293, ["somewhat"] = -0.293, ["barely"] = -0.293, ["hardly"] = -0.293, ["marginally"] = -0.293,
    };

    public string Name => "lexicon-vader-v1";

    public SentimentScore Score(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return SentimentScore.Neutral;
        Span<Range> ranges = stackalloc Range[256];
        var lower = text.ToLowerInvariant();
        var span = lower.AsSpan();
        var count = span.SplitAny(ranges, " \t\r\n,;:\"()[]", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        double sum = 0;
        var hits = 0;
        for (var i = 0; i < count; i++)
        {
            var token = span[ranges[i]].TrimEnd(".!?");
            if (token.IsEmpty || !lexicon.TryGetValence(token, out var v)) continue;
            hits++;
            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                var prev = span[ranges[i - back]].TrimEnd(".!?").ToString();
                if (Boosters.TryGetValue(prev, out var b)) v += v > 0 ? b : -b;
                if (Negations.Contains(prev)) { v *= -0.74; break; }
            }
            sum += v;
        }
        var exclamations = Math.Min(4, span.Count('!'));
        if (sum != 0) sum += Math.Sign(sum) * exclamations * 0.292;
        if (hits == 0) return SentimentScore.Neutral;
        var polarity = sum / Math.Sqrt(sum * sum + 15.0);
        var label = polarity >= 0.05 ? SentimentLabel.Positive : polarity <= -0.05 ? SentimentLabel.Negative : SentimentLabel.Neutral;
        var confidence = label == SentimentLabel.Neutral ? 1 - Math.Abs(polarity) / 0.05 * 0.5 : Math.Min(1, 0.5 + Math.Abs(polarity) / 2);
        return new SentimentScore(polarity, label, confidence);
    }
}
