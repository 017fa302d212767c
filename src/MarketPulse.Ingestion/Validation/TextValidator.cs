using System.Text.RegularExpressions;
using MarketPulse.Abstractions.Sentiment;

namespace MarketPulse.Ingestion.Validation;

/// <summary>Checks one text source's posts, resolves their tickers (given, or $CASHTAGs) and drops repeats of an id.</summary>
public sealed partial class TextValidator
{
    public const int MaxTextLength = 10_000;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly int _rememberIds;
    private readonly TimeProvider _clock;

    public TextValidator(int rememberIds = 200_000, TimeProvider? clock = null)
    {
        _rememberIds = rememberIds;
        _clock = clock ?? TimeProvider.System;
    }

    [GeneratedRegex(@"\$([A-Za-z][A-Za-z0-9]{0,9}(?:[.\-][A-Za-z0-9]{1,5})?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Cashtag();

    public string? Check(TextPost post, out TextPost normalized)
    {
        normalized = post;
        if (string.IsNullOrWhiteSpace(post.Source) || post.Source.Length > 64) return RejectReasons.Source;
        if (string.IsNullOrWhiteSpace(post.Id)) return RejectReasons.Id;
        if (string.IsNullOrWhiteSpace(post.Text) || post.Text.Length > MaxTextLength) return RejectReasons.Text;
        if (post.Time.Year < 1970 || post.Time > _clock.GetUtcNow().UtcDateTime.AddMinutes(5)) return RejectReasons.Time;

        var symbols = new List<string>();
        foreach (var s in post.Symbols ?? [])
        {
            var n = Symbols.Normalize(s);
            if (n is null) return RejectReasons.Symbol;
            if (!symbols.Contains(n)) symbols.Add(n);
        }
        if (symbols.Count == 0)
        {
            foreach (Match m in Cashtag().Matches(post.Text))
            {
                var n = Symbols.Normalize(m.Groups[1].Value);
                if (n is not null && !symbols.Contains(n)) symbols.Add(n);
            }
        }
        if (symbols.Count == 0) return RejectReasons.NoSymbol;

        var key = post.Source + "\u001f" + post.Id;
        if (!_seen.Add(key)) return RejectReasons.DuplicatePost;
        _seenOrder.Enqueue(key);
        if (_seenOrder.Count > _rememberIds) _seen.Remove(_seenOrder.Dequeue());

        var time = post.Time.Kind == DateTimeKind.Utc ? post.Time : DateTime.SpecifyKind(post.Time.ToUniversalTime(), DateTimeKind.Utc);
        normalized = post with { Symbols = symbols, Time = time, Text = post.Text.Trim() };
        return null;
    }
}
