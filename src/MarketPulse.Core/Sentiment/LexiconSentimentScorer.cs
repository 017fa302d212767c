using System.Buffers;
using System.Text;

namespace MarketPulse.Core.Sentiment;

/// <summary>VADER's four outputs: the normalised compound score in [-1, 1] and the proportions of positive, neutral and negative text.</summary>
public readonly record struct VaderPolarity(double Compound, double Positive, double Neutral, double Negative);

/// <summary>
/// VADER (Hutto &amp; Gilbert, ICWSM 2014) ported rule for rule from vaderSentiment.py 3.3.2 (MIT): lexicon valences
/// adjusted by boosters/dampeners, negation (incl. "never so/this", "without doubt"), "no", "least", "kind of",
/// special-case idioms, ALL-CAPS emphasis when the text mixes case, the contrastive "but", and !/? amplification,
/// normalised by x / sqrt(x² + 15).
/// <para>
/// Deliberate difference from the Python: its "but" pass locates each score with <c>list.index(value)</c>, so when two
/// words carry equal scores on both sides of "but" it can weight the wrong one. Here every score before the first
/// "but" is halved and every one after it multiplied by 1.5, which is the rule the paper states. Other quirks (e.g.
/// "so"/"this" right before a word boosting it by 1.25 even without "never") are kept, because they shape the
/// published outputs this port is tested against.
/// </para>
/// Hot path: one pass to lower-case into a stack/pooled buffer, one dictionary probe per token through a span lookup,
/// no allocation unless the text contains emoji that the emoji table expands.
/// </summary>
public sealed class LexiconSentimentScorer : ISentimentScorer
{
    private const int StackChars = 512;
    private const int StackTokens = 128;

    private readonly Dictionary<string, WordInfo> _words;
    private readonly Dictionary<int, string> _emoji;

    public LexiconSentimentScorer(VaderLexicon lexicon) : this(lexicon, null) { }

    /// <param name="loughranMcDonald">finance word lists merged into the word table (see <see cref="LoughranMcDonaldCombination"/>);
    /// null = VADER alone. The merge happens once here, so scoring costs the same either way.</param>
    public LexiconSentimentScorer(VaderLexicon lexicon, LoughranMcDonaldLexicon? loughranMcDonald, LoughranMcDonaldCombination? combination = null)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        _words = BuildWordTable(lexicon);
        _emoji = new Dictionary<int, string>(lexicon.Emoji);
        if (loughranMcDonald is not null)
        {
            Combination = combination ?? LoughranMcDonaldCombination.Default;
            ChangedByLoughranMcDonald = MergeLoughranMcDonald(_words, loughranMcDonald, Combination);
        }
    }

    public string Name => Combination is null ? "lexicon-vader-v2" : "lexicon-vader-lm-v1";

    /// <summary>How the Loughran–McDonald lists were merged, or null when they were not.</summary>
    public LoughranMcDonaldCombination? Combination { get; }

    /// <summary>Words whose valence the Loughran–McDonald lists added or changed.</summary>
    public int ChangedByLoughranMcDonald { get; }

    public const string LexiconFileName = "vader_lexicon.txt";
    public const string EmojiLexiconFileName = "emoji_utf8_lexicon.txt";

    /// <summary>The shipped model: <c>vader_lexicon.txt</c> from the models folder, plus the emoji table when it is there.</summary>
    public static LexiconSentimentScorer LoadShipped(string modelsDirectory) => LoadShipped(modelsDirectory, null);

    /// <param name="loughranMcDonald">operator-supplied finance lists to merge, or null for VADER alone.</param>
    public static LexiconSentimentScorer LoadShipped(string modelsDirectory, LoughranMcDonaldLexicon? loughranMcDonald, LoughranMcDonaldCombination? combination = null)
    {
        var lexicon = Path.Combine(modelsDirectory, LexiconFileName);
        if (!File.Exists(lexicon)) throw new FileNotFoundException($"sentiment lexicon not found at {lexicon}", lexicon);
        var emoji = Path.Combine(modelsDirectory, EmojiLexiconFileName);
        return new LexiconSentimentScorer(VaderLexicon.Load(lexicon, File.Exists(emoji) ? emoji : null), loughranMcDonald, combination);
    }

    public SentimentScore Score(string text) => Score(text.AsSpan());

    public SentimentScore Score(ReadOnlySpan<char> text)
    {
        if (text.IsWhiteSpace()) return SentimentScore.Neutral;
        var compound = Analyze(text).Compound;
        return new SentimentScore(compound, LabelOf(compound), ConfidenceOf(compound));
    }

    public static SentimentLabel LabelOf(double compound) =>
        compound >= VaderRules.LabelThreshold ? SentimentLabel.Positive
        : compound <= -VaderRules.LabelThreshold ? SentimentLabel.Negative
        : SentimentLabel.Neutral;

    /// <summary>
    /// How far the compound score sits from the ±0.05 decision boundary, mapped to [0.5, 1]: 0.5 on the boundary
    /// (a coin flip between two labels), 1 at |compound| = 1 for a polar label and at compound = 0 for neutral.
    /// VADER has no calibrated probability; this keeps confidence monotone in the evidence and continuous across labels.
    /// </summary>
    public static double ConfidenceOf(double compound)
    {
        var a = Math.Abs(compound);
        var t = VaderRules.LabelThreshold;
        return a < t ? 0.5 + 0.5 * (1 - a / t) : Math.Min(1, 0.5 + 0.5 * (a - t) / (1 - t));
    }

    public VaderPolarity Analyze(ReadOnlySpan<char> text)
    {
        char[]? expandedRented = null;
        var expandedLength = _emoji.Count == 0 ? -1 : ExpandEmoji(text, ref expandedRented);
        try
        {
            var source = expandedRented is null ? text : expandedRented.AsSpan(0, expandedLength);
            return AnalyzeExpanded(source);
        }
        finally
        {
            if (expandedRented is not null) ArrayPool<char>.Shared.Return(expandedRented);
        }
    }

    private VaderPolarity AnalyzeExpanded(ReadOnlySpan<char> text)
    {
        char[]? lowerRented = null;
        Token[]? tokensRented = null;
        try
        {
            Span<char> lower = text.Length <= StackChars ? stackalloc char[StackChars] : (lowerRented = ArrayPool<char>.Shared.Rent(text.Length));
            lower = lower[..text.Length];
            text.ToLowerInvariant(lower);

            // A token is at least one char plus one separator, so this bound always holds.
            var maxTokens = text.Length / 2 + 1;
            Span<Token> tokens = maxTokens <= StackTokens ? stackalloc Token[StackTokens] : (tokensRented = ArrayPool<Token>.Shared.Rent(maxTokens));
            var n = Tokenize(text, lower, tokens);
            tokens = tokens[..n];
            if (n == 0) return default;

            var upperCount = 0;
            foreach (ref readonly var t in tokens) if (t.IsUpper) upperCount++;
            // Emphasis by capitals only means something when the rest of the text is not shouting too.
            var capDifferential = upperCount > 0 && upperCount < n;

            var lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var i = 0; i < n; i++)
            {
                ref var t = ref tokens[i];
                var word = lower.Slice(t.Start, t.Length);
                if (lookup.TryGetValue(word, out var info)) t.Info = info;
                t.Negates = (t.Info.Flags & WordFlags.Negation) != 0 || word.Contains("n't", StringComparison.Ordinal);
            }

            var butIndex = -1;
            for (var i = 0; i < n; i++)
            {
                if (butIndex < 0 && tokens[i].Info.Marker == Marker.But) butIndex = i;
                tokens[i].Sentiment = TokenValence(tokens, lower, i, capDifferential);
            }

            double sum = 0;
            if (butIndex >= 0)
            {
                for (var i = 0; i < n; i++)
                    if (i < butIndex) tokens[i].Sentiment *= VaderRules.ButBefore;
                    else if (i > butIndex) tokens[i].Sentiment *= VaderRules.ButAfter;
            }
            foreach (ref readonly var t in tokens) sum += t.Sentiment;

            var emphasis = PunctuationEmphasis(text);
            if (sum > 0) sum += emphasis;
            else if (sum < 0) sum -= emphasis;
            var compound = Math.Clamp(sum / Math.Sqrt(sum * sum + VaderRules.NormalizationAlpha), -1, 1);

            // Each polar word counts one more than its valence so that neutral words, counted as 1, are comparable.
            double posSum = 0, negSum = 0;
            var neutralCount = 0;
            foreach (ref readonly var t in tokens)
            {
                if (t.Sentiment > 0) posSum += t.Sentiment + 1;
                else if (t.Sentiment < 0) negSum += t.Sentiment - 1;
                else neutralCount++;
            }
            if (posSum > Math.Abs(negSum)) posSum += emphasis;
            else if (posSum < Math.Abs(negSum)) negSum -= emphasis;
            var total = posSum + Math.Abs(negSum) + neutralCount;
            return new VaderPolarity(compound, Math.Abs(posSum / total), Math.Abs(neutralCount / total), Math.Abs(negSum / total));
        }
        finally
        {
            if (lowerRented is not null) ArrayPool<char>.Shared.Return(lowerRented);
            if (tokensRented is not null) ArrayPool<Token>.Shared.Return(tokensRented);
        }
    }

    private static double TokenValence(Span<Token> tokens, ReadOnlySpan<char> lower, int i, bool capDifferential)
    {
        ref readonly var t = ref tokens[i];
        var n = tokens.Length;
        // Boosters and "kind of" modify the next word; they carry no sentiment of their own even when in the lexicon.
        if ((t.Info.Flags & WordFlags.Booster) != 0) return 0;
        if (t.Info.Marker == Marker.Kind && i < n - 1 && tokens[i + 1].Info.Marker == Marker.Of) return 0;
        if ((t.Info.Flags & WordFlags.InLexicon) == 0) return 0;

        var lexical = t.Info.Valence;
        var valence = lexical;
        // "no" before a sentiment word negates it rather than adding its own negative valence.
        if (t.Info.Marker == Marker.No && i != n - 1 && tokens[i + 1].InLexicon) valence = 0;
        if ((i > 0 && tokens[i - 1].Info.Marker == Marker.No)
            || (i > 1 && tokens[i - 2].Info.Marker == Marker.No)
            || (i > 2 && tokens[i - 3].Info.Marker == Marker.No && tokens[i - 1].Info.Marker is Marker.Or or Marker.Nor))
            valence = lexical * VaderRules.NegationScalar;

        if (t.IsUpper && capDifferential) valence += valence > 0 ? VaderRules.AllCapsIncrement : -VaderRules.AllCapsIncrement;

        for (var startI = 0; startI < 3; startI++)
        {
            var j = i - (startI + 1);
            if (j < 0 || tokens[j].InLexicon) continue;
            var s = ScalarIncDec(tokens[j], valence, capDifferential);
            // Modifiers further away count less: 95 % two words back, 90 % three words back.
            if (startI == 1) s *= 0.95;
            else if (startI == 2) s *= 0.9;
            valence += s;
            valence = NegationCheck(tokens, valence, startI, i);
            if (startI == 2) valence = SpecialIdiomsCheck(tokens, lower, valence, i);
        }

        // "least" negates ("the least compelling") except in "at least" / "very least".
        if (i > 0 && tokens[i - 1].Info.Marker == Marker.Least && !tokens[i - 1].InLexicon
            && (i == 1 || tokens[i - 2].Info.Marker is not (Marker.At or Marker.Very)))
            valence *= VaderRules.NegationScalar;
        return valence;
    }

    private static double ScalarIncDec(in Token modifier, double valence, bool capDifferential)
    {
        if ((modifier.Info.Flags & WordFlags.Booster) == 0) return 0;
        var scalar = valence < 0 ? -modifier.Info.Booster : modifier.Info.Booster;
        if (modifier.IsUpper && capDifferential) scalar += valence > 0 ? VaderRules.AllCapsIncrement : -VaderRules.AllCapsIncrement;
        return scalar;
    }

    private static double NegationCheck(Span<Token> tokens, double valence, int startI, int i)
    {
        var m1 = tokens[i - 1].Info.Marker;
        switch (startI)
        {
            case 0:
                return tokens[i - 1].Negates ? valence * VaderRules.NegationScalar : valence;
            case 1:
                {
                    var m2 = tokens[i - 2].Info.Marker;
                    if (m2 == Marker.Never && m1 is Marker.So or Marker.This) return valence * VaderRules.NeverSoThis;
                    if (m2 == Marker.Without && m1 == Marker.Doubt) return valence;
                    return tokens[i - 2].Negates ? valence * VaderRules.NegationScalar : valence;
                }
            default:
                {
                    var m2 = tokens[i - 2].Info.Marker;
                    var m3 = tokens[i - 3].Info.Marker;
                    // Operator precedence in the Python makes a bare "so"/"this" right before the word amplify it too.
                    if ((m3 == Marker.Never && m2 is Marker.So or Marker.This) || m1 is Marker.So or Marker.This)
                        return valence * VaderRules.NeverSoThis;
                    if (m3 == Marker.Without && (m2 == Marker.Doubt || m1 == Marker.Doubt)) return valence;
                    return tokens[i - 3].Negates ? valence * VaderRules.NegationScalar : valence;
                }
        }
    }

    private static double SpecialIdiomsCheck(Span<Token> tokens, ReadOnlySpan<char> lower, double valence, int i)
    {
        // The Python tries these word windows in this order and keeps the first that is a special case.
        ReadOnlySpan<(int Start, int Length)> windows = [(i - 1, 2), (i - 2, 3), (i - 2, 2), (i - 3, 3), (i - 3, 2)];
        foreach (var (start, length) in windows)
        {
            if (TryMatchSpecial(tokens, lower, start, length, out var v)) { valence = v; break; }
        }
        if (i + 1 < tokens.Length && TryMatchSpecial(tokens, lower, i, 2, out var v2)) valence = v2;
        if (i + 2 < tokens.Length && TryMatchSpecial(tokens, lower, i, 3, out var v3)) valence = v3;

        // Two-word dampeners such as "kind of" ending just before the word (no sign flip, as in the Python).
        ReadOnlySpan<(int Start, int Length)> grams = [(i - 3, 3), (i - 3, 2), (i - 2, 2)];
        foreach (var (start, length) in grams)
            foreach (var (words, scalar) in VaderRules.BoosterBigrams)
                if (words.Length == length && Matches(tokens, lower, start, words)) valence += scalar;
        return valence;
    }

    private static bool TryMatchSpecial(Span<Token> tokens, ReadOnlySpan<char> lower, int start, int length, out double valence)
    {
        foreach (var (words, v) in VaderRules.SpecialCases)
        {
            if (words.Length == length && Matches(tokens, lower, start, words)) { valence = v; return true; }
        }
        valence = 0;
        return false;
    }

    private static bool Matches(Span<Token> tokens, ReadOnlySpan<char> lower, int start, string[] words)
    {
        for (var k = 0; k < words.Length; k++)
        {
            ref readonly var t = ref tokens[start + k];
            if (!lower.Slice(t.Start, t.Length).SequenceEqual(words[k])) return false;
        }
        return true;
    }

    private static double PunctuationEmphasis(ReadOnlySpan<char> text)
    {
        var exclamations = Math.Min(text.Count('!'), VaderRules.MaxExclamations);
        var questions = text.Count('?');
        var qm = questions <= 1 ? 0 : questions <= 3 ? questions * VaderRules.QuestionIncrement : VaderRules.QuestionCap;
        return exclamations * VaderRules.ExclamationIncrement + qm;
    }

    /// <summary>
    /// Whitespace tokens with leading/trailing ASCII punctuation removed, unless that leaves two chars or fewer
    /// (then the token is probably an emoticon such as ":)" and is kept whole), as in VADER's SentiText.
    /// </summary>
    private static int Tokenize(ReadOnlySpan<char> text, ReadOnlySpan<char> lower, Span<Token> tokens)
    {
        var n = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i == text.Length) break;
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            var end = i;
            int s = start, e = end;
            while (s < e && IsAsciiPunctuation(text[s])) s++;
            while (e > s && IsAsciiPunctuation(text[e - 1])) e--;
            if (e - s <= 2) { s = start; e = end; }
            tokens[n++] = new Token { Start = s, Length = e - s, IsUpper = IsUpper(text[s..e]) };
        }
        return n;
    }

    // Python's string.punctuation: every printable ASCII char that is neither a letter, a digit nor a space.
    private static bool IsAsciiPunctuation(char c) => c is > ' ' and < '\x7f' && !char.IsAsciiLetterOrDigit(c);

    /// <summary>Python's str.isupper: at least one cased character and no lower-case one.</summary>
    private static bool IsUpper(ReadOnlySpan<char> token)
    {
        var cased = false;
        foreach (var c in token)
        {
            if (char.IsLower(c)) return false;
            if (char.IsUpper(c)) cased = true;
        }
        return cased;
    }

    /// <summary>Replaces each emoji that has a description by that description, space-separated, as VADER does; returns -1 when none does.</summary>
    private int ExpandEmoji(ReadOnlySpan<char> text, ref char[]? rented)
    {
        // Every emoji in the table is outside ASCII; most texts are not, and skip the rune walk entirely.
        if (!text.ContainsAnyExceptInRange('\0', '\x7f')) return -1;
        var any = false;
        foreach (var r in text.EnumerateRunes())
            if (_emoji.ContainsKey(r.Value)) { any = true; break; }
        if (!any) return -1;

        var builder = new StringBuilder(text.Length * 2);
        var prevSpace = true;
        foreach (var r in text.EnumerateRunes())
        {
            if (_emoji.TryGetValue(r.Value, out var description))
            {
                if (!prevSpace) builder.Append(' ');
                builder.Append(description);
                prevSpace = false;
            }
            else
            {
                builder.Append(r.ToString());
                prevSpace = r.Value == ' ';
            }
        }
        rented = ArrayPool<char>.Shared.Rent(builder.Length);
        builder.CopyTo(0, rented, builder.Length);
        return builder.Length;
    }

    private static Dictionary<string, WordInfo> BuildWordTable(VaderLexicon lexicon)
    {
        var words = new Dictionary<string, WordInfo>(lexicon.Count + 128, StringComparer.Ordinal);
        ref WordInfo Entry(string w) => ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(words, w, out _);

        foreach (var (w, v) in lexicon.Entries)
        {
            ref var e = ref Entry(w);
            e.Valence = v;
            e.Flags |= WordFlags.InLexicon;
        }
        foreach (var (w, b) in VaderRules.Boosters)
        {
            ref var e = ref Entry(w);
            e.Booster = b;
            e.Flags |= WordFlags.Booster;
        }
        foreach (var w in VaderRules.Negations) Entry(w).Flags |= WordFlags.Negation;
        foreach (var (w, m) in Markers) Entry(w).Marker = m;
        return words;
    }

    private static int MergeLoughranMcDonald(Dictionary<string, WordInfo> words, LoughranMcDonaldLexicon lm, LoughranMcDonaldCombination how)
    {
        var changed = 0;
        void Apply(IEnumerable<string> list, double valence)
        {
            foreach (var w in list)
            {
                ref var e = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(words, w, out var existed);
                // Boosters, negations and rule words keep their role: LM lists none of them as sentiment, but be safe.
                if ((e.Flags & (WordFlags.Booster | WordFlags.Negation)) != 0) continue;
                var inVader = existed && (e.Flags & WordFlags.InLexicon) != 0;
                var take = how.Mode switch
                {
                    LoughranMcDonaldMode.Fill => !inVader,
                    LoughranMcDonaldMode.FixSign => !inVader || Math.Sign(e.Valence) != Math.Sign(valence),
                    LoughranMcDonaldMode.Override or LoughranMcDonaldMode.Finance => true,
                    _ => false,
                };
                if (!take || (inVader && e.Valence == valence)) continue;
                e.Valence = valence;
                e.Flags |= WordFlags.InLexicon;
                changed++;
            }
        }
        // A word on both lists (none in the 2014 or 1993-2021 lists) would end up negative: finance reads ambiguity as risk.
        Apply(lm.Positive, how.PositiveValence);
        Apply(lm.Negative, how.NegativeValence);
        if (how.Mode == LoughranMcDonaldMode.Finance && lm.Dictionary is { } dictionary)
        {
            foreach (var w in dictionary)
            {
                if (lm.Positive.Contains(w) || lm.Negative.Contains(w)) continue;
                ref var e = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(words, w);
                if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref e) || (e.Flags & WordFlags.InLexicon) == 0) continue;
                // Keep the entry (its rule flags) but take away its sentiment.
                e.Flags &= ~WordFlags.InLexicon;
                e.Valence = 0;
                changed++;
            }
        }
        return changed;
    }

    private static readonly (string Word, Marker Marker)[] Markers =
    [
        ("no", Marker.No), ("kind", Marker.Kind), ("of", Marker.Of), ("but", Marker.But), ("least", Marker.Least),
        ("at", Marker.At), ("very", Marker.Very), ("never", Marker.Never), ("so", Marker.So), ("this", Marker.This),
        ("without", Marker.Without), ("doubt", Marker.Doubt), ("or", Marker.Or), ("nor", Marker.Nor),
    ];

    /// <summary>Words that individual rules test for by identity.</summary>
    private enum Marker : byte { None, No, Kind, Of, But, Least, At, Very, Never, So, This, Without, Doubt, Or, Nor }

    [Flags]
    private enum WordFlags : byte { None = 0, InLexicon = 1, Booster = 2, Negation = 4 }

    private struct WordInfo
    {
        public double Valence;
        public double Booster;
        public WordFlags Flags;
        public Marker Marker;
    }

    private struct Token
    {
        public int Start;
        public int Length;
        public bool IsUpper;
        public bool Negates;
        public WordInfo Info;
        public double Sentiment;

        public readonly bool InLexicon => (Info.Flags & WordFlags.InLexicon) != 0;
    }
}
