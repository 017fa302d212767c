using System.Buffers.Binary;
using System.Text;

namespace MarketPulse.Ml.Training;

/// <summary>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> is built with GCC 13 and asks libstdc++ for version GLIBCXX_3.4.32 for a
/// single symbol, <c>std::ios_base_library_init()</c>, which GCC 13's &lt;iostream&gt; only references to force a link
/// dependency (there is no relocation against it). Debian 12 ships GCC 12's libstdc++ (up to 3.4.30), so the loader
/// refuses the library. Marking that one version requirement weak (<c>VER_FLG_WEAK</c> in its ELF <c>Vernaux</c> entry)
/// lets glibc load it; every other requirement stays strict. The patch is applied in place to the copies in this
/// application's output folder, once, before TorchSharp loads. Newer systems are unaffected (a weak requirement that is
/// met behaves as a strict one).
/// </summary>
public static class TorchNativeCompat
{
    private const string Library = "libLibTorchSharp.so";
    private const string Version = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;
    private static readonly Lock Gate = new();
    private static bool _done;

    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (_done || !OperatingSystem.IsLinux()) return;
            foreach (var dir in new[] { Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"), Path.Combine(AppContext.BaseDirectory, "cpu") })
            {
                var path = Path.Combine(dir, Library);
                if (!File.Exists(path)) continue;
                var bytes = File.ReadAllBytes(path);
                if (MakeVersionWeak(bytes, Version)) File.WriteAllBytes(path, bytes);
            }
            _done = true;
        }
    }

    /// <returns>True when the ELF image was changed.</returns>
    public static bool MakeVersionWeak(byte[] elf, string version)
    {
        var s = elf.AsSpan();
        if (s.Length < 64 || s[0] != 0x7F || s[1] != (byte)'E' || s[2] != (byte)'L' || s[3] != (byte)'F' || s[4] != 2 || s[5] != 1) return false; // ELF64 LE only
        var shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(s[0x28..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3A..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3C..]);
        for (var i = 0; i < shnum; i++)
        {
            var sh = s[(int)(shoff + i * shentsize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtGnuVerneed) continue;
            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            var link = BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            var strtab = s[(int)(shoff + link * shentsize)..];
            var strOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(strtab[0x18..]);
            var changed = false;
            var need = offset;
            while (true)
            {
                var count = BinaryPrimitives.ReadUInt16LittleEndian(s[(need + 2)..]);
                var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(need + 8)..]);
                for (var k = 0; k < count; k++)
                {
                    var name = ReadString(s, strOffset + (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(aux + 8)..]));
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(s[(aux + 4)..]);
                    if (name == version && (flags & VerFlagWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(s[(aux + 4)..], (ushort)(flags | VerFlagWeak));
                        changed = true;
                    }
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(aux + 12)..]);
                }
                var next = BinaryPrimitives.ReadUInt32LittleEndian(s[(need + 12)..]);
                if (next == 0) break;
                need += (int)next;
            }
            return changed;
        }
        return false;
    }

    private static string ReadString(ReadOnlySpan<byte> s, int at)
    {
        var end = s[at..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(s.Slice(at, end));
    }
}
