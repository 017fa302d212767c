namespace MarketPulse.Core.Sentiment;

/// <summary>The VADER word → valence (-4..+4) table, read from its published TAB-separated format.</summary>
public sealed class VaderLexicon
{
    private readonly Dictionary<string, double> _valence;

    private VaderLexicon(Dictionary<string, double> valence) => _valence = valence;

    public int Count => _valence.Count;

    public bool TryGetValence(ReadOnlySpan<char> token, out double valence) =>
        _valence.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out valence);

    public static VaderLexicon Load(TextReader reader)
    {
        var map = new Dictionary<string, double>(8192, StringComparer.Ordinal);
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var parts = line.Split('\t');
            if (parts.Length < 2 || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v))
                throw new FormatException($"VADER lexicon line {lineNo}: expected 'token<TAB>valence…'");
            map[parts[0]] = v;
        }
        return new VaderLexicon(map);
    }

    public static VaderLexicon Load(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader);
    }
}
