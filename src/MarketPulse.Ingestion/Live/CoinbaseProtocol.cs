using System.Globalization;
using System.Text.Json;
using MarketPulse.Abstractions.Market;

namespace MarketPulse.Ingestion.Live;

/// <summary>
/// Coinbase Exchange public feed (<c>wss://ws-feed.exchange.coinbase.com</c>), no credentials: subscribes to the
/// <c>matches</c> and <c>heartbeat</c> channels for the product ids (BTC-USD, ETH-USD — already MarketPulse's crypto
/// symbol form). <c>match</c> and <c>last_match</c> messages become ticks with the trade id as the sequence, so the
/// <c>last_match</c> repeated after a reconnect is caught as a duplicate by validation; prices and sizes come as strings.
/// </summary>
public sealed class CoinbaseProtocol(IReadOnlyList<string> productIds) : IFeedProtocol
{
    public string Name => "coinbase";

    public IReadOnlyList<string> OnOpen() =>
        [JsonSerializer.Serialize(new { type = "subscribe", product_ids = productIds, channels = new[] { "matches", "heartbeat" } })];

    public void Parse(ReadOnlySpan<byte> frame, FrameResult result)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(frame.ToArray()); }
        catch (JsonException) { result.Problems.Add(FeedProblems.NotJson); return; }
        using (doc)
        {
            var m = doc.RootElement;
            if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
            {
                result.Problems.Add(FeedProblems.BadShape);
                return;
            }
            switch (t.GetString())
            {
                case "match" or "last_match":
                    Match(m, result);
                    break;
                case "subscriptions":
                    result.Subscribed = true;
                    break;
                case "heartbeat":
                    break;
                case "error":
                    result.Problems.Add(FeedProblems.ProviderError);
                    break;
                default:
                    result.OtherMessages++;
                    break;
            }
        }
    }

    private void Match(JsonElement m, FrameResult result)
    {
        var product = Str(m, "product_id");
        if (product is null || !Dec(Str(m, "price"), out var price) || !Dec(Str(m, "size"), out var size)
            || !IsoTime.TryParseUtc(Str(m, "time"), out var time))
        {
            result.Problems.Add(FeedProblems.BadTrade);
            return;
        }
        long? id = m.TryGetProperty("trade_id", out var i) && i.TryGetInt64(out var il) ? il : null;
        result.Ticks.Add(new MarketTick(product, time, price, size, null, null, Name, id));
    }

    private static string? Str(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Dec(string? s, out decimal value)
    {
        value = 0;
        return s is not null && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
    }
}
