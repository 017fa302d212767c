namespace MarketPulse.Core.Signals;

/// <summary>
/// The first price signal: a fixed rule, not a trained model. Probability of "up" rises with the gap between
/// the 12- and 26-day EMAs measured in units of recent daily volatility, damped when RSI is stretched.
/// Bounded to [0.35, 0.65] because a rule this simple has no business being more confident.
/// </summary>
public static class MomentumRule
{
    public const string Name = "rule.momentum";

    public static double ProbabilityUp(double emaFast, double emaSlow, double rsi, double dailyVolatility)
    {
        if (double.IsNaN(emaFast) || double.IsNaN(emaSlow) || emaSlow <= 0) return double.NaN;
        var vol = double.IsNaN(dailyVolatility) || dailyVolatility <= 0 ? 0.02 : dailyVolatility;
        var z = (emaFast / emaSlow - 1) / vol;
        if (!double.IsNaN(rsi))
        {
            // Overbought/oversold readings argue against continuation.
            if (rsi > 70) z -= (rsi - 70) / 30;
            else if (rsi < 30) z += (30 - rsi) / 30;
        }
        return 0.5 + 0.15 * Math.Tanh(z);
    }
}
