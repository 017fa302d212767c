using BenchmarkDotNet.Attributes;
using MarketPulse.Core.Indicators;

namespace MarketPulse.Benchmarks;

/// <summary>
/// Cost of one update of each indicator in steady state (warm, window full). Each invocation feeds the same 4,096
/// prices, so the result is per update; the indicators keep running across invocations as they would in a grain.
/// </summary>
[MemoryDiagnoser]
public class IndicatorBenchmarks
{
    private const int N = 4096;
    private readonly double[] _close = new double[N];
    private readonly double[] _high = new double[N];
    private readonly double[] _low = new double[N];
    private readonly double[] _volume = new double[N];

    private readonly SimpleMovingAverage _sma = new(20);
    private readonly ExponentialMovingAverage _ema = new(20);
    private readonly WeightedMovingAverage _wma = new(20);
    private readonly RelativeStrengthIndex _rsi = new(14);
    private readonly MovingAverageConvergenceDivergence _macd = new();
    private readonly BollingerBands _bollinger = new(20);
    private readonly ZScore _zScore = new(20);
    private readonly LogReturn _logReturn = new(1);
    private readonly RealizedVolatility _volatility = new(20);
    private readonly AverageTrueRange _atr = new(14);
    private readonly Stochastic _stochastic = new(14, 3);
    private readonly VolumeWeightedAveragePrice _vwap = new();
    private readonly OnBalanceVolume _obv = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var p = 100.0;
        for (var i = 0; i < N; i++)
        {
            p = Math.Max(1, p + random.NextDouble() - 0.5);
            _close[i] = Math.Round(p, 2);
            _high[i] = _close[i] + Math.Round(random.NextDouble() * 0.3, 2);
            _low[i] = _close[i] - Math.Round(random.NextDouble() * 0.3, 2);
            _volume[i] = random.Next(100, 10_000);
        }
    }

    [Benchmark(OperationsPerInvoke = N)] public bool SimpleMovingAverage20() => Feed(_sma);
    [Benchmark(OperationsPerInvoke = N)] public bool ExponentialMovingAverage20() => Feed(_ema);
    [Benchmark(OperationsPerInvoke = N)] public bool WeightedMovingAverage20() => Feed(_wma);
    [Benchmark(OperationsPerInvoke = N)] public bool RelativeStrengthIndex14() => Feed(_rsi);
    [Benchmark(OperationsPerInvoke = N)] public bool Macd12_26_9() => Feed(_macd);
    [Benchmark(OperationsPerInvoke = N)] public bool BollingerBands20() => Feed(_bollinger);
    [Benchmark(OperationsPerInvoke = N)] public bool ZScore20() => Feed(_zScore);
    [Benchmark(OperationsPerInvoke = N)] public bool LogReturn1() => Feed(_logReturn);
    [Benchmark(OperationsPerInvoke = N)] public bool RealizedVolatility20() => Feed(_volatility);
    [Benchmark(OperationsPerInvoke = N)] public bool AverageTrueRange14() => FeedBars(_atr);
    [Benchmark(OperationsPerInvoke = N)] public bool Stochastic14_3() => FeedBars(_stochastic);
    [Benchmark(OperationsPerInvoke = N)] public bool VolumeWeightedAveragePrice() => FeedBars(_vwap);
    [Benchmark(OperationsPerInvoke = N)] public bool OnBalanceVolume() => FeedBars(_obv);

    // Generic over the concrete sealed type so the JIT calls Update directly, as a grain holding the field does.
    private bool Feed<T>(T indicator) where T : IIndicator
    {
        var ready = false;
        var close = _close;
        for (var i = 0; i < close.Length; i++) ready = indicator.Update(close[i]);
        return ready;
    }

    private bool FeedBars<T>(T indicator) where T : IBarIndicator
    {
        var ready = false;
        for (var i = 0; i < _close.Length; i++) ready = indicator.Update(_high[i], _low[i], _close[i], _volume[i]);
        return ready;
    }
}
