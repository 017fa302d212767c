namespace MarketPulse.Ingestion.Lean;

/// <summary>Where a LEAN data folder keeps its US equity minute trade files (<c>equity/usa/minute/&lt;sym&gt;/YYYYMMDD_trade.zip</c>).</summary>
public static class LeanMinuteFiles
{
    /// <summary>The minute folder of the LEAN root, its <c>Data</c> folder, or the <c>minute</c> folder itself.</summary>
    /// <exception cref="InvalidDataException">The folder does not exist or holds no minute trade files.</exception>
    public static string FindRoot(string dir)
    {
        if (string.IsNullOrWhiteSpace(dir) || !Directory.Exists(dir)) throw new InvalidDataException($"directory '{dir}' does not exist");
        foreach (var candidate in new[] { Path.Combine(dir, "Data", "equity", "usa", "minute"), Path.Combine(dir, "equity", "usa", "minute"), dir })
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*_trade.zip", SearchOption.AllDirectories).Any())
                return candidate;
        throw new InvalidDataException($"'{dir}' has no LEAN minute trade files (equity/usa/minute/<sym>/YYYYMMDD_trade.zip)");
    }

    /// <summary>The trade files under a minute folder as (symbol in upper case, path), in path order.</summary>
    public static IEnumerable<(string Symbol, string Path)> TradeFiles(string minuteRoot) =>
        Directory.EnumerateFiles(minuteRoot, "*_trade.zip", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(f)!).ToUpperInvariant(), f));
}
