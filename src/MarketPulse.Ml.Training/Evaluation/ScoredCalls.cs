using MarketPulse.Core.Evaluation;

namespace MarketPulse.Ml.Training.Evaluation;

/// <summary>
/// Every scored sample's calls by the signals of a backtest (NaN where a signal abstained), kept by target day so that
/// intervals and paired comparisons can resample whole days (<see cref="ClusterBootstrap"/>).
/// </summary>
public sealed class ScoredCalls(IReadOnlyList<string> signals)
{
    private readonly List<(DateOnly Target, bool Up, double[] P)> _calls = [];
    private List<IGrouping<DateOnly, (DateOnly Target, bool Up, double[] P)>>? _byDay;

    /// <param name="calls">One probability per signal, in the order given to the constructor.</param>
    public void Add(DateOnly target, bool up, double[] calls)
    {
        if (calls.Length != signals.Count) throw new ArgumentException($"expected {signals.Count} calls, got {calls.Length}", nameof(calls));
        _calls.Add((target, up, calls));
        _byDay = null;
    }

    public int Count => _calls.Count;

    /// <summary>Distinct target days: the clusters.</summary>
    public int Days => ByDay.Count;

    public double RiseFraction => _calls.Count == 0 ? 0 : _calls.Count(c => c.Up) / (double)_calls.Count;

    /// <summary>A signal's metrics with the day-clustered intervals added.</summary>
    public SignalResult Result(string signal, BinaryMetrics metrics)
    {
        var k = Index(signal);
        return SignalResult.From(metrics, [.. DayCounts(k, k).Select(d => d.A)]);
    }

    /// <summary>Signal <paramref name="a"/> against <paramref name="b"/> on the samples both called, days resampled jointly.</summary>
    public SignalComparison Compare(string a, string b) => SignalComparison.From(DayCounts(Index(a), Index(b)));

    private List<IGrouping<DateOnly, (DateOnly Target, bool Up, double[] P)>> ByDay =>
        _byDay ??= [.. _calls.GroupBy(x => x.Target).OrderBy(g => g.Key)];

    private int Index(string signal)
    {
        for (var k = 0; k < signals.Count; k++) if (signals[k] == signal) return k;
        throw new ArgumentException($"no signal {signal}", nameof(signal));
    }

    private List<(Confusion A, Confusion B)> DayCounts(int a, int b) => [.. ByDay.Select(g => g
        .Where(x => !double.IsNaN(x.P[a]) && !double.IsNaN(x.P[b]))
        .Aggregate((A: default(Confusion), B: default(Confusion)), (c, x) => (c.A.With(x.P[a], x.Up), c.B.With(x.P[b], x.Up))))];
}
