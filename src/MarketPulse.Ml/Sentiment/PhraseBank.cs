using System.Security.Cryptography;
using System.Text;
using MarketPulse.Core.Sentiment;

namespace MarketPulse.Ml.Sentiment;

public sealed record LabelledSentence(string Text, SentimentLabel Label);

/// <summary>
/// How many PhraseBank annotators agreed on a sentence's majority label, from the highest-agreement file that contains it:
/// AllAgree = 100 %, 75Agree = 75–99 %, 66Agree = 66–74 %, only in 50Agree = 50–65 %.
/// </summary>
public enum AgreementBand { Agree50, Agree66, Agree75, AllAgree }

/// <summary>Financial PhraseBank files (<c>sentence@label</c> per line) and the deterministic validation split of the training part.</summary>
public static class PhraseBank
{
    public const string File50Agree = "Sentences_50Agree.txt";
    public const string FileAllAgree = "Sentences_AllAgree.txt";
    public const string File66Agree = "Sentences_66Agree.txt";
    public const string File75Agree = "Sentences_75Agree.txt";

    /// <summary>Share of each class held out of training for model selection (and for <c>eval sentiment --validation-split</c>).</summary>
    public const double ValidationShare = 0.15;

    /// <summary>Strict UTF-8 when the bytes are valid UTF-8, otherwise Latin-1 (the original release's encoding).</summary>
    public static string Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(span);
        }
    }

    /// <summary>Parses the lines; the label is after the last '@' (sentences may contain '@'). Returns malformed line numbers too.</summary>
    public static (List<LabelledSentence> Rows, List<int> MalformedLines) Parse(string text)
    {
        var rows = new List<LabelledSentence>();
        var malformed = new List<int>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            var at = line.LastIndexOf('@');
            SentimentLabel? label = at <= 0 ? null : line[(at + 1)..].Trim().ToLowerInvariant() switch
            {
                "positive" => SentimentLabel.Positive,
                "neutral" => SentimentLabel.Neutral,
                "negative" => SentimentLabel.Negative,
                _ => null,
            };
            if (label is null || line[..at].Trim().Length == 0) { malformed.Add(lineNo); continue; }
            rows.Add(new LabelledSentence(line[..at].Trim(), label.Value));
        }
        return (rows, malformed);
    }

    public static List<LabelledSentence> ReadFile(string path)
    {
        var (rows, malformed) = Parse(Decode(File.ReadAllBytes(path)));
        if (rows.Count == 0) throw new InvalidDataException($"{path}: no sentences");
        if (malformed.Count > 0.01 * (rows.Count + malformed.Count))
            throw new InvalidDataException($"{path}: {malformed.Count} lines are not 'sentence@label' (first at line {malformed[0]})");
        return rows;
    }

    /// <summary>
    /// The sentence reduced to lower-case ASCII letters and digits. The distributed files spell the same sentence with
    /// different mojibake for non-ASCII names (e.g. "Sepp+Ã±l+Ã±" in one file, "Sepp+ñl+ñ" in another), so identity across
    /// files is decided on this key.
    /// </summary>
    public static string MatchKey(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }

    /// <summary>
    /// The agreement band of every sentence of the 50Agree file of <paramref name="directory"/>, by <see cref="MatchKey"/>:
    /// the highest-agreement file (AllAgree, 75Agree, 66Agree) that contains the sentence, else <see cref="AgreementBand.Agree50"/>.
    /// The files are nested subsets with the same majority label, but spell names with different mojibake, hence the key.
    /// Throws <see cref="FileNotFoundException"/> naming the file when one of the four is missing.
    /// </summary>
    public static Dictionary<string, AgreementBand> AgreementBands(string directory)
    {
        var files = new (string File, AgreementBand Band)[]
        {
            (File50Agree, AgreementBand.Agree50), (File66Agree, AgreementBand.Agree66),
            (File75Agree, AgreementBand.Agree75), (FileAllAgree, AgreementBand.AllAgree),
        };
        foreach (var (file, _) in files)
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing (agreement bands need all four PhraseBank files)", path);
        }
        var bands = new Dictionary<string, AgreementBand>(StringComparer.Ordinal);
        foreach (var (file, band) in files) // ascending agreement: a later file raises the band
            foreach (var row in ReadFile(Path.Combine(directory, file)))
                bands[MatchKey(row.Text)] = band;
        return bands;
    }

    /// <summary>
    /// Whether a sentence belongs to the validation split: within each class, the <see cref="ValidationShare"/> of sentences
    /// with the smallest SHA-256 of their text. Depends only on the sentence and its class, so the split is the same on every
    /// machine, identical sentences (by <see cref="MatchKey"/>) always fall on the same side, and the AllAgree file's validation sentences are exactly
    /// the 50Agree validation sentences that are also in AllAgree.
    /// </summary>
    public sealed class ValidationSplit
    {
        private readonly Dictionary<SentimentLabel, ulong> _cutoff;

        public ValidationSplit(IEnumerable<LabelledSentence> reference)
        {
            _cutoff = reference.GroupBy(r => r.Label).ToDictionary(g => g.Key, g =>
            {
                var keys = g.Select(r => Key(r.Text)).Distinct().Order().ToArray();
                return keys[Math.Min(keys.Length - 1, (int)Math.Round(keys.Length * ValidationShare))];
            });
        }

        /// <summary>The split defined by the 50Agree file of <paramref name="directory"/>.</summary>
        public static ValidationSplit For(string directory) => new(ReadFile(Path.Combine(directory, File50Agree)));

        public bool IsValidation(LabelledSentence s) => _cutoff.TryGetValue(s.Label, out var cut) && Key(s.Text) < cut;

        public (List<LabelledSentence> Train, List<LabelledSentence> Validation) Split(IEnumerable<LabelledSentence> rows)
        {
            var train = new List<LabelledSentence>();
            var validation = new List<LabelledSentence>();
            foreach (var r in rows) (IsValidation(r) ? validation : train).Add(r);
            return (train, validation);
        }

        /// <summary>The split's order key of a sentence: the first 8 bytes of the SHA-256 of its <see cref="MatchKey"/>.</summary>
        public static ulong Key(string text) =>
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(MatchKey(text))));
    }
}
