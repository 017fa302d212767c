namespace MarketPulse.Core.Ensemble;

/// <summary>
/// Online weights over a fixed set of experts by the Hedge rule with a fixed-share floor:
/// after each realised outcome w_i ← w_i·exp(−η·loss_i), renormalised, then mixed with the uniform
/// distribution by <c>share</c> so that an expert that was bad for a while can regain weight when it turns good.
/// Losses must be in [0, 1] (the Brier score of a probability is).
/// </summary>
public sealed class HedgeWeights
{
    private readonly double[] _weights;

    public HedgeWeights(int experts, double learningRate = 2.0, double share = 0.02)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        if (learningRate <= 0) throw new ArgumentOutOfRangeException(nameof(learningRate));
        if (share is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(share));
        _weights = new double[experts];
        Array.Fill(_weights, 1.0 / experts);
        LearningRate = learningRate;
        Share = share;
    }

    public HedgeWeights(IReadOnlyList<double> weights, double learningRate = 2.0, double share = 0.02)
        : this(weights.Count, learningRate, share)
    {
        var sum = weights.Sum();
        for (var i = 0; i < _weights.Length; i++) _weights[i] = sum > 0 ? weights[i] / sum : 1.0 / _weights.Length;
    }

    public double LearningRate { get; }
    public double Share { get; }
    public IReadOnlyList<double> Weights => _weights;
    public long Updates { get; private set; }

    /// <summary>Combines expert probabilities; experts with NaN (no opinion) are left out and the rest renormalised.</summary>
    public double Combine(ReadOnlySpan<double> probabilities)
    {
        if (probabilities.Length != _weights.Length) throw new ArgumentException("one probability per expert", nameof(probabilities));
        double num = 0, den = 0;
        for (var i = 0; i < _weights.Length; i++)
        {
            if (double.IsNaN(probabilities[i])) continue;
            num += _weights[i] * probabilities[i];
            den += _weights[i];
        }
        return den > 0 ? num / den : 0.5;
    }

    /// <summary>
    /// Updates from one outcome. An expert with NaN loss (it abstained) is charged the weighted mean loss of those
    /// that spoke, the "sleeping experts" rule, so abstaining neither gains nor loses it weight relative to the mix.
    /// </summary>
    public void Update(ReadOnlySpan<double> losses)
    {
        if (losses.Length != _weights.Length) throw new ArgumentException("one loss per expert", nameof(losses));
        double activeWeight = 0, activeLoss = 0;
        for (var i = 0; i < _weights.Length; i++)
        {
            if (double.IsNaN(losses[i])) continue;
            if (losses[i] is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(losses), "losses must be in [0, 1]");
            activeWeight += _weights[i];
            activeLoss += _weights[i] * losses[i];
        }
        if (activeWeight == 0) return;
        var meanLoss = activeLoss / activeWeight;
        double sum = 0;
        for (var i = 0; i < _weights.Length; i++)
        {
            var loss = double.IsNaN(losses[i]) ? meanLoss : losses[i];
            _weights[i] *= Math.Exp(-LearningRate * loss);
            sum += _weights[i];
        }
        var uniform = 1.0 / _weights.Length;
        for (var i = 0; i < _weights.Length; i++) _weights[i] = (1 - Share) * (_weights[i] / sum) + Share * uniform;
        Updates++;
    }
}
