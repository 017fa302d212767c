namespace MarketPulse.Core.Evaluation;

/// <summary>Confusion counts for up(1)/down(0) predictions, with accuracy, Matthews correlation and Brier score.</summary>
public sealed class BinaryMetrics
{
    public long TruePositive { get; private set; }
    public long TrueNegative { get; private set; }
    public long FalsePositive { get; private set; }
    public long FalseNegative { get; private set; }
    private double _brierSum;

    public long Count => TruePositive + TrueNegative + FalsePositive + FalseNegative;

    public void Add(double probabilityUp, bool actualUp)
    {
        var predictedUp = probabilityUp >= 0.5;
        if (predictedUp && actualUp) TruePositive++;
        else if (predictedUp) FalsePositive++;
        else if (actualUp) FalseNegative++;
        else TrueNegative++;
        var y = actualUp ? 1.0 : 0.0;
        _brierSum += (probabilityUp - y) * (probabilityUp - y);
    }

    public double Accuracy => Count == 0 ? double.NaN : (double)(TruePositive + TrueNegative) / Count;

    public double Brier => Count == 0 ? double.NaN : _brierSum / Count;

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
