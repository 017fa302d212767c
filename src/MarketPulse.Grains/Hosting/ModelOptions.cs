using MarketPulse.Core.Configuration;

namespace MarketPulse.Grains.Hosting;

/// <summary>Settings under <c>MarketPulse:Models</c>.</summary>
public sealed class ModelOptions
{
    public const string Section = "MarketPulse:Models";

    /// <summary>Folder with the shipped models; relative paths are tried against the working directory, then the app folder.</summary>
    [NotBlank] public string Path { get; set; } = "models";
}
