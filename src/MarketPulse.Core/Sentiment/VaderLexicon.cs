using System.Globalization;
using System.Text;

namespace MarketPulse.Core.Sentiment;

/// <summary>
/// The VADER word → valence (-4..+4) table, read from its published TAB-separated format, and optionally VADER's
/// emoji → description table (emoji_utf8_lexicon.txt), whose descriptions are then scored as words.
/// </summary>
public sealed class VaderLexicon
{
    private readonly Dictionary<string, double> _valence;
    private readonly Dictionary<int, string> _emoji;

    private VaderLexicon(Dictionary<string, double> valence, Dictionary<int, string> emoji)
    {
        _valence = valence;
        _emoji = emoji;
    }

    public int Count => _valence.Count;

    /// <summary>Number of emoji that are expanded to their descriptions before scoring (0 when no emoji table was loaded).</summary>
    public int EmojiCount => _emoji.Count;

    internal IReadOnlyDictionary<string, double> Entries => _valence;

    internal IReadOnlyDictionary<int, string> Emoji => _emoji;

    public bool TryGetValence(ReadOnlySpan<char> token, out double valence) =>
        _valence.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out valence);

    public static VaderLexicon Load(TextReader reader) => Load(reader, null);

    /// <param name="emojiReader">VADER's emoji_utf8_lexicon.txt (emoji TAB description), or null to score emoji as plain characters.</param>
    public static VaderLexicon Load(TextReader reader, TextReader? emojiReader)
    {
        var map = new Dictionary<string, double>(8192, StringComparer.Ordinal);
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var parts = line.Split('\t');
            if (parts.Length < 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                throw new FormatException($"VADER lexicon line {lineNo}: expected 'token<TAB>valence…'");
            map[parts[0]] = v;
        }
        return new VaderLexicon(map, emojiReader is null ? [] : LoadEmoji(emojiReader));
    }

    public static VaderLexicon Load(string path) => Load(path, null);

    public static VaderLexicon Load(string path, string? emojiPath)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        if (emojiPath is null) return Load(reader, null);
        using var emojiReader = new StreamReader(emojiPath, Encoding.UTF8);
        return Load(reader, emojiReader);
    }

    private static Dictionary<int, string> LoadEmoji(TextReader reader)
    {
        var map = new Dictionary<int, string>(2048);
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var tab = line.IndexOf('\t');
            if (tab <= 0 || tab == line.Length - 1)
                throw new FormatException($"VADER emoji lexicon line {lineNo}: expected 'emoji<TAB>description'");
            // vaderSentiment.py replaces text one code point at a time, so multi-code-point sequences
            // (flags, skin tones, ZWJ sequences) never match there; keeping only single runes reproduces that.
            var key = line.AsSpan(0, tab);
            if (Rune.DecodeFromUtf16(key, out var rune, out var used) != System.Buffers.OperationStatus.Done || used != key.Length) continue;
            map[rune.Value] = line[(tab + 1)..].Trim();
        }
        return map;
    }
}
