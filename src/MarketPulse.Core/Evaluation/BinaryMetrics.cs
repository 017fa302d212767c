namespace MarketPulse.Core.Evaluation;

/// <summary>Up(1)/down(0) confusion counts, with the accuracy and Matthews correlation they imply. Counts add.</summary>
public readonly record struct Confusion(long TruePositive, long TrueNegative, long FalsePositive, long FalseNegative)
{
    public long Count => TruePositive + TrueNegative + FalsePositive + FalseNegative;

    /// <summary>These counts plus one call (up when <paramref name="probabilityUp"/> ≥ 0.5).</summary>
    public Confusion With(double probabilityUp, bool actualUp) => (probabilityUp >= 0.5, actualUp) switch
    {
        (true, true) => this with { TruePositive = TruePositive + 1 },
        (true, false) => this with { FalsePositive = FalsePositive + 1 },
        (false, true) => this with { FalseNegative = FalseNegative + 1 },
        _ => this with { TrueNegative = TrueNegative + 1 },
    };

    public static Confusion operator +(Confusion a, Confusion b) => new(a.TruePositive + b.TruePositive, a.TrueNegative + b.TrueNegative,
        a.FalsePositive + b.FalsePositive, a.FalseNegative + b.FalseNegative);

    public double Accuracy => Count == 0 ? double.NaN : (double)(TruePositive + TrueNegative) / Count;

    /// <summary>Matthews correlation; 0 when any margin is empty (the usual convention, e.g. scikit-learn).</summary>
    public double Mcc
    {
        get
        {
            double tp = TruePositive, tn = TrueNegative, fp = FalsePositive, fn = FalseNegative;
            var den = Math.Sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
            return den == 0 ? 0 : (tp * tn - fp * fn) / den;
        }
    }
}

/// <summary>Confusion counts for up(1)/down(0) predictions, with accuracy, Matthews correlation and Brier score.</summary>
public sealed class BinaryMetrics
{
    private double _brierSum;

    public Confusion Confusion { get; private set; }
    public long TruePositive => Confusion.TruePositive;
    public long TrueNegative => Confusion.TrueNegative;
    public long FalsePositive => Confusion.FalsePositive;
    public long FalseNegative => Confusion.FalseNegative;
    public long Count => Confusion.Count;

    public void Add(double probabilityUp, bool actualUp)
    {
        Confusion = Confusion.With(probabilityUp, actualUp);
        var y = actualUp ? 1.0 : 0.0;
        _brierSum += (probabilityUp - y) * (probabilityUp - y);
    }

    public double Accuracy => Confusion.Accuracy;

    public double Brier => Count == 0 ? double.NaN : _brierSum / Count;

    /// <inheritdoc cref="Confusion.Mcc"/>
    public double Mcc => Confusion.Mcc;
}
