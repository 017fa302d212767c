using MarketPulse.Abstractions.Ensemble;

namespace MarketPulse.Abstractions.Market;

/// <summary>The single list of known symbols (key 0), and cross-ticker views built from it.</summary>
public interface IMarketDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a symbol; returns once the list that holds it is durably written. Interleaves, so that
    /// registrations arriving during one write share the next.</summary>
    [AlwaysInterleave]
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
