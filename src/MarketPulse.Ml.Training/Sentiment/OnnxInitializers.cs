using Google.Protobuf;
using MarketPulse.Ml.Onnx;
using MarketPulse.Ml.Sentiment;

namespace MarketPulse.Ml.Training.Sentiment;

/// <summary>
/// Reads the float initializers (weights) of an ONNX graph and the names PyTorch gave the linear layers they belong to.
/// Written by hand on Google.Protobuf's wire reader because only four fields of onnx.proto are needed (no generated
/// onnx.proto classes ship in a .NET package we use): ModelProto.graph = 7; GraphProto.node = 1, initializer = 5;
/// NodeProto input = 1, output = 2, op_type = 4; TensorProto dims = 1, data_type = 2, float_data = 4, name = 8, raw_data = 9.
/// </summary>
public sealed class OnnxInitializers
{
    private const int FloatType = 1;

    private OnnxInitializers(Dictionary<string, NamedTensor> tensors, Dictionary<string, string> linearWeights)
    {
        Tensors = tensors;
        LinearWeights = linearWeights;
    }

    public IReadOnlyDictionary<string, NamedTensor> Tensors { get; }

    /// <summary>
    /// PyTorch parameter name of a linear weight (e.g. <c>encoder.layer.0.attention.self.query.weight</c>) → the ONNX
    /// initializer holding it, transposed to [in, out]. The exporter renames those initializers to numbers, so they are found
    /// from the graph: a MatMul by an initializer whose result is added to a bias initializer named "<c>X.bias</c>" holds "<c>X.weight</c>".
    /// </summary>
    public IReadOnlyDictionary<string, string> LinearWeights { get; }

    public NamedTensor this[string name] =>
        Tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"ONNX graph has no float initializer '{name}'");

    /// <summary>The float tensor for a PyTorch parameter name, whether stored under its own name or as a renamed MatMul weight.</summary>
    public (NamedTensor Tensor, bool Transposed) Parameter(string torchName) =>
        LinearWeights.TryGetValue(torchName, out var onnxName) ? (this[onnxName], true) : (this[torchName], false);

    public static OnnxInitializers Read(byte[] model)
    {
        ByteString? graph = null;
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 7 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                graph = input.ReadBytes();
            else
                input.SkipLastField();
        }
        if (graph is null) throw new InvalidDataException("not an ONNX model: no graph");

        var tensors = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        var nodes = new List<OnnxNode>();
        var g = graph.CreateCodedInput();
        while ((tag = g.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: nodes.Add(OnnxProtoReader.ReadNode(g.ReadBytes())); break;
                case 5:
                    if (ReadTensor(g.ReadBytes()) is { } t) tensors[t.Name] = t;
                    break;
                default: g.SkipLastField(); break;
            }
        }

        var consumers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
            foreach (var inp in nodes[i].Inputs)
                (consumers.TryGetValue(inp, out var list) ? list : consumers[inp] = []).Add(i);

        var linear = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.Op != "MatMul" || node.Inputs.Count != 2 || !tensors.TryGetValue(node.Inputs[1], out var w) || w.Dims.Length != 2) continue;
            if (!consumers.TryGetValue(node.Outputs[0], out var users)) continue;
            foreach (var u in users)
            {
                var add = nodes[u];
                if (add.Op != "Add") continue;
                var bias = add.Inputs.FirstOrDefault(n => n.EndsWith(".bias", StringComparison.Ordinal) && tensors.ContainsKey(n));
                if (bias is null) continue;
                linear[bias[..^".bias".Length] + ".weight"] = w.Name;
            }
        }
        return new OnnxInitializers(tensors, linear);
    }

    private static NamedTensor? ReadTensor(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var dims = new List<long>();
        var type = 0;
        string name = "";
        ByteString? raw = null;
        var floats = new List<float>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var packed = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when packed:
                    var d = input.ReadBytes().CreateCodedInput();
                    while (!d.IsAtEnd) dims.Add(d.ReadInt64());
                    break;
                case 1: dims.Add(input.ReadInt64()); break;
                case 2: type = input.ReadInt32(); break;
                case 4 when packed:
                    var f = input.ReadBytes().CreateCodedInput();
                    while (!f.IsAtEnd) floats.Add(f.ReadFloat());
                    break;
                case 4: floats.Add(input.ReadFloat()); break;
                case 8: name = input.ReadString(); break;
                case 9: raw = input.ReadBytes(); break;
                default: input.SkipLastField(); break;
            }
        }
        if (type != FloatType) return null;
        var count = dims.Aggregate(1L, (a, x) => a * x);
        float[] data;
        if (raw is not null)
        {
            if (raw.Length != count * 4) throw new InvalidDataException($"initializer {name}: {raw.Length} bytes for {count} floats");
            data = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.Span).ToArray();
        }
        else
        {
            if (floats.Count != count) throw new InvalidDataException($"initializer {name}: {floats.Count} floats for {count}");
            data = [.. floats];
        }
        return new NamedTensor(name, [.. dims], data);
    }
}
