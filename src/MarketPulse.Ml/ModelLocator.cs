namespace MarketPulse.Ml;

/// <summary>
/// Where the shipped models are: the folder that <c>MarketPulse:Models:Path</c> names (default <c>models</c>). A relative
/// folder is looked for under the working directory first (a checkout, where <c>train</c> writes its models) and then
/// beside the executable (the copy a build or a published image carries); a file is taken from the first of them that
/// holds it. The silo, the gateway's models endpoint and the CLI all locate models here, so that they agree.
/// </summary>
public sealed class ModelLocator
{
    public const string DefaultPath = "models";

    /// <param name="path">The configured folder; null or blank: <see cref="DefaultPath"/>.</param>
    public ModelLocator(string? path = null) : this(path, Directory.GetCurrentDirectory(), AppContext.BaseDirectory)
    {
    }

    /// <param name="path">The configured folder; null or blank: <see cref="DefaultPath"/>.</param>
    /// <param name="roots">Where a relative <paramref name="path"/> is looked for, in order.</param>
    public ModelLocator(string? path, params string[] roots)
    {
        var configured = string.IsNullOrWhiteSpace(path) ? DefaultPath : path;
        Candidates = Path.IsPathRooted(configured)
            ? [Path.GetFullPath(configured)]
            : roots
                .Select(root => Path.GetFullPath(Path.Combine(root, configured)))
                .Distinct(StringComparer.Ordinal)
                .ToArray();
    }

    /// <summary>The folders looked in, in order.</summary>
    public IReadOnlyList<string> Candidates { get; }

    /// <summary>The first candidate folder that exists, else the first candidate (where a file was expected, for messages).</summary>
    public string Folder => Candidates.FirstOrDefault(Directory.Exists) ?? Candidates[0];

    /// <summary>The full path of <paramref name="file"/> in the first candidate that holds it; null when none does.</summary>
    public string? Find(string file) => Candidates.Select(dir => Path.Combine(dir, file)).FirstOrDefault(File.Exists);

    /// <summary>Where <paramref name="file"/> is, or where it would be looked for first: for optional models whose absence is logged.</summary>
    public string PathOf(string file) => Find(file) ?? Path.Combine(Folder, file);

    /// <summary>The folder holding <paramref name="file"/> (a model whose companions sit beside it); <see cref="FileNotFoundException"/> naming every candidate when none does.</summary>
    public string FolderOf(string file) => Path.GetDirectoryName(Require(file))!;

    /// <summary>The full path of <paramref name="file"/>; <see cref="FileNotFoundException"/> naming every candidate when none holds it.</summary>
    public string Require(string file) =>
        Find(file) ?? throw new FileNotFoundException($"no {file} in {string.Join(" or ", Candidates)}", Path.Combine(Folder, file));
}
