using Microsoft.ML.Tokenizers;

namespace MarketPulse.Ml.Sentiment;

/// <summary>One batch of WordPiece ids, padded to its longest row (dynamic padding), row-major [rows × length].</summary>
public sealed record TokenBatch(long[] InputIds, long[] AttentionMask, long[] TokenTypeIds, int Rows, int Length)
{
    public int TokenCount(int row)
    {
        var n = 0;
        for (var t = 0; t < Length; t++) n += (int)AttentionMask[row * Length + t];
        return n;
    }
}

/// <summary>
/// The uncased BERT WordPiece tokenizer of all-MiniLM-L6-v2, through Microsoft.ML.Tokenizers (lower-casing and accent
/// stripping as the original). Training and serving share this class so that ids can't drift between the two.
/// </summary>
public sealed class SentimentTokenizer
{
    /// <summary>Financial sentences rarely exceed this; longer texts keep their first tokens.</summary>
    public const int DefaultMaxLength = 64;

    private readonly BertTokenizer _tokenizer;

    public SentimentTokenizer(int maxLength = DefaultMaxLength)
    {
        if (maxLength < 3) throw new ArgumentOutOfRangeException(nameof(maxLength));
        MaxLength = maxLength;
        using var vocab = MiniLmAssets.OpenVocabulary();
        _tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
    }

    public int MaxLength { get; }

    /// <summary>[CLS] tokens… [SEP], at most <see cref="MaxLength"/> ids.</summary>
    public IReadOnlyList<int> Encode(string text) =>
        _tokenizer.EncodeToIds(FoldLatinAccents(text), MaxLength, addSpecialTokens: true, out _, out _);

    // À..ž → base letter; '\0' keeps the character. The tokenizer's own accent stripping needs Unicode decomposition,
    // which the service does not have (InvariantGlobalization), so "Café" became [UNK]; Latin-1 and Latin Extended-A
    // cover the names in financial news (Finnish, Swedish, German, French, Spanish, Polish, Czech).
    private const string Folded =
        "AAAAAA\0CEEEEIIII\0NOOOOO\0\0UUUUY\0\0" +
        "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y" +
        "AaAaAaCcCcCcCcDd\0\0EeEeEeEeEeGgGg" +
        "GgGgHh\0\0IiIiIiIiI\0\0\0JjKk\0LlLlLl\0" +
        "\0\0\0NnNnNn\0\0\0OoOoOo\0\0RrRrRrSsSsSs" +
        "SsTtTt\0\0UuUuUuUuUuUuWwYyYZzZzZz\0"; // U+00C0..U+017F: NFD base letter of each, as BERT's accent stripping yields

    public static string FoldLatinAccents(string text)
    {
        var span = text.AsSpan();
        var first = span.IndexOfAnyInRange('\u00C0', '\u017F');
        if (first < 0) return text;
        return string.Create(text.Length, text, static (dst, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                dst[i] = c is >= '\u00C0' and <= '\u017F' && Folded[c - '\u00C0'] is var f && f != '\0' ? f : c;
            }
        });
    }

    public TokenBatch EncodeBatch(IReadOnlyList<string> texts)
    {
        var rows = new IReadOnlyList<int>[texts.Count];
        var length = 2;
        for (var i = 0; i < texts.Count; i++)
        {
            rows[i] = Encode(texts[i]);
            length = Math.Max(length, rows[i].Count);
        }
        var ids = new long[texts.Count * length];
        var mask = new long[texts.Count * length];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            for (var t = 0; t < row.Count; t++)
            {
                ids[i * length + t] = row[t];
                mask[i * length + t] = 1;
            }
        }
        return new TokenBatch(ids, mask, new long[ids.Length], texts.Count, length);
    }
}
