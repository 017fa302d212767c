using MarketPulse.Core.Configuration;

namespace MarketPulse.Server.Hosting;

/// <summary>The data directory replayed on start (<c>MarketPulse:Replay</c>).</summary>
public sealed class ReplaySettings
{
    public bool Enabled { get; set; } = true;
    [NotBlank] public string Name { get; set; } = "stocknet";
    [NotBlank] public string Path { get; set; } = "data/sample/stocknet";

    /// <summary>Replay clock speed: simulated seconds per real second (43,200 = half a day per second).</summary>
    [Positive] public double Speed { get; set; } = 43_200;

    /// <summary>History sent at once on start so that indicators are warm within seconds.</summary>
    [NonNegative] public double WarmUpDays { get; set; } = 45;

    public bool Loop { get; set; } = true;
}
