namespace MarketPulse.Core.Forecasting;

/// <summary>
/// A linear model of a logarithm (ln variance, ln volume) over named <see cref="ForecastFeatures"/>, with the smearing
/// factor E[exp(residual)] (Duan 1983) that turns exp(prediction) into a forecast of the level's mean rather than its
/// median — QLIKE's optimum is the conditional mean. <see cref="Offsets"/> hold a per-symbol shift of the intercept where
/// the fit had one (a ticker's own level, learnt on its training days); other symbols get the common intercept.
/// </summary>
public sealed record LinearLogModel(string[] Features, double Intercept, double[] Coefficients, double Smearing,
    Dictionary<string, double>? Offsets = null)
{
    private int[]? _indices;

    private int[] Indices => _indices ??= Features.Select(ForecastFeatures.IndexOf).ToArray();

    /// <summary>The prediction of the logarithm from all <see cref="ForecastFeatures"/> (length <see cref="ForecastFeatures.Count"/>).</summary>
    public double PredictLog(ReadOnlySpan<double> features, string? symbol = null)
    {
        var idx = Indices;
        var y = Intercept + (symbol is not null && Offsets is not null && Offsets.TryGetValue(symbol, out var o) ? o : 0);
        for (var k = 0; k < idx.Length; k++) y += Coefficients[k] * features[idx[k]];
        return y;
    }

    /// <summary>The forecast of the level: exp(prediction) × smearing.</summary>
    public double PredictLevel(ReadOnlySpan<double> features, string? symbol = null) => Math.Exp(PredictLog(features, symbol)) * Smearing;

    /// <summary>Copies the model's own inputs out of all features (the columns training fits on).</summary>
    public void Select(ReadOnlySpan<double> features, Span<double> into)
    {
        var idx = Indices;
        for (var k = 0; k < idx.Length; k++) into[k] = features[idx[k]];
    }
}

/// <summary>
/// Ridge regression with an unpenalised intercept, on standardised columns (so one penalty suits inputs of different
/// scales), solved by Cholesky on the normal equations: the problems here have a few dozen columns at most.
/// </summary>
/// <remarks>Written here rather than taken from a library: it is twenty lines, Core takes no dependencies, and ML.NET's
/// trainers do not expose an exact closed-form ridge fit.</remarks>
public static class RidgeRegression
{
    /// <summary>Fits y ≈ b + Xβ minimising Σ wᵢ(yᵢ − b − xᵢβ)² + λ Σ (β_k s_k)², s_k the column's standard deviation.</summary>
    public static (double Intercept, double[] Coefficients) Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double lambda,
        IReadOnlyList<double>? weights = null)
    {
        var n = x.Count;
        if (n == 0) throw new ArgumentException("no rows", nameof(x));
        var p = x[0].Length;
        double W(int i) => weights?[i] ?? 1.0;
        var wSum = 0.0;
        var mean = new double[p];
        var yMean = 0.0;
        for (var i = 0; i < n; i++)
        {
            var w = W(i);
            wSum += w;
            yMean += w * y[i];
            for (var k = 0; k < p; k++) mean[k] += w * x[i][k];
        }
        yMean /= wSum;
        for (var k = 0; k < p; k++) mean[k] /= wSum;
        var sd = new double[p];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < p; k++) { var d = x[i][k] - mean[k]; sd[k] += W(i) * d * d; }
        for (var k = 0; k < p; k++) sd[k] = Math.Sqrt(sd[k] / wSum) is var s && s > 1e-12 ? s : 1;

        var a = new double[p, p];
        var b = new double[p];
        var z = new double[p];
        for (var i = 0; i < n; i++)
        {
            var w = W(i);
            for (var k = 0; k < p; k++) z[k] = (x[i][k] - mean[k]) / sd[k];
            var yc = y[i] - yMean;
            for (var k = 0; k < p; k++)
            {
                b[k] += w * z[k] * yc;
                for (var l = 0; l <= k; l++) a[k, l] += w * z[k] * z[l];
            }
        }
        for (var k = 0; k < p; k++)
        {
            for (var l = 0; l < k; l++) a[l, k] = a[k, l];
            a[k, k] += lambda * wSum + 1e-9 * wSum;
        }
        var beta = SolveSymmetric(a, b);
        var coefficients = new double[p];
        var intercept = yMean;
        for (var k = 0; k < p; k++)
        {
            coefficients[k] = beta[k] / sd[k];
            intercept -= coefficients[k] * mean[k];
        }
        return (intercept, coefficients);
    }

    /// <summary>
    /// Fits h = exp(b + Xβ) to realised variances σ² by minimising the mean QLIKE, Σ σ²/h + ln h (the Gamma
    /// quasi-likelihood with a log link), plus the same ridge penalty as <see cref="Fit"/>: Newton steps from the
    /// least-squares fit of ln σ², which converge in a handful of iterations. The forecast is then the conditional mean
    /// of σ² that QLIKE rewards, with no smearing step; under-prediction of spikes costs what it costs in the score.
    /// </summary>
    public static (double Intercept, double[] Coefficients) FitQlike(IReadOnlyList<double[]> x, IReadOnlyList<double> variance, double lambda,
        int maxIterations = 50)
    {
        var n = x.Count;
        var p = x[0].Length;
        var logs = variance.Select(v => Math.Log(Math.Max(v, RealizedMeasures.VarianceFloor))).ToList();
        var (b0, beta0) = Fit(x, logs, lambda);
        // Work on standardised columns (one penalty scale), with the intercept as column p.
        var mean = new double[p];
        var sd = new double[p];
        for (var k = 0; k < p; k++)
        {
            for (var i = 0; i < n; i++) mean[k] += x[i][k];
            mean[k] /= n;
            for (var i = 0; i < n; i++) sd[k] += (x[i][k] - mean[k]) * (x[i][k] - mean[k]);
            sd[k] = Math.Sqrt(sd[k] / n) is var s && s > 1e-12 ? s : 1;
        }
        var theta = new double[p + 1];
        theta[p] = b0;
        for (var k = 0; k < p; k++)
        {
            theta[k] = beta0[k] * sd[k];
            theta[p] += beta0[k] * mean[k];
        }
        var z = new double[p + 1];
        z[p] = 1;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var g = new double[p + 1];
            var h = new double[p + 1, p + 1];
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < p; k++) z[k] = (x[i][k] - mean[k]) / sd[k];
                var eta = 0.0;
                for (var k = 0; k <= p; k++) eta += theta[k] * z[k];
                var w = Math.Max(variance[i], 0) * Math.Exp(-eta);
                for (var k = 0; k <= p; k++)
                {
                    g[k] += (1 - w) * z[k];
                    for (var l = 0; l <= k; l++) h[k, l] += w * z[k] * z[l];
                }
            }
            for (var k = 0; k <= p; k++)
            {
                for (var l = 0; l < k; l++) h[l, k] = h[k, l];
                if (k < p)
                {
                    g[k] += lambda * n * theta[k];
                    h[k, k] += lambda * n;
                }
                h[k, k] += 1e-9 * n;
            }
            var step = SolveSymmetric(h, g);
            var size = 0.0;
            // Damped Newton: never move the linear predictor by more than 1 (a factor e) per iteration.
            var scale = 1.0;
            foreach (var s in step) size = Math.Max(size, Math.Abs(s));
            if (size > 1) scale = 1 / size;
            for (var k = 0; k <= p; k++) theta[k] -= scale * step[k];
            if (size * scale < 1e-8) break;
        }
        var coefficients = new double[p];
        var intercept = theta[p];
        for (var k = 0; k < p; k++)
        {
            coefficients[k] = theta[k] / sd[k];
            intercept -= coefficients[k] * mean[k];
        }
        return (intercept, coefficients);
    }

    /// <summary>Solves A x = b for a symmetric positive definite A (Cholesky).</summary>
    public static double[] SolveSymmetric(double[,] a, double[] b)
    {
        var p = b.Length;
        var l = new double[p, p];
        for (var i = 0; i < p; i++)
            for (var j = 0; j <= i; j++)
            {
                var s = a[i, j];
                for (var k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (s <= 0) throw new InvalidOperationException("matrix is not positive definite");
                    l[i, i] = Math.Sqrt(s);
                }
                else l[i, j] = s / l[j, j];
            }
        var y = new double[p];
        for (var i = 0; i < p; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++) s -= l[i, k] * y[k];
            y[i] = s / l[i, i];
        }
        var x = new double[p];
        for (var i = p - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < p; k++) s -= l[k, i] * x[k];
            x[i] = s / l[i, i];
        }
        return x;
    }
}
