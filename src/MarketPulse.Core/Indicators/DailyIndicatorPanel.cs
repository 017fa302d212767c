using MarketPulse.Core.Signals;

namespace MarketPulse.Core.Indicators;

/// <summary>
/// The daily indicators of one symbol, updated once per closed day: what a ticker's snapshot shows and what the
/// momentum rule reads. Not persisted: replaying the kept daily bars rebuilds it deterministically.
/// </summary>
public sealed class DailyIndicatorPanel
{
    public SimpleMovingAverage Sma20 { get; } = new(20);
    public WeightedMovingAverage Wma20 { get; } = new(20);
    public ExponentialMovingAverage Ema12 { get; } = new(12);
    public ExponentialMovingAverage Ema26 { get; } = new(26);
    public RelativeStrengthIndex Rsi14 { get; } = new(14);
    public MovingAverageConvergenceDivergence Macd { get; } = new(12, 26, 9);
    public BollingerBands Bollinger { get; } = new(20, 2);
    public AverageTrueRange Atr14 { get; } = new(14);
    public OnBalanceVolume Obv { get; } = new();
    public Stochastic Stochastic { get; } = new(14, 3);
    public ZScore ZScore20 { get; } = new(20);
    public LogReturn Return1 { get; } = new(1);
    public LogReturn Return5 { get; } = new(5);
    public RealizedVolatility Volatility20 { get; } = new(20);

    /// <summary>Days applied.</summary>
    public int Days { get; private set; }

    /// <summary>Applies one closed day.</summary>
    public void Update(double high, double low, double close, double volume)
    {
        Days++;
        Sma20.Update(close);
        Wma20.Update(close);
        Ema12.Update(close);
        Ema26.Update(close);
        Rsi14.Update(close);
        Macd.Update(close);
        Bollinger.Update(close);
        ZScore20.Update(close);
        Return1.Update(close);
        Return5.Update(close);
        Volatility20.Update(close);
        Atr14.Update(high, low, close, volume);
        Obv.Update(high, low, close, volume);
        Stochastic.Update(high, low, close, volume);
    }

    /// <summary>
    /// The momentum rule's probability of an up day (<see cref="MomentumRule"/>). With a <paramref name="livePrice"/> (a
    /// day still forming), the EMAs are read as if that price closed the day (<see cref="ExponentialMovingAverage.Peek"/>),
    /// so the live signal reflects the latest trade without committing it. NaN until the EMAs are ready.
    /// </summary>
    public double MomentumProbability(double? livePrice = null)
    {
        var live = livePrice is { } p && Ema12.IsReady && Ema26.IsReady;
        var fast = live ? Ema12.Peek(livePrice!.Value) : Ema12.Current;
        var slow = live ? Ema26.Peek(livePrice!.Value) : Ema26.Current;
        return MomentumRule.ProbabilityUp(fast, slow, Rsi14.Current, Volatility20.Current);
    }
}
