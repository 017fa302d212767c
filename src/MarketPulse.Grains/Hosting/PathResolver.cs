namespace MarketPulse.Grains.Hosting;

public static class PathResolver
{
    /// <summary>Resolves a relative path against the working directory, then the repository layout, then the application folder.</summary>
    public static string Resolve(string path)
    {
        if (System.IO.Path.IsPathRooted(path)) return path;
        foreach (var root in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, path));
            if (Directory.Exists(candidate) || File.Exists(candidate)) return candidate;
        }
        return System.IO.Path.GetFullPath(path);
    }
}
