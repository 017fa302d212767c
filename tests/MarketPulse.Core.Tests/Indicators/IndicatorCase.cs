using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>
/// One indicator configuration for the contract tests, seen through the bar contract so scalar and bar indicators
/// share the tests; <see cref="FlatValue"/> is its textbook value on a constant series.
/// </summary>
public sealed record IndicatorCase(string Name, Func<IBarIndicator> Create, double FlatValue)
{
    public static readonly IReadOnlyList<IndicatorCase> All =
    [
        Scalar("SMA(20)", () => new SimpleMovingAverage(20), 42.5),
        Scalar("SMA(1)", () => new SimpleMovingAverage(1), 42.5),
        Scalar("EMA(12)", () => new ExponentialMovingAverage(12), 42.5),
        Scalar("WMA(10)", () => new WeightedMovingAverage(10), 42.5),
        Scalar("RSI(14)", () => new RelativeStrengthIndex(14), 50),
        Scalar("LogReturn(5)", () => new LogReturn(5), 0),
        Scalar("RealizedVolatility(20)", () => new RealizedVolatility(20), 0),
        Scalar("MACD(12,26,9)", () => new MovingAverageConvergenceDivergence(12, 26, 9), 0),
        Scalar("Bollinger(20,2)", () => new BollingerBands(20, 2), 42.5),
        Scalar("ZScore(20)", () => new ZScore(20), 0),
        new("ATR(14)", () => new AverageTrueRange(14), 0),
        new("Stochastic(14,3)", () => new Stochastic(14, 3), 50),
        new("OBV", () => new OnBalanceVolume(), 0),
        new("VWAP", () => new VolumeWeightedAveragePrice(), 42.5),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All) data.Add(c.Name);
        return data;
    }

    public static IndicatorCase Named(string name) => All.Single(c => c.Name == name);

    public override string ToString() => Name;

    private static IndicatorCase Scalar(string name, Func<IIndicator> create, double flat) =>
        new(name, () => new ScalarAsBar(create()), flat);
}
