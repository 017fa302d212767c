namespace MarketPulse.Ingestion.Validation;

/// <summary>The closed set of rejection reasons: stable strings, used as metric labels and in API answers.</summary>
public static class RejectReasons
{
    public const string Symbol = "symbol: missing or malformed";
    public const string Price = "price: must be a finite number > 0";
    public const string Size = "size: must be >= 0";
    public const string Time = "time: missing, before 1970 or more than 5 minutes in the future";
    public const string BidAsk = "bid/ask: bid must be > 0 and <= ask";
    public const string OutOfOrder = "time: older than the last accepted item for this symbol";
    public const string Duplicate = "duplicate: same symbol, time and sequence as an accepted item, or a sequence not after the last accepted";
    public const string Spike = "spike: price too far from the symbol's recent mean (spike filter)";
    public const string Ohlc = "ohlc: prices must be > 0 with low <= open, close <= high";
    public const string Volume = "volume: must be >= 0";
    public const string Text = "text: missing, blank or longer than 10000 characters";
    public const string Id = "id: missing";
    public const string Source = "source: missing or longer than 64 characters";
    public const string NoSymbol = "symbols: none given and no $CASHTAG in the text";
    public const string DuplicatePost = "duplicate: a post with this source and id was already accepted";

    /// <summary>Short machine label for a reason (metric tag): the part before the colon plus a qualifier.</summary>
    public static string Label(string reason) => reason switch
    {
        OutOfOrder => "out_of_order",
        Duplicate or DuplicatePost => "duplicate",
        _ => reason[..reason.IndexOf(':')].Replace('/', '_'),
    };
}
