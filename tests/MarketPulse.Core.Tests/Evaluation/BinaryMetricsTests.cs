using MarketPulse.Core.Evaluation;

namespace MarketPulse.Core.Tests.Evaluation;

public class BinaryMetricsTests
{
    [Fact]
    public void Accuracy_and_mcc_match_the_confusion_matrix_formula()
    {
        var m = new BinaryMetrics();
        // tp=3, fn=1, fp=2, tn=4
        for (var i = 0; i < 3; i++) m.Add(0.8, true);
        m.Add(0.2, true);
        for (var i = 0; i < 2; i++) m.Add(0.6, false);
        for (var i = 0; i < 4; i++) m.Add(0.3, false);
        Assert.Equal(0.7, m.Accuracy, 12);
        var expected = (3.0 * 4 - 2.0 * 1) / Math.Sqrt(5.0 * 4 * 6 * 5);
        Assert.Equal(expected, m.Mcc, 12);
    }

    [Fact]
    public void Mcc_is_zero_when_one_class_is_never_predicted()
    {
        var m = new BinaryMetrics();
        m.Add(0.9, true);
        m.Add(0.9, false);
        Assert.Equal(0, m.Mcc);
        Assert.Equal(0.5, m.Accuracy);
    }
}
