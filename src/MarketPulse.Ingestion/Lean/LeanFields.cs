using System.Buffers.Text;

namespace MarketPulse.Ingestion.Lean;

/// <summary>Reads comma-separated fields of one LEAN row in order; each method fails rather than throws.</summary>
internal ref struct LeanFields(ReadOnlySpan<byte> line)
{
    private ReadOnlySpan<byte> _rest = line;
    private bool _done;

    public bool TryNext(out ReadOnlySpan<byte> field)
    {
        if (_done)
        {
            field = default;
            return false;
        }
        var comma = _rest.IndexOf((byte)',');
        if (comma < 0)
        {
            field = _rest;
            _done = true;
            return true;
        }
        field = _rest[..comma];
        _rest = _rest[(comma + 1)..];
        return true;
    }

    public bool TryNextInt64(out long value)
    {
        value = 0;
        return TryNext(out var field) && Utf8Parser.TryParse(field, out value, out var used) && used == field.Length && field.Length > 0;
    }

    /// <summary>Milliseconds with an optional fraction ("14400009.367"), as 100 ns ticks; digits past 100 ns are truncated.</summary>
    public bool TryNextMillisecondsAsTicks(out long ticks)
    {
        ticks = 0;
        if (!TryNext(out var field) || field.IsEmpty) return false;
        var dot = field.IndexOf((byte)'.');
        var whole = dot < 0 ? field : field[..dot];
        if (!Utf8Parser.TryParse(whole, out long ms, out var used) || used != whole.Length || whole.IsEmpty || ms < 0) return false;
        long fraction = 0;
        if (dot >= 0)
        {
            var digits = field[(dot + 1)..];
            if (digits.IsEmpty) return false;
            for (var i = 0; i < digits.Length; i++)
            {
                var d = digits[i] - (byte)'0';
                if ((uint)d > 9) return false;
                if (i < 4) fraction = fraction * 10 + d;
            }
            for (var i = digits.Length; i < 4; i++) fraction *= 10;
        }
        ticks = ms * TimeSpan.TicksPerMillisecond + fraction;
        return true;
    }

    public bool IsAtEnd => _done;
}
