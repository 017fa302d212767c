using MarketPulse.Abstractions.Market;

namespace MarketPulse.Ingestion.Lean;

/// <summary>
/// One LEAN trade print. Kept as a struct with LEAN's extra fields (exchange, sale-condition flags, the suspicious
/// mark LEAN uses to exclude prints from bars) so a day of ticks is parsed without a heap object per print;
/// <see cref="ToMarketTick"/> makes the wire type when a tick leaves the reader.
/// </summary>
public readonly record struct LeanTradeTick(DateTime TimeUtc, decimal Price, long Size, char Exchange, uint SaleCondition, bool Suspicious)
{
    public MarketTick ToMarketTick(string symbol, long? sequence = null) =>
        new(symbol, TimeUtc, Price, Size, Source: "lean", Sequence: sequence);
}
