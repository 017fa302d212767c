namespace MarketPulse.Abstractions.Market;

/// <summary>One per symbol: rolling bars, incremental indicators and the price signal.</summary>
public interface ITickerGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<TickerSnapshot> GetSnapshotAsync();

    /// <summary>Bars of <paramref name="interval"/> ("1m" or "1d") starting in [from, to).</summary>
    [ReadOnly]
    Task<IReadOnlyList<BarDto>> GetBarsAsync(string interval, DateTime? from, DateTime? to);

    /// <summary>The next 30 minutes' volatility forecast of the regular session, the last scored one and the live score.</summary>
    [ReadOnly]
    Task<Forecasts.IntradaySnapshot> GetIntradayAsync();
}
