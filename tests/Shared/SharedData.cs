namespace MarketPulse.Tests.Shared;

/// <summary>
/// Finds the shared data sets: the repository is checked out beside a <c>shared/</c> folder
/// (<c>/work/&lt;checkout&gt;</c> next to <c>/work/shared</c> locally, the same shape in CI), so the tests walk up
/// from their binaries. A missing folder fails the test loudly: these tests exist to run on the real data.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"No shared/data folder found in any ancestor of {AppContext.BaseDirectory}; check out the repository beside shared/.");
    }
}
