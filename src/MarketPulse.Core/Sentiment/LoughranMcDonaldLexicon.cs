using System.Globalization;
using System.Text;

namespace MarketPulse.Core.Sentiment;

/// <summary>
/// The Loughran–McDonald finance sentiment word lists (Loughran &amp; McDonald, J. Finance 2011), read from a file the
/// operator supplies: their licence forbids commercial use without permission, so nothing of them ships in <c>models/</c>.
/// Two layouts are read:
/// <list type="bullet">
/// <item>the Master Dictionary CSV: a header naming at least <c>Word</c>, <c>Negative</c> and <c>Positive</c> (the official
/// 17-column file and its 3-column reductions both do); a word is in a list when that column holds a positive number (the
/// year it was added; the official file marks removed words with a negative year);</item>
/// <item>the WordStat <c>.cat</c> format: a category name at the start of a line (<c>NEGATIVE</c>, <c>POSITIVE</c>, …)
/// followed by indented entries <c>WORD (1)</c>; categories other than NEGATIVE and POSITIVE are skipped.</item>
/// </list>
/// Words are kept lower-cased (the scorer lower-cases its input). A file that fits neither layout is refused with the
/// line that broke it.
/// </summary>
public sealed class LoughranMcDonaldLexicon
{
    private LoughranMcDonaldLexicon(HashSet<string> negative, HashSet<string> positive, HashSet<string>? dictionary = null)
    {
        Negative = negative;
        Positive = positive;
        Dictionary = dictionary;
    }

    /// <summary>Every word of the Master Dictionary (the CSV layout only; null for a .cat file, which has just the lists).</summary>
    public IReadOnlySet<string>? Dictionary { get; }

    public IReadOnlySet<string> Negative { get; }
    public IReadOnlySet<string> Positive { get; }

    public static LoughranMcDonaldLexicon Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Loughran-McDonald word list not found at '{path}'", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        try
        {
            return Load(reader);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads either layout, told apart by the first non-empty line (a CSV header names a <c>Word</c> column).</summary>
    public static LoughranMcDonaldLexicon Load(TextReader reader)
    {
        string? first;
        var lineNo = 0;
        do
        {
            first = reader.ReadLine();
            lineNo++;
        } while (first is not null && first.Trim().Length == 0);
        if (first is null) throw new FormatException("Loughran-McDonald word list is empty");
        var header = first.TrimStart('\uFEFF');
        var lexicon = header.Contains(',') ? LoadCsv(header, reader, lineNo) : LoadCat(header, reader, lineNo);
        if (lexicon.Negative.Count == 0 || lexicon.Positive.Count == 0)
            throw new FormatException($"Loughran-McDonald word list has {lexicon.Negative.Count} negative and {lexicon.Positive.Count} positive words; both lists are needed");
        return lexicon;
    }

    private static LoughranMcDonaldLexicon LoadCsv(string header, TextReader reader, int lineNo)
    {
        var columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        int Column(string name)
        {
            var i = Array.FindIndex(columns, c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            return i >= 0 ? i : throw new FormatException($"line {lineNo}: CSV header lacks a '{name}' column (expected Word,Negative,Positive)");
        }
        int word = Column("Word"), neg = Column("Negative"), pos = Column("Positive");
        var need = Math.Max(word, Math.Max(neg, pos)) + 1;
        HashSet<string> negative = new(StringComparer.Ordinal), positive = new(StringComparer.Ordinal), all = new(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            // The dictionary's words are plain letters; no field is quoted or holds a comma.
            var fields = line.Split(',');
            if (fields.Length < need) throw new FormatException($"line {lineNo}: expected {columns.Length} comma-separated fields, found {fields.Length}");
            var w = fields[word].Trim().Trim('"');
            if (w.Length == 0) throw new FormatException($"line {lineNo}: empty word");
            var lower = w.ToLowerInvariant();
            all.Add(lower);
            if (InList(fields[neg], lineNo, "Negative")) negative.Add(lower);
            if (InList(fields[pos], lineNo, "Positive")) positive.Add(lower);
        }
        return new LoughranMcDonaldLexicon(negative, positive, all);
    }

    private static bool InList(string field, int lineNo, string column) =>
        double.TryParse(field.Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v > 0
            : throw new FormatException($"line {lineNo}: {column} is '{field}', expected a number (0, or the year the word was added)");

    private static LoughranMcDonaldLexicon LoadCat(string first, TextReader reader, int lineNo)
    {
        HashSet<string> negative = new(StringComparer.Ordinal), positive = new(StringComparer.Ordinal);
        HashSet<string>? current = null;
        var sawCategory = false;
        for (var line = first; line is not null; line = reader.ReadLine(), lineNo++)
        {
            if (line.Trim().Length == 0) continue;
            if (!char.IsWhiteSpace(line[0]))
            {
                var category = line.Trim();
                sawCategory = true;
                current = category.Equals("NEGATIVE", StringComparison.OrdinalIgnoreCase) ? negative
                    : category.Equals("POSITIVE", StringComparison.OrdinalIgnoreCase) ? positive
                    : null;
                continue;
            }
            if (!sawCategory) throw new FormatException($"line {lineNo}: an entry before any category (expected 'NEGATIVE' or a CSV header 'Word,Negative,Positive')");
            var entry = line.Trim();
            // "ABANDON (1)": the weight in parentheses is WordStat's, always 1 here.
            var paren = entry.IndexOf(" (", StringComparison.Ordinal);
            if (paren >= 0)
            {
                if (!entry.EndsWith(')')) throw new FormatException($"line {lineNo}: expected 'WORD (1)', found '{entry}'");
                entry = entry[..paren].TrimEnd();
            }
            if (entry.Length == 0 || entry.Contains(' ')) throw new FormatException($"line {lineNo}: expected one word per entry, found '{line.Trim()}'");
            current?.Add(entry.ToLowerInvariant());
        }
        return new LoughranMcDonaldLexicon(negative, positive);
    }
}

/// <summary>Which Loughran–McDonald words get a finance valence in the VADER word table.</summary>
public enum LoughranMcDonaldMode
{
    /// <summary>Only words VADER has no valence for.</summary>
    Fill,
    /// <summary>Words VADER lacks, and words VADER scores with the other sign (or zero).</summary>
    FixSign,
    /// <summary>Every listed word takes the finance valence, replacing VADER's.</summary>
    Override,
    /// <summary><see cref="Override"/>, and VADER words that the Master Dictionary lists with no sentiment ("liability",
    /// "tax", "cost", "vice") become neutral. Needs the CSV layout (a .cat file has no dictionary; then as Override).</summary>
    Finance,
}

/// <summary>
/// The constants of the VADER + Loughran–McDonald combination. LM words become ordinary lexicon entries with a fixed
/// valence on VADER's −4…+4 scale, so VADER's negation, booster, "but" and capitals rules apply to them unchanged.
/// <see cref="Default"/> was chosen on the PhraseBank training part (not its validation split); see docs/models/sentiment.md.
/// </summary>
public sealed record LoughranMcDonaldCombination(LoughranMcDonaldMode Mode, double NegativeValence, double PositiveValence)
{
    public static LoughranMcDonaldCombination Default { get; } = new(LoughranMcDonaldMode.Finance, -1.5, 1.5);
}
