namespace MarketPulse.Core.Indicators;

/// <summary>
/// Session VWAP: Σ(price·volume)/Σ volume since the start of the trading session, with the bar's typical price
/// (high + low + close)/3 as its price (for a trade, pass its price as high, low and close, or use
/// <see cref="Update(double, double)"/>). The sums restart on <see cref="StartSession"/> or when
/// <see cref="Update(DateOnly, double, double, double, double)"/> sees a new trading day.
/// </summary>
/// <remarks>
/// It is defined once the session has traded some volume; zero-volume bars at the open leave it undefined,
/// since a VWAP of nothing traded does not exist. <see cref="Samples"/> counts all bars, across sessions.
/// </remarks>
public sealed class VolumeWeightedAveragePrice : IBarIndicator
{
    private double _priceVolume;
    private double _volume;
    private DateOnly _session = DateOnly.MinValue;

    public int WarmUpPeriod => 1;
    public long Samples { get; private set; }
    public bool IsReady => _volume > 0;
    public double Current => IsReady ? _priceVolume / _volume : double.NaN;
    public DateOnly Session => _session;

    /// <summary>Starts a new session: the next update is its first.</summary>
    public void StartSession()
    {
        _priceVolume = 0;
        _volume = 0;
    }

    public bool Update(double high, double low, double close, double volume)
    {
        if (BarGap.Is(high, low, close, volume)) return IsReady;
        return Add((high + low + close) / 3.0, volume);
    }

    /// <summary>One trade (or last-sale print); its own price, since (3·p)/3 need not round back to p.</summary>
    public bool Update(double price, double volume)
    {
        if (!double.IsFinite(price) || !double.IsFinite(volume)) return IsReady;
        return Add(price, volume);
    }

    /// <summary>One bar of exchange-local trading day <paramref name="tradingDay"/>; a new day starts a new session.</summary>
    public bool Update(DateOnly tradingDay, double high, double low, double close, double volume)
    {
        if (tradingDay != _session)
        {
            StartSession();
            _session = tradingDay;
        }
        return Update(high, low, close, volume);
    }

    private bool Add(double price, double volume)
    {
        Samples++;
        _priceVolume += price * volume;
        _volume += volume;
        return IsReady;
    }

    public void Reset()
    {
        StartSession();
        _session = DateOnly.MinValue;
        Samples = 0;
    }
}
