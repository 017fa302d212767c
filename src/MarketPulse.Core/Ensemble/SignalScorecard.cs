namespace MarketPulse.Core.Ensemble;

/// <summary>
/// Running quality of one signal's probabilistic up/down predictions: hit rate, Brier score,
/// and reliability bins (mean forecast vs observed frequency per tenth of probability).
/// </summary>
public sealed class SignalScorecard
{
    public const int BinCount = 10;
    private readonly long[] _binCount = new long[BinCount];
    private readonly double[] _binForecast = new double[BinCount];
    private readonly double[] _binOutcome = new double[BinCount];

    public long Count { get; private set; }
    public long Hits { get; private set; }
    public double BrierSum { get; private set; }

    public double HitRate => Count == 0 ? double.NaN : (double)Hits / Count;
    public double Brier => Count == 0 ? double.NaN : BrierSum / Count;

    /// <summary>Scores one prediction (probability of "up") against whether the price went up.</summary>
    /// <returns>The Brier loss of this prediction, in [0, 1].</returns>
    public double Add(double probabilityUp, bool wentUp)
    {
        var y = wentUp ? 1.0 : 0.0;
        var loss = (probabilityUp - y) * (probabilityUp - y);
        Count++;
        if ((probabilityUp >= 0.5) == wentUp) Hits++;
        BrierSum += loss;
        var bin = Math.Clamp((int)(probabilityUp * BinCount), 0, BinCount - 1);
        _binCount[bin]++;
        _binForecast[bin] += probabilityUp;
        _binOutcome[bin] += y;
        return loss;
    }

    public IReadOnlyList<ReliabilityBin> Reliability()
    {
        var bins = new List<ReliabilityBin>(BinCount);
        for (var i = 0; i < BinCount; i++)
        {
            if (_binCount[i] == 0) continue;
            bins.Add(new ReliabilityBin(i / (double)BinCount, (i + 1) / (double)BinCount, _binCount[i],
                _binForecast[i] / _binCount[i], _binOutcome[i] / _binCount[i]));
        }
        return bins;
    }

    public ScorecardState Save() => new(Count, Hits, BrierSum, [.. _binCount], [.. _binForecast], [.. _binOutcome]);

    public static SignalScorecard Restore(ScorecardState? s)
    {
        var card = new SignalScorecard();
        if (s is null) return card;
        card.Count = s.Count;
        card.Hits = s.Hits;
        card.BrierSum = s.BrierSum;
        Array.Copy(s.BinCount, card._binCount, Math.Min(BinCount, s.BinCount.Length));
        Array.Copy(s.BinForecast, card._binForecast, Math.Min(BinCount, s.BinForecast.Length));
        Array.Copy(s.BinOutcome, card._binOutcome, Math.Min(BinCount, s.BinOutcome.Length));
        return card;
    }
}

public sealed record ReliabilityBin(double From, double To, long Count, double MeanForecast, double ObservedFrequency);

public sealed record ScorecardState(long Count, long Hits, double BrierSum, long[] BinCount, double[] BinForecast, double[] BinOutcome);
