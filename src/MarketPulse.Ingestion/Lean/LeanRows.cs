namespace MarketPulse.Ingestion.Lean;

/// <summary>
/// What every LEAN reader does around its own row parser: owns the line source (and the zip it came from), skips blank
/// lines, rejects over-long ones, and counts and reports each rejection with file and line number.
/// </summary>
internal sealed class LeanRows : IDisposable
{
    private readonly LeanCsvLines _lines;
    private readonly LeanZipEntry? _zip;
    private readonly Action<LeanRowRejection> _onRejected;

    public LeanRows(Stream csv, string fileName, Action<LeanRowRejection> onRejected, LeanZipEntry? zip)
    {
        ArgumentNullException.ThrowIfNull(onRejected);
        _lines = new LeanCsvLines(csv, fileName, ownsStream: true);
        _zip = zip;
        _onRejected = onRejected;
    }

    public long Rejected { get; private set; }
    public long BytesRead => _lines.BytesRead;
    public long LineNumber => _lines.LineNumber;

    /// <summary>The next non-blank line; a line longer than the buffer is rejected and skipped.</summary>
    public bool TryNext(out ReadOnlySpan<byte> line)
    {
        while (_lines.TryReadLine(out line, out var tooLong))
        {
            if (tooLong)
            {
                Reject("line too long");
                continue;
            }
            if (!line.IsEmpty) return true;
        }
        return false;
    }

    public void Reject(string reason)
    {
        Rejected++;
        _onRejected(new LeanRowRejection(_lines.FileName, _lines.LineNumber, reason));
    }

    public void Dispose()
    {
        _lines.Dispose();
        _zip?.Dispose();
    }
}
