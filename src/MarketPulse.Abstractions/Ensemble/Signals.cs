namespace MarketPulse.Abstractions.Ensemble;

/// <summary>
/// The names of the signals a ticker's calls carry (<see cref="SignalPrediction.Signal"/>), as the grains issue them, the
/// API filters them (<c>/predictions?signal=…</c>) and the dashboard labels them, and the direction words of a call.
/// The offline evaluation reports the same signals under these names, except the persistence baseline, which its
/// published JSON calls <c>yesterday</c>.
/// </summary>
public static class Signals
{
    public const string Price = "price";
    public const string Sentiment = "sentiment";
    public const string Persistence = "persistence";
    public const string Ensemble = "ensemble";
    public const string EnsembleHedge = "ensemble_hedge";

    /// <summary>The experts the ensemble stacks, in the order of its weights and coefficients.</summary>
    public static readonly string[] Experts = [Price, Sentiment, Persistence];

    /// <summary>The volatility, expected-move and volume forecasts (counted under this name in the prediction metrics).</summary>
    public const string Volatility = "volatility";

    public const string Up = "up";
    public const string Down = "down";

    /// <summary>"up" from a probability of a rise of one half or more, else "down".</summary>
    public static string Direction(double probabilityUp) => probabilityUp >= 0.5 ? Up : Down;
}
