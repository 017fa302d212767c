namespace MarketPulse.Core.Tests.Indicators;

/// <summary>
/// Textbook definitions computed over whole arrays, window by window, with no running state where the definition
/// has none: the oracle the incremental indicators are checked against. Index i holds the value after input i;
/// NaN where the definition is not yet defined.
/// </summary>
public static class BatchReference
{
    public static double[] Sma(double[] x, int n) =>
        Windowed(x, n, w => w.Sum() / n);

    public static double[] Wma(double[] x, int n) =>
        Windowed(x, n, w =>
        {
            double s = 0;
            for (var j = 0; j < n; j++) s += (j + 1) * w[j];
            return s / (n * (n + 1) / 2.0);
        });

    /// <summary>EMA seeded with the SMA of the first n inputs: e_t = α·x_t + (1 − α)·e_{t−1}.</summary>
    public static double[] Ema(double[] x, int n, double? alpha = null)
    {
        var a = alpha ?? 2.0 / (n + 1);
        var e = Nan(x.Length);
        if (x.Length < n) return e;
        e[n - 1] = x.Take(n).Sum() / n;
        for (var t = n; t < x.Length; t++) e[t] = a * x[t] + (1 - a) * e[t - 1];
        return e;
    }

    /// <summary>Wilder's RSI: 100 − 100/(1 + avgGain/avgLoss), averages seeded with the mean of the first n changes.</summary>
    public static double[] Rsi(double[] x, int n)
    {
        var r = Nan(x.Length);
        if (x.Length <= n) return r;
        var gains = new double[x.Length];
        var losses = new double[x.Length];
        for (var t = 1; t < x.Length; t++)
        {
            gains[t] = Math.Max(0, x[t] - x[t - 1]);
            losses[t] = Math.Max(0, x[t - 1] - x[t]);
        }
        double g = gains.Skip(1).Take(n).Sum() / n, l = losses.Skip(1).Take(n).Sum() / n;
        r[n] = RsiOf(g, l);
        for (var t = n + 1; t < x.Length; t++)
        {
            g = (g * (n - 1) + gains[t]) / n;
            l = (l * (n - 1) + losses[t]) / n;
            r[t] = RsiOf(g, l);
        }
        return r;
    }

    private static double RsiOf(double gain, double loss) =>
        loss == 0 ? (gain == 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);

    public static (double[] Line, double[] Signal, double[] Histogram) Macd(double[] x, int fast, int slow, int signal)
    {
        var f = Ema(x, fast);
        var s = Ema(x, slow);
        var linesFromSlow = Enumerable.Range(slow - 1, Math.Max(0, x.Length - slow + 1)).Select(t => f[t] - s[t]).ToArray();
        var sig = Ema(linesFromSlow, signal);
        var line = Nan(x.Length);
        var sg = Nan(x.Length);
        var hist = Nan(x.Length);
        for (var k = 0; k < linesFromSlow.Length; k++)
        {
            if (double.IsNaN(sig[k])) continue;
            var t = slow - 1 + k;
            line[t] = linesFromSlow[k];
            sg[t] = sig[k];
            hist[t] = linesFromSlow[k] - sig[k];
        }
        return (line, sg, hist);
    }

    public static double[] PopulationStdDev(double[] x, int n) =>
        Windowed(x, n, w => Math.Sqrt(SumOfSquaredDeviations(w) / n));

    /// <summary>Two-pass Σ(x − mean)²; exactly 0 on a flat window, where the rounded mean would leave ±1e-15 noise.</summary>
    private static double SumOfSquaredDeviations(double[] w)
    {
        if (w.All(v => v == w[0])) return 0;
        var mean = w.Average();
        return w.Sum(v => (v - mean) * (v - mean));
    }

    public static double[] ZScore(double[] x, int n)
    {
        var mean = Windowed(x, n, w => w.Average());
        var sd = PopulationStdDev(x, n);
        return x.Select((v, t) => double.IsNaN(sd[t]) ? double.NaN : sd[t] == 0 ? 0 : (v - mean[t]) / sd[t]).ToArray();
    }

    public static double[] LogReturn(double[] x, int lag) =>
        x.Select((v, t) => t < lag ? double.NaN : Math.Log(v / x[t - lag])).ToArray();

    /// <summary>Sample standard deviation (n − 1) of the last n one-step log returns.</summary>
    public static double[] RealizedVolatility(double[] x, int n)
    {
        var r = LogReturn(x, 1);
        var v = Nan(x.Length);
        for (var t = n; t < x.Length; t++)
        {
            v[t] = Math.Sqrt(SumOfSquaredDeviations(r[(t - n + 1)..(t + 1)]) / (n - 1));
        }
        return v;
    }

    public static double[] TrueRange(TestBar[] b) =>
        b.Select((bar, t) => t == 0
            ? bar.High - bar.Low
            : new[] { bar.High - bar.Low, Math.Abs(bar.High - b[t - 1].Close), Math.Abs(bar.Low - b[t - 1].Close) }.Max()).ToArray();

    /// <summary>Wilder's ATR: the mean of the first n true ranges, then (ATR·(n − 1) + TR)/n.</summary>
    public static double[] Atr(TestBar[] b, int n)
    {
        var tr = TrueRange(b);
        var a = Nan(b.Length);
        if (b.Length < n) return a;
        a[n - 1] = tr.Take(n).Sum() / n;
        for (var t = n; t < b.Length; t++) a[t] = (a[t - 1] * (n - 1) + tr[t]) / n;
        return a;
    }

    public static (double[] K, double[] D) Stochastic(TestBar[] b, int kPeriod, int dPeriod)
    {
        var k = Nan(b.Length);
        for (var t = kPeriod - 1; t < b.Length; t++)
        {
            var window = b[(t - kPeriod + 1)..(t + 1)];
            var hh = window.Max(w => w.High);
            var ll = window.Min(w => w.Low);
            k[t] = hh == ll ? 50 : 100 * (b[t].Close - ll) / (hh - ll);
        }
        var d = Nan(b.Length);
        for (var t = kPeriod + dPeriod - 2; t < b.Length; t++) d[t] = k[(t - dPeriod + 1)..(t + 1)].Average();
        var kReady = k.Select((v, t) => double.IsNaN(d[t]) ? double.NaN : v).ToArray();
        return (kReady, d);
    }

    public static double[] Obv(TestBar[] b)
    {
        var o = new double[b.Length];
        for (var t = 1; t < b.Length; t++)
            o[t] = o[t - 1] + Math.Sign(b[t].Close - b[t - 1].Close) * b[t].Volume;
        return o;
    }

    /// <summary>Σ typical·volume / Σ volume over the bars of the same day up to t, each window summed afresh.</summary>
    public static double[] SessionVwap(TestBar[] b)
    {
        var v = Nan(b.Length);
        var start = 0;
        for (var t = 0; t < b.Length; t++)
        {
            if (b[t].Day != b[start].Day) start = t;
            double pv = 0, vol = 0;
            for (var j = start; j <= t; j++)
            {
                pv += (b[j].High + b[j].Low + b[j].Close) / 3 * b[j].Volume;
                vol += b[j].Volume;
            }
            if (vol > 0) v[t] = pv / vol;
        }
        return v;
    }

    private static double[] Windowed(double[] x, int n, Func<double[], double> f)
    {
        var r = Nan(x.Length);
        for (var t = n - 1; t < x.Length; t++) r[t] = f(x[(t - n + 1)..(t + 1)]);
        return r;
    }

    private static double[] Nan(int length)
    {
        var r = new double[length];
        Array.Fill(r, double.NaN);
        return r;
    }
}
