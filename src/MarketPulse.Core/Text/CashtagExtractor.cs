using System.Text.RegularExpressions;

namespace MarketPulse.Core.Text;

/// <summary>
/// Finds the tickers a post is about: explicit cashtags ("$AAPL", "$aapl", "$BRK.B", "$RDS-B") and, when a
/// <see cref="StockTable"/> is given, company names ("Apple", "Exxon Mobil", "JPMorgan Chase").
/// Run it on <see cref="TextNormalizer"/> output so full-width or styled cashtags are already plain ASCII.
/// </summary>
public sealed partial class CashtagExtractor
{
    // Corporate suffixes people leave out when they name a company in a post.
    private static readonly string[] Suffixes =
    [
        "inc", "inc.", "incorporated", "corporation", "corp", "corp.", "company", "co", "co.", "ltd", "ltd.", "limited",
        "plc", "group", "holdings", "n.v.", "s.a.", "ag", "&",
    ];

    private readonly Regex? _names;
    private readonly Dictionary<string, string> _aliasToSymbol;
    private readonly Dictionary<string, string> _aliasToSymbolAnyCase;

    /// <param name="table">Company names to recognise; null for cashtags only.</param>
    /// <param name="extraAliases">Further name → symbol pairs, e.g. "Google" → "GOOG", which the table lists as "Alphabet Inc.".</param>
    public CashtagExtractor(StockTable? table = null, IReadOnlyDictionary<string, string>? extraAliases = null)
    {
        _aliasToSymbol = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var listing in table?.Listings ?? [])
            foreach (var alias in AliasesOf(listing.Company))
                _aliasToSymbol.TryAdd(alias, listing.Symbol);
        foreach (var (alias, symbol) in extraAliases ?? new Dictionary<string, string>())
            _aliasToSymbol[alias.Trim()] = symbol.Trim().TrimStart('$').ToUpperInvariant();
        _aliasToSymbolAnyCase = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (alias, symbol) in _aliasToSymbol) _aliasToSymbolAnyCase.TryAdd(alias, symbol);
        if (_aliasToSymbol.Count == 0) return;
        // Longest first so "Exxon Mobil" wins over a shorter alias that is its prefix.
        var alternation = string.Join('|', _aliasToSymbol.Keys.OrderByDescending(a => a.Length).Select(Regex.Escape));
        // Case-sensitive on purpose: "Apple" the company vs "apple" the fruit; posts that lower-case names lose recall, not precision.
        _names = new Regex($@"(?<![\w$])(?:{alternation})(?![\w])", RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    /// <summary>Distinct upper-case symbols in order of first mention.</summary>
    public IReadOnlyList<string> Extract(string text)
    {
        var found = new List<(int Index, string Symbol)>();
        foreach (Match m in CashtagPattern().Matches(text))
            found.Add((m.Index, m.Groups[1].Value.ToUpperInvariant()));
        if (_names is not null)
            foreach (Match m in _names.Matches(text))
                found.Add((m.Index, _aliasToSymbol[m.Value]));
        return found.OrderBy(f => f.Index).Select(f => f.Symbol).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The ticker of a company named in full in a structured field, in any case and with or without corporate suffixes
    /// ("APPLE INC", "Exxon Mobil Corp"), as filing feeds write filer names; null when the name is not a known company.
    /// </summary>
    public string? SymbolForCompany(string name)
    {
        // EDGAR appends the state of incorporation to some names: "WALMART INC. /DE/".
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !(w.Length > 2 && w[0] == '/' && w[^1] == '/'));
        foreach (var alias in AliasesOf(string.Join(' ', words)))
            if (_aliasToSymbolAnyCase.TryGetValue(alias, out var symbol)) return symbol;
        return null;
    }

    /// <summary>The full name, and the name without trailing corporate suffixes or a ".com" ("Amazon.com Inc." → "Amazon").</summary>
    internal static IEnumerable<string> AliasesOf(string company)
    {
        var words = company.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimEnd(',')).ToList();
        yield return string.Join(' ', words);
        while (words.Count > 1 && Suffixes.Contains(words[^1].ToLowerInvariant())) words.RemoveAt(words.Count - 1);
        var core = string.Join(' ', words);
        yield return core;
        if (core.EndsWith(".com", StringComparison.OrdinalIgnoreCase) && core.Length > 4) yield return core[..^4];
    }

    // A $ not glued to a word or another $, 1–5 letters, an optional class suffix (.B, -B), and no letter/digit after,
    // so "$100", "US$5" and "$$" are not tickers.
    [GeneratedRegex(@"(?<![\w$])\$([A-Za-z]{1,5}(?:[.\-][A-Za-z]{1,2})?)(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex CashtagPattern();
}
