using MarketPulse.Core.Configuration;

namespace MarketPulse.Grains.Hosting;

/// <summary>Settings under <c>MarketPulse:Models</c>.</summary>
public sealed class ModelOptions
{
    public const string Section = "MarketPulse:Models";

    /// <summary>Folder with the shipped models; a relative one is looked for under the working directory, then beside the executable (<see cref="MarketPulse.Ml.ModelLocator"/>).</summary>
    [NotBlank] public string Path { get; set; } = MarketPulse.Ml.ModelLocator.DefaultPath;
}
