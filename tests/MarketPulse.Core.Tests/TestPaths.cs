namespace MarketPulse.Tests;

/// <summary>
/// Finds files the tests read in place: the repository's own (models/, data/sample/) and the shared data sets,
/// which live beside the worktrees in ../shared/data and must never be copied into the repository (licences).
/// </summary>
public static class TestPaths
{
    public static string SharedData => FindUp("shared/data")
        ?? throw new DirectoryNotFoundException($"no folder 'shared/data' above {AppContext.BaseDirectory}; these tests read the shared data sets");

    public static string RepoRoot => FindUp("models/vader_lexicon.txt") is { } lexicon
        ? Path.GetDirectoryName(Path.GetDirectoryName(lexicon))!
        : throw new DirectoryNotFoundException($"no repository root (models/vader_lexicon.txt) above {AppContext.BaseDirectory}");

    public static string ShippedLexicon => Path.Combine(RepoRoot, "models", "vader_lexicon.txt");

    public static string Shared(params string[] parts) => Path.Combine([SharedData, .. parts]);

    private static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate) || File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
