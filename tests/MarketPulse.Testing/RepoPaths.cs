namespace MarketPulse.Testing;

/// <summary>
/// The checkout the tests run from: the folder holding <c>MarketPulse.sln</c>, found by walking up from the test
/// binaries (BenchmarkDotNet and the CLI tests run from generated folders under <c>bin/</c>, so the binaries' own
/// folder is not enough). Tests read the shipped models and the bundled sample in place.
/// </summary>
public static class RepoPaths
{
    private const string Marker = "MarketPulse.sln";

    private static readonly Lazy<string> RootDir = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, Marker))) return dir.FullName;
        throw new DirectoryNotFoundException($"repository root ({Marker}) not found above {AppContext.BaseDirectory}");
    });

    public static string Root => RootDir.Value;

    /// <summary>A path inside the checkout, e.g. <c>Path("models", "price.onnx")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The shipped models folder (<c>models/</c>).</summary>
    public static string Models => Path("models");

    /// <summary>The shipped VADER lexicon.</summary>
    public static string ShippedLexicon => Path("models", "vader_lexicon.txt");

    /// <summary>A path inside the bundled sample (<c>data/sample/</c>), e.g. <c>Sample("stocknet", "StockTable")</c>.</summary>
    public static string Sample(params string[] parts) => Path(["data", "sample", .. parts]);
}
