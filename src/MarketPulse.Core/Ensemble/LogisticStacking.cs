namespace MarketPulse.Core.Ensemble;

/// <summary>
/// Fixed, a-priori settings of <see cref="LogisticStacking"/> (not tuned on any evaluation period).
/// </summary>
/// <param name="PriorWeights">
/// The coefficients the fit is pulled towards, one per expert: 1 for an expert that is already a calibrated probability
/// and should be trusted as is until the outcomes say otherwise (the price model), 0 for the others.
/// </param>
/// <param name="PriorPrecision">
/// Strength of that pull (Gaussian prior precision λ, a ridge penalty λ/2·‖w − w₀‖² in log-loss units, bias included).
/// With expert logits of typical size 0.2–0.5 one outcome of weight 1 carries a Fisher information of about 0.01–0.06,
/// so λ = 10 means a few hundred to a thousand unit-weight outcomes outweigh the prior.
/// </param>
/// <param name="Window">The fit uses the most recent this many realised outcomes (older ones are forgotten).</param>
/// <param name="FitBias">
/// Whether the model has a free bias. Without one it cannot learn the recent base rate — which, pooled over tickers, is
/// mostly the last few market-wide moves and chased them on the train period's check.
/// </param>
/// <param name="WeighByDay">
/// Each outcome counts 1 / (outcomes of its target day): one trading day is one piece of evidence, however many tickers
/// closed on it (their moves are strongly correlated, mostly one market move).
/// </param>
/// <param name="Bias">
/// The bias the fit starts from (and keeps, without <paramref name="FitBias"/>): the logit of the long-run base rate, so
/// that with no expert trusted the ensemble says what the always-rise baseline says.
/// </param>
public sealed record StackingOptions(double[] PriorWeights, double PriorPrecision = 10, int Window = 10_000, bool FitBias = true,
    bool WeighByDay = false, double Bias = 0)
{
    /// <summary>Expert probabilities are clamped to [ε, 1 − ε] before taking their logit.</summary>
    public const double Epsilon = 0.01;
}

/// <summary>One realised outcome for the stacker: what each expert said (NaN = abstained) and what happened.</summary>
public sealed record StackingOutcome(DateOnly TargetDay, string Symbol, double[] Probabilities, bool WentUp);

/// <summary>The fitted stacker: P(up) = σ(bias + Σₖ coefficientₖ · logit(pₖ)); an abstaining expert adds nothing.</summary>
/// <param name="FittedBefore">Outcomes with target days before this day are in the fit (none after).</param>
/// <param name="Outcomes">How many outcomes the fit used.</param>
public sealed record StackingModel(double Bias, double[] Coefficients, DateOnly? FittedBefore, int Outcomes);

/// <summary>Everything <see cref="LogisticStacking"/> needs to continue where it was (persisted by the pooled grain).</summary>
public sealed record StackingState(List<StackingOutcome> Used, List<StackingOutcome> Pending, DateOnly? FittedBefore);

/// <summary>
/// Online logistic stacking over the experts' logits, pooled across tickers: the ensemble probability is a logistic
/// regression on logit(pₖ) of each expert, refitted (maximum a posteriori, Newton's method) on the realised outcomes only.
/// Unlike a convex (Hedge) mix it can ignore a useless expert, invert an anti-predictive one (negative coefficient),
/// and recalibrate (the bias learns the base rate, the scale of the coefficients the confidence).
/// </summary>
/// <remarks>
/// <para>Causality: an outcome is added when its target day closes, but only enters the fit used for predictions issued
/// at the close of a <i>later</i> day (<see cref="ModelFor"/> commits the outcomes with target day &lt; basis day). So
/// a prediction made at the close of day t uses outcomes realised at closes before t, whatever order the tickers of day
/// t arrive in — which makes live (one grain per ticker, concurrent) and backtest (tickers in a loop) compute the same.</para>
/// <para>Determinism: pending outcomes are committed in (target day, symbol) order, and every fit starts from the prior
/// and iterates Newton's method to convergence, so the model is a function of the committed outcomes only, not of how
/// often it was refitted.</para>
/// <para>Why hand-written: a 4-parameter ridge logistic regression refitted once per trading day; ML.NET's trainers
/// have no prior mean other than zero, no warm daily refit and would add a dependency to Core, which has none.</para>
/// </remarks>
public sealed class LogisticStacking
{
    private const int MaxIterations = 50;
    private const double Tolerance = 1e-12;

    private readonly StackingOptions _options;
    private readonly List<StackingOutcome> _used = [];
    private readonly List<StackingOutcome> _pending = [];
    private StackingModel _model;

    public LogisticStacking(StackingOptions options, StackingState? state = null)
    {
        if (options.PriorWeights.Length == 0) throw new ArgumentException("at least one expert", nameof(options));
        if (!(options.PriorPrecision > 0)) throw new ArgumentOutOfRangeException(nameof(options), "prior precision must be > 0");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Window, 1);
        _options = options;
        _model = new StackingModel(options.Bias, [.. options.PriorWeights], null, 0);
        if (state is null) return;
        _used.AddRange(state.Used);
        _pending.AddRange(state.Pending);
        _model = Fit(state.FittedBefore);
    }

    public int Experts => _options.PriorWeights.Length;
    public StackingOptions Options => _options;
    public StackingModel Current => _model;
    public int PendingCount => _pending.Count;

    /// <summary>Records one realised outcome (used from the next basis day after its target day on).</summary>
    public void Add(StackingOutcome outcome)
    {
        if (outcome.Probabilities.Length != Experts) throw new ArgumentException("one probability per expert", nameof(outcome));
        _pending.Add(outcome);
    }

    /// <summary>
    /// The model for predictions issued at the close of <paramref name="basisDay"/>: every pending outcome whose target
    /// day is before it is committed (in target day, symbol order) and the coefficients are refitted; outcomes of that
    /// day or later stay pending.
    /// </summary>
    public StackingModel ModelFor(DateOnly basisDay)
    {
        var due = _pending.Where(o => o.TargetDay < basisDay).ToList();
        if (due.Count == 0) return _model;
        _pending.RemoveAll(o => o.TargetDay < basisDay);
        due.Sort((a, b) => a.TargetDay != b.TargetDay ? a.TargetDay.CompareTo(b.TargetDay) : string.CompareOrdinal(a.Symbol, b.Symbol));
        _used.AddRange(due);
        if (_used.Count > _options.Window) _used.RemoveRange(0, _used.Count - _options.Window);
        var fittedBefore = _model.FittedBefore is { } f && f > basisDay ? f : basisDay;
        _model = Fit(fittedBefore);
        return _model;
    }

    public StackingState Save() => new([.. _used], [.. _pending], _model.FittedBefore);

    /// <summary>The expert's input to the regression: its logit, 0 when it abstained (NaN).</summary>
    public static double Feature(double probability) =>
        double.IsNaN(probability) ? 0 : Logit(Math.Clamp(probability, StackingOptions.Epsilon, 1 - StackingOptions.Epsilon));

    /// <summary>P(up) of the model for these expert probabilities; with <paramref name="explanation"/>, each expert's part.</summary>
    /// <remarks>
    /// An expert's <see cref="MixContribution.Weight"/> is its share of the total absolute pull |cₖ·xₖ| summed over the
    /// experts that spoke (so the weights of one prediction sum to 1 and show who drove it, whatever the sign), and its
    /// <see cref="MixContribution.Contribution"/> is how far P(up) moves because of it: p − σ(z − cₖ·xₖ).
    /// </remarks>
    public static double Predict(StackingModel model, ReadOnlySpan<double> probabilities, List<MixContribution>? explanation = null)
    {
        if (probabilities.Length != model.Coefficients.Length) throw new ArgumentException("one probability per expert", nameof(probabilities));
        var z = model.Bias;
        for (var k = 0; k < probabilities.Length; k++) z += model.Coefficients[k] * Feature(probabilities[k]);
        var p = Sigmoid(z);
        if (explanation is null) return p;
        var pull = 0.0;
        for (var k = 0; k < probabilities.Length; k++)
            if (!double.IsNaN(probabilities[k])) pull += Math.Abs(model.Coefficients[k] * Feature(probabilities[k]));
        var spoke = 0;
        for (var k = 0; k < probabilities.Length; k++) if (!double.IsNaN(probabilities[k])) spoke++;
        for (var k = 0; k < probabilities.Length; k++)
        {
            if (double.IsNaN(probabilities[k])) continue;
            var term = model.Coefficients[k] * Feature(probabilities[k]);
            var share = pull > 0 ? Math.Abs(term) / pull : 1.0 / spoke;
            explanation.Add(new MixContribution(k, share, probabilities[k], p - Sigmoid(z - term)));
        }
        return p;
    }

    /// <summary>The share of each expert in the model's coefficients (|cₖ| / Σ|c|), for "weight per signal" displays.</summary>
    public static double[] CoefficientShares(StackingModel model)
    {
        var sum = model.Coefficients.Sum(Math.Abs);
        return [.. model.Coefficients.Select(c => sum > 0 ? Math.Abs(c) / sum : 1.0 / model.Coefficients.Length)];
    }

    /// <summary>MAP fit by Newton's method from the prior: minimises Σ log-loss + λ/2·(‖w − w₀‖² + b²).</summary>
    private StackingModel Fit(DateOnly? fittedBefore)
    {
        var k = Experts;
        var d = k + 1; // bias first
        var prior = new double[d];
        prior[0] = _options.Bias;
        Array.Copy(_options.PriorWeights, 0, prior, 1, k);
        var theta = (double[])prior.Clone();
        var n = _used.Count;
        if (n == 0) return new StackingModel(_options.Bias, [.. _options.PriorWeights], fittedBefore, 0);
        var x = new double[n * d];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i * d] = 1;
            for (var j = 0; j < k; j++) x[i * d + 1 + j] = Feature(_used[i].Probabilities[j]);
            y[i] = _used[i].WentUp ? 1 : 0;
        }
        var rowWeight = new double[n];
        if (_options.WeighByDay)
        {
            var perDay = new Dictionary<DateOnly, int>();
            foreach (var o in _used) perDay[o.TargetDay] = perDay.GetValueOrDefault(o.TargetDay) + 1;
            for (var i = 0; i < n; i++) rowWeight[i] = 1.0 / perDay[_used[i].TargetDay];
        }
        else Array.Fill(rowWeight, 1.0);
        var lambdas = new double[d];
        Array.Fill(lambdas, _options.PriorPrecision);
        var grad = new double[d];
        var hess = new double[d * d];
        for (var iter = 0; iter < MaxIterations; iter++)
        {
            for (var a = 0; a < d; a++)
            {
                grad[a] = lambdas[a] * (theta[a] - prior[a]);
                for (var b = 0; b < d; b++) hess[a * d + b] = a == b ? lambdas[a] : 0;
            }
            for (var i = 0; i < n; i++)
            {
                var z = 0.0;
                for (var a = 0; a < d; a++) z += theta[a] * x[i * d + a];
                var p = Sigmoid(z);
                var r = (p - y[i]) * rowWeight[i];
                var w = p * (1 - p) * rowWeight[i];
                for (var a = 0; a < d; a++)
                {
                    var xa = x[i * d + a];
                    grad[a] += r * xa;
                    for (var b = 0; b <= a; b++) hess[a * d + b] += w * xa * x[i * d + b];
                }
            }
            for (var a = 0; a < d; a++) for (var b = a + 1; b < d; b++) hess[a * d + b] = hess[b * d + a];
            if (!_options.FitBias)
            {
                // The bias stays at its prior: no gradient, and a unit row/column so the system stays solvable.
                grad[0] = 0;
                for (var a = 0; a < d; a++) hess[a] = hess[a * d] = 0;
                hess[0] = 1;
            }
            var step = SolveSpd(hess, grad, d);
            var size = 0.0;
            for (var a = 0; a < d; a++)
            {
                theta[a] -= step[a];
                size = Math.Max(size, Math.Abs(step[a]));
            }
            if (size < Tolerance) break;
        }
        return new StackingModel(theta[0], theta[1..], fittedBefore, n);
    }

    /// <summary>Solves H·s = g for a symmetric positive definite H (Cholesky; H is (k+1)² with k experts).</summary>
    private static double[] SolveSpd(double[] h, double[] g, int d)
    {
        var l = new double[d * d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j <= i; j++)
            {
                var sum = h[i * d + j];
                for (var m = 0; m < j; m++) sum -= l[i * d + m] * l[j * d + m];
                l[i * d + j] = i == j ? Math.Sqrt(sum) : sum / l[j * d + j];
            }
        var z = new double[d];
        for (var i = 0; i < d; i++)
        {
            var sum = g[i];
            for (var m = 0; m < i; m++) sum -= l[i * d + m] * z[m];
            z[i] = sum / l[i * d + i];
        }
        var s = new double[d];
        for (var i = d - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var m = i + 1; m < d; m++) sum -= l[m * d + i] * s[m];
            s[i] = sum / l[i * d + i];
        }
        return s;
    }

    public static double Logit(double p) => Math.Log(p / (1 - p));

    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
