namespace MarketPulse.Core.Market;

/// <summary>An OHLCV bar. <see cref="Start"/> is UTC; <see cref="Date"/> is the exchange-local trading day.</summary>
public readonly record struct Bar(DateTime Start, TimeSpan Interval, DateOnly Date, double Open, double High, double Low, double Close, double Volume, int Trades)
{
    public DateTime End => Start + Interval;

    public Bar With(double price, double size) => this with
    {
        High = Math.Max(High, price),
        Low = Math.Min(Low, price),
        Close = price,
        Volume = Volume + size,
        Trades = Trades + 1,
    };

    public static Bar FromTrade(DateTime start, TimeSpan interval, DateOnly date, double price, double size) =>
        new(start, interval, date, price, price, price, price, size, 1);
}
