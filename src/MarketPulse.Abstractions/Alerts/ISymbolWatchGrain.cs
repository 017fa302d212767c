using MarketPulse.Abstractions.Realtime;

namespace MarketPulse.Abstractions.Alerts;

/// <summary>
/// One per symbol: hears every change of its ticker (after each applied batch) and of its sentiment, evaluates the
/// symbol's alert rules on them, and forwards the ticker update and any alerts to the local push notifier.
/// </summary>
public interface ISymbolWatchGrain : IGrainWithStringKey
{
    [OneWay]
    Task OnTickerChangedAsync(TickerUpdate update);

    [OneWay]
    Task OnSentimentChangedAsync(double score, DateTime? asOfUtc);

    /// <summary>The directory calls this after a rule for this symbol was added or removed.</summary>
    Task SetRulesAsync(RuleSet rules);
}
