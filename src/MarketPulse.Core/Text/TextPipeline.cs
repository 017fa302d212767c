using System.Text;

namespace MarketPulse.Core.Text;

/// <summary>Why the text pipeline dropped a post: stable strings ("label: description"), used in API answers and as metric labels.</summary>
public static class TextDropReasons
{
    public const string Empty = "text: nothing left after normalisation";
    public const string Retweet = "retweet: a retweet repeats an earlier post";
    public const string NearDuplicate = "near_duplicate: same words as a recent post";
    public const string Language = "language: not English";
    public const string TooManyCashtags = "spam: too many cashtags";
    public const string RepeatedByAuthor = "spam: the same text repeated by one author";
}

/// <param name="MaxLength">Texts are cut to this many characters (after normalisation).</param>
/// <param name="MaxCashtags">More distinct cashtags than this is ticker-stuffing spam.</param>
/// <param name="RememberTexts">How many recent texts the duplicate check remembers (per source grain).</param>
public sealed record TextPipelineOptions(int MaxLength = 1000, int MaxCashtags = 5, int RememberTexts = 50_000);

/// <param name="DropReason">null when the post goes on.</param>
public sealed record TextVerdict(string? DropReason, string Text, IReadOnlyList<string> Symbols, bool Truncated);

/// <summary>
/// The text pipeline of a text source, after field validation: normalisation (<see cref="TextNormalizer"/>), tickers from
/// cashtags and company names (<see cref="CashtagExtractor"/>), then drops — retweets, near-duplicates (same words once
/// URLs, mentions, cashtags, numbers and case are ignored), non-English text, cashtag stuffing, and one author repeating a
/// text. Stateful (it remembers recent texts); one instance per source, not thread-safe.
/// </summary>
public sealed class TextPipeline
{
    private readonly TextNormalizer _normalizer;
    private readonly CashtagExtractor _extractor;
    private readonly TextPipelineOptions _options;
    private readonly Dictionary<string, string?> _recent = new(StringComparer.Ordinal); // words → first author
    private readonly Queue<string> _recentOrder = new();

    public TextPipeline(CashtagExtractor? extractor = null, TextPipelineOptions? options = null)
    {
        _options = options ?? new TextPipelineOptions();
        _normalizer = new TextNormalizer(new TextNormalizerOptions(MaxLength: _options.MaxLength));
        _extractor = extractor ?? new CashtagExtractor();
    }

    /// <summary>Tickers named in the text (cashtags, company names), for posts that came without symbols.</summary>
    public IReadOnlyList<string> FindSymbols(string text) => _extractor.Extract(_normalizer.Normalize(text));

    /// <param name="givenSymbols">Symbols the sender stated; when empty, they come from the text.</param>
    public TextVerdict Process(string text, string? author, IReadOnlyList<string>? givenSymbols = null)
    {
        var normalized = _normalizer.Normalize(text);
        var truncated = normalized.Length >= _options.MaxLength && text.Length > _options.MaxLength;
        var found = _extractor.Extract(normalized);
        IReadOnlyList<string> symbols = givenSymbols is { Count: > 0 } ? givenSymbols : found;

        var words = Words(normalized);
        if (words.Length == 0) return new(TextDropReasons.Empty, normalized, symbols, truncated);
        if (IsRetweet(normalized)) return new(TextDropReasons.Retweet, normalized, symbols, truncated);
        if (CountCashtags(normalized) > _options.MaxCashtags) return new(TextDropReasons.TooManyCashtags, normalized, symbols, truncated);
        if (!LooksEnglish(normalized, words)) return new(TextDropReasons.Language, normalized, symbols, truncated);

        var key = string.Join(' ', words);
        if (_recent.TryGetValue(key, out var firstAuthor))
        {
            var sameAuthor = author is not null && string.Equals(firstAuthor, author, StringComparison.Ordinal);
            return new(sameAuthor ? TextDropReasons.RepeatedByAuthor : TextDropReasons.NearDuplicate, normalized, symbols, truncated);
        }
        _recent[key] = author;
        _recentOrder.Enqueue(key);
        if (_recentOrder.Count > _options.RememberTexts) _recent.Remove(_recentOrder.Dequeue());
        return new(null, normalized, symbols, truncated);
    }

    /// <summary>"RT @user: …" (normalised to "RT AT_USER …"); StockNet's preprocessed tweets write "rt AT_USER".</summary>
    public static bool IsRetweet(string normalized) =>
        normalized.StartsWith("RT AT_USER", StringComparison.OrdinalIgnoreCase) || normalized.StartsWith("RT @", StringComparison.OrdinalIgnoreCase);

    private static int CountCashtags(string text)
    {
        var tags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] != '$' || !char.IsAsciiLetter(text[i + 1]) || (i > 0 && char.IsLetterOrDigit(text[i - 1]))) continue;
            var end = i + 1;
            while (end < text.Length && char.IsAsciiLetter(text[end])) end++;
            tags.Add(text[(i + 1)..end]);
        }
        return tags.Count;
    }

    /// <summary>Lower-case letter words, without placeholders, cashtags and numbers: what makes two posts "the same".</summary>
    private static string[] Words(string text)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var skip = false;
        void Flush()
        {
            if (sb.Length > 0 && !skip && sb.ToString() is var w && w is not ("url" or "at_user" or "rt")) words.Add(w);
            sb.Clear();
            skip = false;
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsLetter(c) || c == '_') { if (sb.Length == 0 && i > 0 && text[i - 1] == '$') skip = true; sb.Append(char.ToLowerInvariant(c)); }
            else Flush();
        }
        Flush();
        return [.. words];
    }

    // The most frequent English function words; short posts often have none, so absence alone never drops a post.
    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "for", "with", "at", "by", "from", "is", "are", "was",
        "were", "be", "been", "it", "its", "this", "that", "as", "not", "no", "will", "has", "have", "had", "i", "you", "we",
        "they", "he", "she", "my", "our", "your", "their", "up", "down", "out", "so", "if", "just", "today", "buy", "sell",
        "stock", "stocks", "shares", "market", "earnings", "price", "new", "than", "after", "before", "all", "more",
    };

    // Frequent function words of the other languages seen in finance feeds (es, pt, fr, de, it, nl, id).
    private static readonly HashSet<string> Foreign = new(StringComparer.Ordinal)
    {
        "el", "la", "los", "las", "del", "que", "por", "para", "con", "una", "es", "em", "os", "da", "não", "nao", "le", "les",
        "des", "du", "et", "est", "une", "pour", "dans", "der", "die", "das", "und", "ist", "nicht", "mit", "für", "fur", "ein",
        "eine", "il", "di", "che", "della", "het", "een", "van", "yang", "dan", "ini", "untuk", "dengan",
    };

    /// <summary>
    /// Not English when most letters are outside the Latin script, or when a text of six or more words has more
    /// foreign than English function words. A heuristic on purpose: no maintained .NET language identifier ships
    /// offline, and the sentiment models are English-only, so the cost of a miss is one badly scored post.
    /// </summary>
    public static bool LooksEnglish(string text, IReadOnlyList<string> words)
    {
        int letters = 0, latin = 0;
        foreach (var c in text)
        {
            if (!char.IsLetter(c)) continue;
            letters++;
            if (c < '\u0250') latin++;
        }
        if (letters > 0 && latin < 0.5 * letters) return false;
        if (words.Count < 6) return true;
        int en = 0, foreign = 0;
        foreach (var w in words)
        {
            if (English.Contains(w)) en++;
            else if (Foreign.Contains(w)) foreign++;
        }
        return foreign <= en;
    }
}
