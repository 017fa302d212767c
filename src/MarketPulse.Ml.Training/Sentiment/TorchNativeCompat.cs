using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MarketPulse.Ml.Training.Sentiment;

/// <summary>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> is built with GCC 13 and so lists the symbol version GLIBCXX_3.4.32
/// (for <c>std::ios_base_library_init</c>, which GCC 13's &lt;iostream&gt; only references to pin the library version and
/// never calls). Debian 12's libstdc++ stops at 3.4.30, so the loader refuses the library although nothing it needs is
/// missing. The NuGet feed has no other TorchSharp build, so before TorchSharp loads we mark that one version requirement
/// weak (ELF <c>VER_FLG_WEAK</c> in <c>.gnu.version_r</c>) in the copy in our own output folder; the loader then accepts the
/// library on older libstdc++ and behaves exactly as before on newer ones. Idempotent; does nothing off Linux.
/// </summary>
public static class TorchNativeCompat
{
    private const string Version = "GLIBCXX_3.4.32";
    private const ushort VerFlagWeak = 0x2;
    private static readonly Lazy<int> Done = new(() => PatchAll(AppContext.BaseDirectory));

    /// <summary>Call before the first use of <c>TorchSharp.torch</c>. Returns how many requirements were made weak.</summary>
    public static int EnsureLoadable() => Done.Value;

    private static int PatchAll(string baseDirectory)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return 0;
        var patched = 0;
        foreach (var path in new[] { Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), Path.Combine(baseDirectory, "libLibTorchSharp.so") })
        {
            if (!File.Exists(path)) continue;
            try { patched += MakeVersionWeak(path, Version); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Error.WriteLine($"warning: could not adapt {path} for this libstdc++ ({ex.Message}); TorchSharp may fail to load");
            }
        }
        return patched;
    }

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="version"/> of a little-endian ELF64 file.</summary>
    public static int MakeVersionWeak(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || !bytes.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        var span = bytes.AsSpan();
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3a..]), shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3c..]);
        var changed = 0;
        for (var i = 0; i < shnum; i++)
        {
            var sh = span[(shoff + i * shentsize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != 0x6ffffffe) continue; // SHT_GNU_verneed
            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            var strtab = (int)BinaryPrimitives.ReadUInt64LittleEndian(span[(shoff + link * shentsize + 0x18)..]);
            while (true)
            {
                int count = BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]);
                var aux = offset + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 8)..]);
                for (var k = 0; k < count; k++)
                {
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(span[(aux + 4)..]);
                    var nameAt = strtab + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 8)..]);
                    var name = Encoding.ASCII.GetString(span[nameAt..][..span[nameAt..].IndexOf((byte)0)]);
                    if (name == version && (flags & VerFlagWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(span[(aux + 4)..], (ushort)(flags | VerFlagWeak));
                        changed++;
                    }
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 12)..]);
                }
                var next = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 12)..]);
                if (next == 0) break;
                offset += next;
            }
        }
        if (changed > 0) File.WriteAllBytes(path, bytes);
        return changed;
    }
}
