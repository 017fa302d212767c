namespace MarketPulse.Ml.Sentiment;

public static class ClassificationMetrics
{
    /// <summary>Accuracy and macro-averaged F1 from a confusion matrix [actual, predicted]; a class neither present nor predicted scores F1 = 0.</summary>
    public static (double Accuracy, double MacroF1) AccuracyAndMacroF1(int[,] confusion)
    {
        var classes = confusion.GetLength(0);
        int correct = 0, total = 0;
        double f1Sum = 0;
        for (var c = 0; c < classes; c++)
        {
            int tp = confusion[c, c], actual = 0, predicted = 0;
            for (var k = 0; k < classes; k++) { actual += confusion[c, k]; predicted += confusion[k, c]; }
            correct += tp;
            total += actual;
            f1Sum += actual + predicted == 0 ? 0 : 2.0 * tp / (actual + predicted);
        }
        return (total == 0 ? 0 : correct / (double)total, f1Sum / classes);
    }
}
