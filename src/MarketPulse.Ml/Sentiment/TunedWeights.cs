using System.Text;

namespace MarketPulse.Ml.Sentiment;

/// <summary>A named float tensor; dims as ONNX has them (MatMul weights are [in, out]).</summary>
public sealed record NamedTensor(string Name, long[] Dims, float[] Data)
{
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);
}

/// <summary>
/// The fine-tuned part of the sentiment model: the encoder initializers that training changed (stored under their names
/// in the base ONNX graph) and the classification head. Stored in half precision where the values allow it, so the repository
/// carries ~21 MB instead of the ~90 MB graph. Format: "MPTW" v1, then per tensor name, precision, rank, dims, data (little endian).
/// </summary>
public sealed class TunedWeights
{
    private static ReadOnlySpan<byte> Magic => "MPTW"u8;
    private const int Version = 1;

    public const string HeadWeight = "head.weight";
    public const string HeadBias = "head.bias";

    public TunedWeights(IReadOnlyList<NamedTensor> tensors)
    {
        Tensors = tensors;
        ByName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<NamedTensor> Tensors { get; }
    public IReadOnlyDictionary<string, NamedTensor> ByName { get; }

    /// <summary>Tensors that replace initializers of the base graph (everything but the head).</summary>
    public IEnumerable<NamedTensor> EncoderOverrides => Tensors.Where(t => t.Name is not (HeadWeight or HeadBias));

    public NamedTensor Get(string name) =>
        ByName.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"tuned weights lack tensor '{name}'");

    /// <summary>
    /// Element-wise mean of several fine-tuned weight sets (a "model soup", Wortsman et al. 2022). Meaningful only for runs
    /// that started from the same point (same pretrained encoder, same head init), which is how the fine-tuner starts every seed.
    /// </summary>
    public static TunedWeights Average(IReadOnlyList<TunedWeights> members)
    {
        if (members.Count == 0) throw new ArgumentException("a soup needs at least one member", nameof(members));
        var first = members[0];
        var tensors = new List<NamedTensor>(first.Tensors.Count);
        foreach (var t in first.Tensors)
        {
            var sum = new double[t.Data.Length];
            foreach (var m in members)
            {
                var other = m.Get(t.Name);
                if (!other.Dims.SequenceEqual(t.Dims))
                    throw new InvalidDataException($"tensor {t.Name}: shapes differ ([{string.Join(", ", t.Dims)}] vs [{string.Join(", ", other.Dims)}])");
                for (var i = 0; i < sum.Length; i++) sum[i] += other.Data[i];
            }
            var mean = new float[sum.Length];
            for (var i = 0; i < sum.Length; i++) mean[i] = (float)(sum[i] / members.Count);
            tensors.Add(t with { Data = mean });
        }
        if (members.Any(m => m.Tensors.Count != first.Tensors.Count))
            throw new InvalidDataException("soup members have different tensor sets");
        return new TunedWeights(tensors);
    }

    /// <param name="halfPrecision">store as IEEE half (the head always stays float32: it is tiny and sits on the decision boundary).</param>
    public void Save(string path, bool halfPrecision = true)
    {
        using var file = File.Create(path);
        using var writer = new BinaryWriter(file, Encoding.UTF8);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(Tensors.Count);
        foreach (var t in Tensors)
        {
            var half = halfPrecision && t.Name is not (HeadWeight or HeadBias);
            writer.Write(t.Name);
            writer.Write((byte)(half ? 1 : 0));
            writer.Write(t.Dims.Length);
            foreach (var d in t.Dims) writer.Write(d);
            if (half)
                foreach (var v in t.Data) writer.Write((Half)v);
            else
                foreach (var v in t.Data) writer.Write(v);
        }
    }

    public static TunedWeights Load(string path)
    {
        using var file = File.OpenRead(path);
        using var reader = new BinaryReader(file, Encoding.UTF8);
        Span<byte> magic = stackalloc byte[4];
        reader.BaseStream.ReadExactly(magic);
        if (!magic.SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not a MarketPulse tuned-weights file");
        var version = reader.ReadInt32();
        if (version != Version) throw new InvalidDataException($"{path}: version {version}, expected {Version}");
        var count = reader.ReadInt32();
        var tensors = new List<NamedTensor>(count);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var half = reader.ReadByte() == 1;
            var rank = reader.ReadInt32();
            if (rank is < 1 or > 4) throw new InvalidDataException($"{path}: tensor {name} has rank {rank}");
            var dims = new long[rank];
            for (var d = 0; d < rank; d++) dims[d] = reader.ReadInt64();
            var n = dims.Aggregate(1L, (a, d) => a * d);
            if (n is <= 0 or > 64_000_000) throw new InvalidDataException($"{path}: tensor {name} has {n} elements");
            var data = new float[n];
            var bytes = reader.ReadBytes((int)n * (half ? 2 : 4));
            if (bytes.Length != n * (half ? 2 : 4)) throw new InvalidDataException($"{path}: truncated at tensor {name}");
            if (half)
            {
                var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes);
                for (var k = 0; k < n; k++) data[k] = (float)halves[k];
            }
            else
            {
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).CopyTo(data);
            }
            tensors.Add(new NamedTensor(name, dims, data));
        }
        return new TunedWeights(tensors);
    }
}
