using System.Globalization;
using System.Text.Json;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;

namespace MarketPulse.Server.Api;

/// <summary>
/// Turns an ingest body into items one element at a time, so that one bad element is reported by index and field
/// while the others go on. Only a body that is not a JSON array at all fails as a whole.
/// </summary>
public static class IngestParsing
{
    public sealed record Parsed<T>(List<(int Index, T Item)> Items, List<Rejection> Rejected);

    public static Parsed<MarketTick> Ticks(JsonElement root) => Each<MarketTick>(root, Tick);

    public static Parsed<TextPost> Posts(JsonElement root) => Each<TextPost>(root, Post);

    private delegate string? ElementParser<T>(JsonElement element, out T? item);

    private static Parsed<T> Each<T>(JsonElement root, ElementParser<T> parse)
    {
        var items = new List<(int, T)>();
        var rejected = new List<Rejection>();
        var i = 0;
        foreach (var e in root.EnumerateArray())
        {
            string? error;
            T? item;
            try
            {
                error = parse(e, out item);
            }
            catch (InvalidOperationException)
            {
                // The JSON reader checks a string's UTF-8 only when it is read.
                (error, item) = ("item: a string is not valid UTF-8", default);
            }
            if (error is null) items.Add((i, item!));
            else rejected.Add(new Rejection(i, error));
            i++;
        }
        return new(items, rejected);
    }

    private static string? Tick(JsonElement e, out MarketTick? tick)
    {
        tick = null;
        if (e.ValueKind != JsonValueKind.Object) return "item: expected an object";
        if (!String(e, "symbol", out var symbol, required: true, out var err)) return err;
        if (!Time(e, out var time, out err)) return err;
        if (!Decimal(e, "price", out var price, required: true, out err)) return err;
        if (!Decimal(e, "size", out var size, required: true, out err)) return err;
        if (!Decimal(e, "bid", out var bid, required: false, out err)) return err;
        if (!Decimal(e, "ask", out var ask, required: false, out err)) return err;
        if (!String(e, "source", out var source, required: false, out err)) return err;
        if (source is not null && !SourceNames.IsValid(source)) return SourceNames.Rule;
        long? sequence = null;
        if (e.TryGetProperty("sequence", out var seq) && seq.ValueKind != JsonValueKind.Null)
        {
            if (seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var s)) return "sequence: must be an integer";
            sequence = s;
        }
        tick = new MarketTick(symbol!, time, price!.Value, size!.Value, bid, ask, source, sequence);
        return null;
    }

    private static string? Post(JsonElement e, out TextPost? post)
    {
        post = null;
        if (e.ValueKind != JsonValueKind.Object) return "item: expected an object";
        if (!String(e, "source", out var source, required: true, out var err)) return err;
        if (!SourceNames.IsValid(source!)) return SourceNames.Rule;
        if (!String(e, "id", out var id, required: true, out err)) return err;
        if (!Time(e, out var time, out err)) return err;
        if (!String(e, "text", out var text, required: true, out err)) return err;
        if (!String(e, "author", out var author, required: false, out err)) return err;
        var symbols = new List<string>();
        if (e.TryGetProperty("symbols", out var syms) && syms.ValueKind != JsonValueKind.Null)
        {
            if (syms.ValueKind != JsonValueKind.Array) return "symbols: must be an array of strings";
            foreach (var s in syms.EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.String) return "symbols: must be an array of strings";
                symbols.Add(s.GetString()!);
            }
        }
        post = new TextPost(source!, id!, time, text!, symbols, author);
        return null;
    }

    private static bool String(JsonElement e, string name, out string? value, bool required, out string? error)
    {
        value = null;
        error = null;
        if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            if (required) error = $"{name}: required";
            return !required;
        }
        if (p.ValueKind != JsonValueKind.String)
        {
            error = $"{name}: must be a string";
            return false;
        }
        value = p.GetString();
        return true;
    }

    private static bool Decimal(JsonElement e, string name, out decimal? value, bool required, out string? error)
    {
        value = null;
        error = null;
        if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            if (required) error = $"{name}: required";
            return !required;
        }
        if (p.ValueKind != JsonValueKind.Number || !p.TryGetDecimal(out var d))
        {
            error = $"{name}: must be a number";
            return false;
        }
        value = d;
        return true;
    }

    private static bool Time(JsonElement e, out DateTime time, out string? error)
    {
        time = default;
        error = null;
        if (!e.TryGetProperty("time", out var p) || p.ValueKind != JsonValueKind.String)
        {
            error = "time: required, an ISO-8601 string with offset";
            return false;
        }
        var s = p.GetString()!;
        // An offset (or Z) is required: a bare local time is ambiguous across exchanges and DST.
        var hasOffset = s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] == '+' || s[^6] == '-') && s[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto))
        {
            error = "time: must be ISO-8601 with a UTC offset or Z, e.g. 2024-05-01T14:30:00Z";
            return false;
        }
        time = dto.UtcDateTime;
        return true;
    }
}

/// <summary>
/// Source names key grains (<c>api</c>, <c>replay:stocknet</c>, <c>reddit:stocks</c>): short identifiers only, so a
/// request cannot make an empty, huge or odd grain key.
/// </summary>
public static class SourceNames
{
    public const int MaxLength = 100;
    public const string Rule = "source: 1 to 100 letters, digits or : . _ -";

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '-');
}
