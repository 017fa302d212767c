namespace MarketPulse.Testing;

/// <summary>
/// The public data sets the larger tests read in place (StockNet, LEAN, Financial PhraseBank, Loughran–McDonald,
/// VADER's ground truth, Benzinga headlines). They are not in the repository (their licences), but in a
/// <c>shared/data</c> folder beside the checkout, or wherever <c>MARKETPULSE_SHARED_DATA</c> points; the README says
/// where each comes from. Tests that read them carry <see cref="SharedDataFactAttribute"/> or
/// <see cref="SharedDataTheoryAttribute"/>: skipped, naming the set, when it is absent; run (and failing on the missing
/// folder) when <c>CI</c> is set.
/// </summary>
public static class SharedData
{
    public const string EnvironmentVariable = "MARKETPULSE_SHARED_DATA";

    private static readonly Lazy<string> RootDir = new(() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured
            ? System.IO.Path.GetFullPath(configured)
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoPaths.Root, "..", "shared", "data")));

    /// <summary>Where the data sets are looked for (whether or not it exists).</summary>
    public static string Root => RootDir.Value;

    /// <summary>Whether the named data set (a folder under <see cref="Root"/>, e.g. <c>stocknet</c>) is present.</summary>
    public static bool Has(string set) => Directory.Exists(System.IO.Path.Combine(Root, set));

    /// <summary>
    /// A path inside the data sets, e.g. <c>Path("stocknet", "price", "raw", "AAPL.csv")</c>; the first part names the
    /// set. Throws when that set is absent, saying where it was looked for.
    /// </summary>
    public static string Path(params string[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException("name the data set", nameof(parts));
        if (!Has(parts[0]))
            throw new DirectoryNotFoundException(
                $"shared data set '{parts[0]}' not found at {System.IO.Path.Combine(Root, parts[0])}; put the data sets in " +
                $"a shared/data folder beside the checkout or set {EnvironmentVariable} (README: Data sets)");
        return System.IO.Path.Combine([Root, .. parts]);
    }

    /// <summary>The skip reason for a test that needs <paramref name="sets"/>, or null when it runs.</summary>
    public static string? SkipReason(IEnumerable<string> sets)
    {
        var missing = sets.Where(s => !Has(s)).ToList();
        return TestEnvironment.SkipUnless(missing.Count == 0,
            $"needs the shared data set{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}, not found under {Root} (README: Data sets)");
    }
}

/// <summary>A fact that reads the named shared data sets: skipped when one is absent and <c>CI</c> is unset.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(params string[] sets)
    {
        if (SharedData.SkipReason(sets) is { } reason) Skip = reason;
    }
}

/// <summary>A theory that reads the named shared data sets: skipped (its data not enumerated) when one is absent and
/// <c>CI</c> is unset.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute(params string[] sets)
    {
        if (SharedData.SkipReason(sets) is { } reason) Skip = reason;
    }
}
