using MarketPulse.Abstractions.Market;

namespace MarketPulse.Ingestion.Live;

/// <summary>
/// One provider's websocket protocol: what to send when a connection opens and how to read each frame. The
/// <see cref="WebSocketMarketFeed"/> runner owns the connection, reconnects, heartbeats and batching; a protocol only
/// translates. A protocol instance is used for one connection at a time and may keep per-connection state.
/// </summary>
public interface IFeedProtocol
{
    /// <summary>Short name used in logs, stats and as the source grain key (<c>live:NAME</c>).</summary>
    string Name { get; }

    /// <summary>Resets per-connection state and returns the messages to send right after connecting (may be none).</summary>
    IReadOnlyList<string> OnOpen();

    /// <summary>Reads one complete text frame into <paramref name="result"/>.</summary>
    void Parse(ReadOnlySpan<byte> frame, FrameResult result);
}

/// <summary>What one frame meant: trades to forward, replies to send, problems (one reason each), or a fatal error.</summary>
public sealed class FrameResult
{
    public List<MarketTick> Ticks { get; } = [];
    public List<string> Replies { get; } = [];
    public List<string> Problems { get; } = [];

    /// <summary>Set when the connection cannot go on (e.g. authentication refused): the runner closes it and backs off.</summary>
    public string? Fatal { get; set; }

    /// <summary>Bars or quotes read and kept (not forwarded as trades).</summary>
    public int OtherMessages { get; set; }

    public bool Subscribed { get; set; }

    public void Clear()
    {
        Ticks.Clear();
        Replies.Clear();
        Problems.Clear();
        Fatal = null;
        OtherMessages = 0;
        Subscribed = false;
    }
}

/// <summary>Reasons the live adapters count; stable strings like the validation reasons.</summary>
public static class FeedProblems
{
    public const string NotJson = "malformed: frame is not valid JSON";
    public const string BadShape = "malformed: unexpected message shape";
    public const string BadTrade = "malformed: trade without a valid symbol, price, size or time";
    public const string BadQuote = "malformed: quote without a valid symbol, prices or time";
    public const string CrossedQuote = "bid/ask: bid above ask in a quote";
    public const string TooLarge = "malformed: frame larger than the limit";
    public const string Binary = "malformed: binary frame";
    public const string ProviderError = "provider: error message from the server";
    public const string Stale = "connection: no frame within the staleness limit";
    public const string Lost = "connection: lost or refused";
    public const string AuthFailed = "auth: credentials refused";
    public const string QueueFailed = "queue: the source grain could not take a batch (retried)";
    public const string Overflow = "queue: buffer full while the cluster was unreachable (dropped)";
}
