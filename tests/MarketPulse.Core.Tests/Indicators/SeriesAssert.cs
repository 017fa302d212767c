namespace MarketPulse.Core.Tests.Indicators;

public static class SeriesAssert
{
    /// <summary>
    /// Checks step by step that <paramref name="actual"/> is defined exactly where <paramref name="expected"/> is and
    /// agrees within <paramref name="relative"/> of its magnitude, plus <paramref name="absolute"/> for values that
    /// are themselves differences of large numbers and so near zero (MACD, returns, z-scores on flat windows).
    /// </summary>
    public static void Matches(string what, double[] expected, double[] actual, double relative = 1e-9, double absolute = 0)
    {
        Assert.Equal(expected.Length, actual.Length);
        var checkedValues = 0;
        for (var t = 0; t < expected.Length; t++)
        {
            if (double.IsNaN(expected[t]))
            {
                Assert.True(double.IsNaN(actual[t]), $"{what}[{t}]: expected undefined, got {actual[t]:R}");
                continue;
            }
            var tolerance = relative * Math.Max(Math.Abs(expected[t]), Math.Abs(actual[t])) + absolute;
            Assert.True(Math.Abs(expected[t] - actual[t]) <= tolerance,
                $"{what}[{t}]: expected {expected[t]:R}, got {actual[t]:R} (diff {Math.Abs(expected[t] - actual[t]):E3}, tolerance {tolerance:E3})");
            checkedValues++;
        }
        Assert.True(checkedValues > 0, $"{what}: no defined value was compared");
    }
}
