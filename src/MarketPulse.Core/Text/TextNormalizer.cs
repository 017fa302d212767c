using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketPulse.Core.Text;

/// <param name="MaxLength">Cap in UTF-16 chars, so one pathological post cannot stall a sentiment grain.</param>
/// <param name="UrlPlaceholder">What a URL becomes; StockNet's preprocessed tweets use "URL", so live and replayed text look alike.</param>
/// <param name="MentionPlaceholder">What an @mention becomes (StockNet: "AT_USER"); null keeps mentions as written.</param>
public sealed record TextNormalizerOptions(int MaxLength = 1000, string UrlPlaceholder = "URL", string? MentionPlaceholder = "AT_USER");

/// <summary>
/// Brings social-media and news text to one canonical form before scoring: HTML entities decoded, Unicode NFKC
/// (full-width "＄ＡＡＰＬ" → "$AAPL", ligatures, styled letters), URLs and @mentions replaced by placeholders,
/// invisible characters dropped, whitespace collapsed, length capped.
/// </summary>
public sealed partial class TextNormalizer(TextNormalizerOptions? options = null)
{
    private readonly TextNormalizerOptions _options = Validate(options ?? new TextNormalizerOptions());

    // With InvariantGlobalization (how the service is built) the runtime has no Unicode data and Normalize(FormKC)
    // returns the text unchanged; the fallback then covers the compatibility characters that occur in posts.
    private static readonly bool RuntimeHasNfkc = "\uFB01".Normalize(NormalizationForm.FormKC) == "fi";

    public TextNormalizerOptions Options => _options;

    public string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var s = WebUtility.HtmlDecode(text);
        s = RuntimeHasNfkc ? s.Normalize(NormalizationForm.FormKC) : CompatibilityFold(s);
        s = UrlPattern().Replace(s, _options.UrlPlaceholder);
        if (_options.MentionPlaceholder is { } mention) s = MentionPattern().Replace(s, mention);
        return CollapseAndCap(s, _options.MaxLength);
    }

    private static TextNormalizerOptions Validate(TextNormalizerOptions o) =>
        o.MaxLength > 0 ? o : throw new ArgumentOutOfRangeException(nameof(o), o.MaxLength, "MaxLength must be positive");

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    // Not after a word char, so e-mail addresses stay; Twitter handles are at most 15 chars, other sites allow more.
    [GeneratedRegex(@"(?<![\w@])@\w{1,30}", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    private static string CollapseAndCap(string s, int maxLength)
    {
        var sb = new StringBuilder(Math.Min(s.Length, maxLength));
        var pendingSpace = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = sb.Length > 0; continue; }
            // Zero-width space/word joiner/BOM and control chars split or glue words invisibly; ZWJ (U+200D) is kept for emoji.
            if (c is '\u200B' or '\u2060' or '\uFEFF' || char.IsControl(c)) continue;
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(c);
            if (sb.Length >= maxLength) break;
        }
        if (sb.Length > maxLength) sb.Length = maxLength;
        // Never end on half a surrogate pair.
        if (sb.Length > 0 && char.IsHighSurrogate(sb[^1])) sb.Length--;
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// The part of NFKC that matters for posts, for runtimes without Unicode normalisation data: full-width ASCII,
    /// compatibility spaces, Latin ligatures, mathematical alphanumerics ("𝐀𝐀𝐏𝐋"), circled and super/subscript digits,
    /// the ellipsis and ™. Canonical composition (e + ◌́ → é) is not done.
    /// </summary>
    internal static string CompatibilityFold(string s)
    {
        if (!s.AsSpan().ContainsAnyExceptInRange('\0', '\x7f')) return s;
        var sb = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            var cp = rune.Value;
            switch (cp)
            {
                case >= 0xFF01 and <= 0xFF5E: sb.Append((char)(cp - 0xFEE0)); break;
                case 0x00A0 or 0x3000 or (>= 0x2000 and <= 0x200A) or 0x202F or 0x205F: sb.Append(' '); break;
                case 0xFB00: sb.Append("ff"); break;
                case 0xFB01: sb.Append("fi"); break;
                case 0xFB02: sb.Append("fl"); break;
                case 0xFB03: sb.Append("ffi"); break;
                case 0xFB04: sb.Append("ffl"); break;
                case 0xFB05 or 0xFB06: sb.Append("st"); break;
                case 0x2026: sb.Append("..."); break;
                case 0x2122: sb.Append("TM"); break;
                case 0x00B9: sb.Append('1'); break;
                case 0x00B2 or 0x00B3: sb.Append((char)('0' + cp - 0x00B0)); break;
                case 0x2070 or (>= 0x2074 and <= 0x2079): sb.Append((char)('0' + cp - 0x2070)); break;
                case >= 0x2080 and <= 0x2089: sb.Append((char)('0' + cp - 0x2080)); break;
                case >= 0x2460 and <= 0x2473: sb.Append((cp - 0x2460 + 1).ToString(CultureInfo.InvariantCulture)); break;
                // 13 styles (bold, italic, script, fraktur, …) of 52 letters A–Z a–z each.
                case >= 0x1D400 and <= 0x1D6A3:
                    var k = (cp - 0x1D400) % 52;
                    sb.Append((char)(k < 26 ? 'A' + k : 'a' + k - 26));
                    break;
                case >= 0x1D7CE and <= 0x1D7FF: sb.Append((char)('0' + (cp - 0x1D7CE) % 10)); break;
                default:
                    if (rune.IsBmp) sb.Append((char)cp);
                    else sb.Append(char.ConvertFromUtf32(cp));
                    break;
            }
        }
        return sb.ToString();
    }
}
