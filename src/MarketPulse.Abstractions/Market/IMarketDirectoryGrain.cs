using MarketPulse.Abstractions.Ensemble;

namespace MarketPulse.Abstractions.Market;

/// <summary>The single list of known symbols (key 0), and cross-ticker views built from it.</summary>
public interface IMarketDirectoryGrain : IGrainWithIntegerKey
{
    Task RegisterAsync(string symbol);

    [ReadOnly]
    Task<IReadOnlyList<string>> GetSymbolsAsync();

    [ReadOnly]
    Task<bool> ContainsAsync(string symbol);

    [ReadOnly]
    Task<IReadOnlyList<TickerSummary>> GetOverviewAsync();

    /// <summary>Every signal's live quality summed over all tickers.</summary>
    [ReadOnly]
    Task<IReadOnlyList<SignalStats>> GetSignalTotalsAsync();

    /// <summary>The volatility, expected-move and volume forecasts' live score summed over all tickers.</summary>
    [ReadOnly]
    Task<Forecasts.ForecastScorecardDto> GetForecastTotalsAsync();
}
