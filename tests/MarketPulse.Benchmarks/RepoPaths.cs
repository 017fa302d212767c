namespace MarketPulse.Benchmarks;

/// <summary>The checkout the benchmarks run from, for the shipped models (BenchmarkDotNet runs them from a generated
/// folder under bin/, so the repository is found by walking up).</summary>
internal static class RepoPaths
{
    public static string Models
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MarketPulse.sln"))) return Path.Combine(dir.FullName, "models");
            throw new DirectoryNotFoundException("repository root (MarketPulse.sln) not found above " + AppContext.BaseDirectory);
        }
    }
}
