using System.Text.Json;
using MarketPulse.Abstractions.Market;

namespace MarketPulse.Ingestion.Live;

/// <summary>
/// Alpaca market-data stream v2 (<c>wss://stream.data.alpaca.markets/v2/iex</c>): the server greets with
/// <c>[{"T":"success","msg":"connected"}]</c>; the client answers <c>{"action":"auth","key":…,"secret":…}</c>; after
/// <c>authenticated</c> it subscribes per symbol to trades, quotes and (optionally) minute bars. Data arrive as arrays
/// of <c>{"T":"t"|"q"|"b",…}</c>. Trades become ticks carrying the symbol's latest quote; quotes are checked
/// (a crossed quote is counted) and kept for that; bars are counted but not forwarded, since the trades give the
/// same bars. Error 401/402/403/406 (not authenticated, auth failed, already authenticated, connection limit) is fatal
/// for the connection.
/// </summary>
public sealed class AlpacaProtocol(string keyId, string secretKey, IReadOnlyList<string> symbols, bool subscribeBars = false) : IFeedProtocol
{
    private readonly Dictionary<string, (decimal Bid, decimal Ask, DateTime Time)> _quotes = new(StringComparer.Ordinal);

    public string Name => "alpaca";

    public IReadOnlyList<string> OnOpen()
    {
        _quotes.Clear();
        return [];   // wait for the server's "connected" greeting
    }

    public void Parse(ReadOnlySpan<byte> frame, FrameResult result)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(frame.ToArray()); }
        catch (JsonException) { result.Problems.Add(FeedProblems.NotJson); return; }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array) { result.Problems.Add(FeedProblems.BadShape); return; }
            foreach (var m in doc.RootElement.EnumerateArray()) Message(m, result);
        }
    }

    private void Message(JsonElement m, FrameResult result)
    {
        if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("T", out var type) || type.ValueKind != JsonValueKind.String)
        {
            result.Problems.Add(FeedProblems.BadShape);
            return;
        }
        switch (type.GetString())
        {
            case "success" when Str(m, "msg") == "connected":
                result.Replies.Add(JsonSerializer.Serialize(new { action = "auth", key = keyId, secret = secretKey }));
                break;
            case "success" when Str(m, "msg") == "authenticated":
                result.Replies.Add(subscribeBars
                    ? JsonSerializer.Serialize(new { action = "subscribe", trades = symbols, quotes = symbols, bars = symbols })
                    : JsonSerializer.Serialize(new { action = "subscribe", trades = symbols, quotes = symbols }));
                break;
            case "subscription":
                result.Subscribed = true;
                break;
            case "error":
                var code = m.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : 0;
                if (code is 401 or 402 or 403 or 406) result.Fatal = $"{FeedProblems.AuthFailed} ({code} {Str(m, "msg")})";
                else result.Problems.Add(FeedProblems.ProviderError);
                break;
            case "t":
                Trade(m, result);
                break;
            case "q":
                Quote(m, result);
                break;
            case "b" or "d" or "u":
                result.OtherMessages++;
                break;
            default:
                result.Problems.Add(FeedProblems.BadShape);
                break;
        }
    }

    private void Trade(JsonElement m, FrameResult result)
    {
        var symbol = Str(m, "S");
        if (symbol is null || !Dec(m, "p", out var price) || !Dec(m, "s", out var size) || !IsoTime.TryParseUtc(Str(m, "t"), out var time))
        {
            result.Problems.Add(FeedProblems.BadTrade);
            return;
        }
        long? id = m.TryGetProperty("i", out var i) && i.TryGetInt64(out var il) ? il : null;
        decimal? bid = null, ask = null;
        if (_quotes.TryGetValue(symbol, out var q) && q.Time <= time) (bid, ask) = (q.Bid, q.Ask);
        result.Ticks.Add(new MarketTick(symbol, time, price, size, bid, ask, Name, id));
    }

    private void Quote(JsonElement m, FrameResult result)
    {
        var symbol = Str(m, "S");
        if (symbol is null || !Dec(m, "bp", out var bid) || !Dec(m, "ap", out var ask) || !IsoTime.TryParseUtc(Str(m, "t"), out var time))
        {
            result.Problems.Add(FeedProblems.BadQuote);
            return;
        }
        result.OtherMessages++;
        // Alpaca sends 0 for an empty side: such a quote says nothing about the spread.
        if (bid <= 0 || ask <= 0)
        {
            _quotes.Remove(symbol);
            return;
        }
        if (bid > ask)
        {
            result.Problems.Add(FeedProblems.CrossedQuote);
            return;
        }
        _quotes[symbol] = (bid, ask, time);
    }

    private static string? Str(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Dec(JsonElement m, string name, out decimal value)
    {
        value = 0;
        return m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out value);
    }
}
