using System.Buffers;

namespace MarketPulse.Ingestion.Lean;

/// <summary>
/// Splits a stream into lines without decoding to strings: LEAN rows are ASCII numbers, and turning 300k ticks a
/// day into strings would cost more than parsing them. Memory is one pooled buffer, whatever the file size.
/// </summary>
internal sealed class LeanCsvLines : IDisposable
{
    private const int BufferSize = 1 << 16;
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _start;
    private int _end;
    private bool _eof;

    public LeanCsvLines(Stream stream, string fileName, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        FileName = fileName;
    }

    public string FileName { get; }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes consumed so far, for throughput figures.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Next line without its terminator (LF or CRLF); <c>tooLong</c> when a line exceeds the buffer and was skipped.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = pending[..newline];
                _start += newline + 1;
                BytesRead += newline + 1;
                LineNumber++;
                if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
                return true;
            }
            if (_eof)
            {
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }
                line = pending;
                _start = _end;
                BytesRead += pending.Length;
                LineNumber++;
                if (line[^1] == (byte)'\r') line = line[..^1];
                return true;
            }
            if (_start == 0 && _end == _buffer.Length)
            {
                // A line longer than 64 KiB is no LEAN row; drop it up to its newline and report it.
                tooLong = true;
                _start = _end;
                SkipToNewline();
                BytesRead += _buffer.Length;
                LineNumber++;
                line = default;
                return true;
            }
            Fill();
        }
    }

    private void SkipToNewline()
    {
        while (true)
        {
            _start = 0;
            _end = _stream.Read(_buffer, 0, _buffer.Length);
            if (_end == 0)
            {
                _eof = true;
                return;
            }
            var newline = _buffer.AsSpan(0, _end).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start = newline + 1;
                return;
            }
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    public void Dispose()
    {
        if (_ownsStream) _stream.Dispose();
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
