namespace MarketPulse.Core.Forecasting;

/// <summary>One training row of a pooled panel regression: the group (ticker), its inputs and the target.</summary>
public readonly record struct PanelRow(string Group, double[] X, double Y);

/// <summary>
/// The HAR baseline (Corsi 2009) as the field fits it on a panel: OLS of ln σ²ₜ₊₁ on ln σ²ₜ and the means of ln σ² over
/// the last 5 and 22 days, pooled over tickers with a per-ticker intercept (the within estimator); also used on
/// ln volume. A ticker the fit has not seen gets the pooled intercept. Forecasts of the level carry the smearing factor
/// of the training residuals.
/// </summary>
public sealed class HarModel
{
    /// <summary>The HAR regressors among <see cref="ForecastFeatures"/> for variance, and for volume.</summary>
    public static readonly string[] VarianceInputs = ["lv_d", "lv_w", "lv_m"];
    public static readonly string[] VolumeInputs = ["lvol_d", "lvol_w", "lvol_m"];

    private readonly Dictionary<string, double> _intercepts;

    public double[] Slopes { get; }
    public double PooledIntercept { get; }
    public double Smearing { get; }
    public int Rows { get; }
    public string[] Inputs { get; }
    private readonly int[] _indices;

    private HarModel(string[] inputs, double[] slopes, double pooled, Dictionary<string, double> intercepts, double smearing, int rows)
    {
        Inputs = inputs;
        _indices = inputs.Select(ForecastFeatures.IndexOf).ToArray();
        Slopes = slopes;
        PooledIntercept = pooled;
        _intercepts = intercepts;
        Smearing = smearing;
        Rows = rows;
    }

    /// <summary>Fits on rows whose X are the <paramref name="inputs"/> columns (in that order).</summary>
    public static HarModel Fit(string[] inputs, IReadOnlyList<PanelRow> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows", nameof(rows));
        var p = inputs.Length;
        // Within transformation: demean y and X per group, OLS through the origin on the demeaned data.
        var groups = new Dictionary<string, (double[] Sx, double Sy, int N)>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (!groups.TryGetValue(r.Group, out var g)) g = (new double[p], 0, 0);
            for (var k = 0; k < p; k++) g.Sx[k] += r.X[k];
            groups[r.Group] = (g.Sx, g.Sy + r.Y, g.N + 1);
        }
        var a = new double[p, p];
        var b = new double[p];
        var d = new double[p];
        foreach (var r in rows)
        {
            var g = groups[r.Group];
            for (var k = 0; k < p; k++) d[k] = r.X[k] - g.Sx[k] / g.N;
            var dy = r.Y - g.Sy / g.N;
            for (var k = 0; k < p; k++)
            {
                b[k] += d[k] * dy;
                for (var l = 0; l < p; l++) a[k, l] += d[k] * d[l];
            }
        }
        for (var k = 0; k < p; k++) a[k, k] += 1e-9 * rows.Count;
        var slopes = RidgeRegression.SolveSymmetric(a, b);
        var intercepts = new Dictionary<string, double>(StringComparer.Ordinal);
        double pooledSum = 0;
        foreach (var (group, g) in groups)
        {
            var c = g.Sy / g.N;
            for (var k = 0; k < p; k++) c -= slopes[k] * g.Sx[k] / g.N;
            intercepts[group] = c;
            pooledSum += c * g.N;
        }
        var smear = 0.0;
        foreach (var r in rows)
        {
            var fit = intercepts[r.Group];
            for (var k = 0; k < p; k++) fit += slopes[k] * r.X[k];
            smear += Math.Exp(r.Y - fit);
        }
        return new HarModel(inputs, slopes, pooledSum / rows.Count, intercepts, smear / rows.Count, rows.Count);
    }

    /// <summary>The prediction of the logarithm for <paramref name="group"/> from all <see cref="ForecastFeatures"/>.</summary>
    public double PredictLog(string group, ReadOnlySpan<double> features)
    {
        var y = _intercepts.TryGetValue(group, out var c) ? c : PooledIntercept;
        for (var k = 0; k < _indices.Length; k++) y += Slopes[k] * features[_indices[k]];
        return y;
    }

    public double PredictLevel(string group, ReadOnlySpan<double> features) => Math.Exp(PredictLog(group, features)) * Smearing;

    /// <summary>The pooled model (one intercept for all tickers) as a <see cref="LinearLogModel"/>, for serving.</summary>
    public LinearLogModel Pooled() => new(Inputs, PooledIntercept, Slopes, Smearing);
}
