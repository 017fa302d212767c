using System.IO.Compression;

namespace MarketPulse.Ingestion.Lean;

/// <summary>The single CSV inside a LEAN zip, opened as a decompressing stream (never extracted or buffered whole).</summary>
internal sealed class LeanZipEntry : IDisposable
{
    private readonly ZipArchive _archive;

    private LeanZipEntry(ZipArchive archive, ZipArchiveEntry entry)
    {
        _archive = archive;
        Name = entry.FullName;
        Stream = entry.Open();
    }

    public string Name { get; }
    public Stream Stream { get; }

    public static LeanZipEntry Open(string zipPath)
    {
        var archive = ZipFile.OpenRead(zipPath);
        try
        {
            var csv = archive.Entries.Where(e => e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).ToList();
            if (csv.Count != 1)
                throw new InvalidDataException($"{zipPath}: expected one CSV entry, found {csv.Count}.");
            return new LeanZipEntry(archive, csv[0]);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Stream.Dispose();
        _archive.Dispose();
    }
}
