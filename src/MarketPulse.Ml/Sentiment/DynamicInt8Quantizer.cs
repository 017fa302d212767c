using Google.Protobuf;
using MarketPulse.Ml.Onnx;
using static MarketPulse.Ml.Onnx.OnnxProtoWriter;

namespace MarketPulse.Ml.Sentiment;

/// <summary>
/// Dynamic int8 quantisation of an ONNX graph, done in memory at load time: every <c>MatMul</c> whose B input is a constant
/// float weight [K, N] becomes one <c>com.microsoft.DynamicQuantizeMatMul</c> (A stays float and is quantised to uint8 per
/// call by the kernel; B is stored as symmetric int8 with one scale per output column). This is the node ONNX Runtime's own
/// <c>quantize_dynamic</c> produces after its optimiser fuses DynamicQuantizeLinear → MatMulInteger → Cast → Mul, emitted
/// directly. Tuned weights are baked in first (they replace the graph's initializers of the same name), so quantisation is
/// of the weights that are served, whatever weights file is shipped.
/// Written on Google.Protobuf's wire reader/writer (as <see cref="MatMulPeak"/> and the trainer's ONNX readers) because
/// ONNX Runtime's C# API has no quantiser and no .NET package ships the generated onnx.proto classes. Field numbers from
/// onnx/onnx.proto: ModelProto.graph = 7, opset_import = 8; GraphProto node = 1, initializer = 5, input = 11;
/// NodeProto input = 1, output = 2, name = 3, op_type = 4, domain = 7; TensorProto dims = 1, data_type = 2,
/// float_data = 4, name = 8, raw_data = 9; ValueInfoProto.name = 1; OperatorSetIdProto domain = 1, version = 2.
/// </summary>
public static class DynamicInt8Quantizer
{
    public const string MicrosoftDomain = "com.microsoft";
    public const string QuantizedOp = "DynamicQuantizeMatMul";

    /// <param name="Model">the rewritten ModelProto.</param>
    /// <param name="QuantizedMatMuls">MatMuls replaced by DynamicQuantizeMatMul.</param>
    /// <param name="BakedOverrides">tuned tensors written into the graph in place of the base initializers.</param>
    /// <param name="MaxRelativeWeightError">largest |w − dequantised w| / max|column| over all quantised weights (≤ 1/254 by construction).</param>
    /// <param name="FusedBiases">bias Adds folded into the quantised node's bias input.</param>
    public sealed record Result(byte[] Model, int QuantizedMatMuls, int BakedOverrides, double MaxRelativeWeightError, int FusedBiases = 0);

    /// <summary>What a graph contains, for checks: op type and inputs of every node, and the initializer names by element type.</summary>
    public sealed record GraphSummary(IReadOnlyList<(string Op, string Domain, IReadOnlyList<string> Inputs)> Nodes,
        IReadOnlyDictionary<string, int> InitializerTypes);

    /// <param name="fuseBias">
    /// fold an <c>Add</c> of a constant [N] bias that is the MatMul's only consumer into the node's optional bias input, as
    /// ONNX Runtime's MatMulIntegerToFloat fusion does (the kernel adds it while scaling the output, instead of one more pass).
    /// </param>
    public static Result Quantize(byte[] model, IEnumerable<NamedTensor>? overrides = null, bool fuseBias = true)
    {
        var replacements = (overrides ?? []).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var top = OnnxProtoReader.ReadFields(UnsafeByteOperations.UnsafeWrap(model));
        var graphField = top.SingleOrDefault(f => f.Number == 7).Bytes ?? throw new InvalidDataException("not an ONNX model: no graph");
        var graphFields = OnnxProtoReader.ReadFields(graphField);

        var nodes = graphFields.Where(f => f.Number == 1).Select(f => OnnxProtoReader.ReadNode(f.Bytes!)).ToList();
        var initializers = new Dictionary<string, TensorHeader>(StringComparer.Ordinal);
        foreach (var f in graphFields.Where(f => f.Number == 5))
        {
            var t = ReadTensorHeader(f.Bytes!);
            initializers[t.Name] = t;
        }
        var unknown = replacements.Keys.Where(k => !initializers.ContainsKey(k)).ToList();
        if (unknown.Count > 0) throw new InvalidDataException($"tuned weights name tensors the base graph lacks: {string.Join(", ", unknown.Take(5))}");

        bool IsWeightMatMul(OnnxNode n) => n.Op == "MatMul" && n.Domain.Length == 0 && n.Inputs.Count == 2
            && initializers.TryGetValue(n.Inputs[1], out var w) && w.Type == FloatType && w.Dims.Length == 2;
        var quantizedWeights = nodes.Where(IsWeightMatMul).Select(n => n.Inputs[1]).ToHashSet(StringComparer.Ordinal);
        // A weight also read by some other node keeps its float copy for that node.
        var stillUsedAsFloat = nodes.Where(n => !IsWeightMatMul(n)).SelectMany(n => n.Inputs).ToHashSet(StringComparer.Ordinal);

        // Bias folding: MatMul output → exactly one consumer, an Add with a float [N] initializer; not a graph output.
        var consumers = nodes.SelectMany(n => n.Inputs).Where(i => i.Length > 0).GroupBy(i => i, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var graphOutputs = graphFields.Where(f => f.Number == 12).Select(f => OnnxProtoReader.FirstString(f.Bytes!)).ToHashSet(StringComparer.Ordinal);
        var biasOf = new Dictionary<string, (string Bias, string Output)>(StringComparer.Ordinal); // MatMul output → bias, Add output
        var foldedAdds = new HashSet<string>(StringComparer.Ordinal); // by the Add's output name
        if (fuseBias)
            foreach (var mm in nodes.Where(IsWeightMatMul))
            {
                var y = mm.Outputs[0];
                if (consumers.GetValueOrDefault(y) != 1 || graphOutputs.Contains(y)) continue;
                var add = nodes.FirstOrDefault(n => n.Op == "Add" && n.Domain.Length == 0 && n.Inputs.Contains(y));
                if (add is null || add.Inputs.Count != 2 || add.Outputs.Count != 1) continue;
                var bias = add.Inputs[0] == y ? add.Inputs[1] : add.Inputs[0];
                var columns = initializers[mm.Inputs[1]].Dims[1];
                if (!initializers.TryGetValue(bias, out var b) || b.Type != FloatType || b.Dims is not [var n] || n != columns) continue;
                biasOf[y] = (bias, add.Outputs[0]);
                foldedAdds.Add(add.Outputs[0]);
            }

        var maxError = 0.0;
        var baked = 0;
        var quantizedCount = 0;
        var graphOut = Message(g =>
        {
            foreach (var f in graphFields)
            {
                switch (f.Number)
                {
                    case 1:
                        var node = OnnxProtoReader.ReadNode(f.Bytes!);
                        if (IsWeightMatMul(node))
                        {
                            quantizedCount++;
                            WriteMessage(g, 1, QuantizedNode(node, biasOf.TryGetValue(node.Outputs[0], out var fused) ? fused : null));
                        }
                        else if (node.Op == "Add" && node.Outputs.Count == 1 && foldedAdds.Contains(node.Outputs[0]))
                        {
                            // folded into the DynamicQuantizeMatMul before it
                        }
                        else
                        {
                            g.WriteTag(1, WireFormat.WireType.LengthDelimited); g.WriteBytes(f.Bytes!);
                        }
                        break;
                    case 5:
                        var header = ReadTensorHeader(f.Bytes!);
                        var replaced = replacements.TryGetValue(header.Name, out var tuned);
                        if (replaced)
                        {
                            if (!tuned!.Dims.SequenceEqual(header.Dims))
                                throw new InvalidDataException($"tuned tensor {header.Name} is [{string.Join(", ", tuned.Dims)}], the graph's [{string.Join(", ", header.Dims)}]");
                            baked++;
                        }
                        if (quantizedWeights.Contains(header.Name))
                        {
                            var data = replaced ? tuned!.Data : ReadFloats(f.Bytes!, header);
                            var (q, scales, error) = QuantizeColumns(data, (int)header.Dims[0], (int)header.Dims[1]);
                            maxError = Math.Max(maxError, error);
                            WriteMessage(g, 5, Tensor(QuantizedName(header.Name), Int8Type, header.Dims, ByteString.CopyFrom((byte[])(Array)q)));
                            WriteMessage(g, 5, Tensor(ScaleName(header.Name), FloatType, [header.Dims[1]], FloatBytes(scales)));
                            if (stillUsedAsFloat.Contains(header.Name))
                                WriteMessage(g, 5, replaced ? Tensor(header.Name, FloatType, header.Dims, FloatBytes(tuned!.Data)) : f.Bytes!);
                        }
                        else if (replaced)
                        {
                            WriteMessage(g, 5, Tensor(header.Name, FloatType, header.Dims, FloatBytes(tuned!.Data)));
                        }
                        else
                        {
                            WriteMessage(g, 5, f.Bytes!);
                        }
                        break;
                    case 11 when quantizedWeights.Contains(OnnxProtoReader.FirstString(f.Bytes!)) && !stillUsedAsFloat.Contains(OnnxProtoReader.FirstString(f.Bytes!)):
                        break; // an old-IR graph input that only named the float weight we removed
                    default:
                        g.WriteTag(f.Number, WireFormat.WireType.LengthDelimited); g.WriteBytes(f.Bytes!);
                        break;
                }
            }
        });

        var hasMicrosoftOpset = top.Where(f => f.Number == 8).Any(f => OnnxProtoReader.FirstString(f.Bytes!) == MicrosoftDomain);
        var modelOut = Message(m =>
        {
            foreach (var f in top)
            {
                if (f.Number == 7) { WriteMessage(m, 7, graphOut); continue; }
                WriteField(m, f);
            }
            if (!hasMicrosoftOpset)
                WriteMessage(m, 8, Message(o =>
                {
                    o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(MicrosoftDomain);
                    o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt64(1);
                }));
        });
        return new Result(modelOut.ToByteArray(), quantizedCount, baked, maxError, biasOf.Count);
    }

    /// <summary>Nodes and initializer element types of a model, to check what a rewrite produced.</summary>
    public static GraphSummary Summarize(byte[] model)
    {
        var graph = OnnxProtoReader.ReadFields(UnsafeByteOperations.UnsafeWrap(model)).Single(f => f.Number == 7).Bytes!;
        var fields = OnnxProtoReader.ReadFields(graph);
        var nodes = fields.Where(f => f.Number == 1).Select(f => OnnxProtoReader.ReadNode(f.Bytes!))
            .Select(n => (n.Op, n.Domain, (IReadOnlyList<string>)n.Inputs)).ToList();
        var types = fields.Where(f => f.Number == 5).Select(f => ReadTensorHeader(f.Bytes!)).ToDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal);
        return new GraphSummary(nodes, types);
    }

    /// <summary>
    /// Symmetric per-column int8: scale_n = max_k |W[k, n]| / 127, q = round(W / scale) in [−127, 127] (−128 unused, so the
    /// range is symmetric and zero is exact). Returns the largest error relative to the column's largest magnitude.
    /// </summary>
    public static (sbyte[] Q, float[] Scales, double MaxRelativeError) QuantizeColumns(float[] w, int rows, int columns)
    {
        if (w.Length != (long)rows * columns) throw new ArgumentException($"{w.Length} values for [{rows}, {columns}]", nameof(w));
        var scales = new float[columns];
        for (var k = 0; k < rows; k++)
            for (var n = 0; n < columns; n++)
                scales[n] = Math.Max(scales[n], Math.Abs(w[k * columns + n]));
        var maxAbs = (float[])scales.Clone();
        for (var n = 0; n < columns; n++) scales[n] = maxAbs[n] > 0 ? maxAbs[n] / 127f : 1f;
        var q = new sbyte[w.Length];
        var maxError = 0.0;
        for (var k = 0; k < rows; k++)
            for (var n = 0; n < columns; n++)
            {
                var i = k * columns + n;
                var v = (sbyte)Math.Clamp(MathF.Round(w[i] / scales[n], MidpointRounding.ToEven), -127, 127);
                q[i] = v;
                if (maxAbs[n] > 0) maxError = Math.Max(maxError, Math.Abs(w[i] - v * scales[n]) / maxAbs[n]);
            }
        return (q, scales, maxError);
    }

    public static string QuantizedName(string weight) => weight + "_int8";
    public static string ScaleName(string weight) => weight + "_scale";

    /// <summary>Inputs A, B (int8), b_scale [N], then, with a folded bias, an empty b_zero_point (symmetric: 0) and the bias.</summary>
    private static ByteString QuantizedNode(OnnxNode node, (string Bias, string Output)? fused) => Message(n =>
    {
        string[] inputs = fused is { } f
            ? [node.Inputs[0], QuantizedName(node.Inputs[1]), ScaleName(node.Inputs[1]), "", f.Bias]
            : [node.Inputs[0], QuantizedName(node.Inputs[1]), ScaleName(node.Inputs[1])];
        foreach (var i in inputs) { n.WriteTag(1, WireFormat.WireType.LengthDelimited); n.WriteString(i); }
        foreach (var o in fused is { } g ? [g.Output] : node.Outputs) { n.WriteTag(2, WireFormat.WireType.LengthDelimited); n.WriteString(o); }
        n.WriteTag(3, WireFormat.WireType.LengthDelimited); n.WriteString((node.Name.Length > 0 ? node.Name : node.Outputs[0]) + "_int8");
        n.WriteTag(4, WireFormat.WireType.LengthDelimited); n.WriteString(QuantizedOp);
        n.WriteTag(7, WireFormat.WireType.LengthDelimited); n.WriteString(MicrosoftDomain);
    });

    private sealed record TensorHeader(string Name, int Type, long[] Dims);

    private static TensorHeader ReadTensorHeader(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var dims = new List<long>();
        var type = 0;
        var name = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    var d = input.ReadBytes().CreateCodedInput();
                    while (!d.IsAtEnd) dims.Add(d.ReadInt64());
                    break;
                case 1: dims.Add(input.ReadInt64()); break;
                case 2: type = input.ReadInt32(); break;
                case 8: name = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new TensorHeader(name, type, [.. dims]);
    }

    private static float[] ReadFloats(ByteString bytes, TensorHeader header)
    {
        var count = header.Dims.Aggregate(1L, (a, x) => a * x);
        var input = bytes.CreateCodedInput();
        var floats = new List<float>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 9:
                    var raw = input.ReadBytes();
                    if (raw.Length != count * 4) throw new InvalidDataException($"initializer {header.Name}: {raw.Length} bytes for {count} floats");
                    return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.Span).ToArray();
                case 4 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    var f = input.ReadBytes().CreateCodedInput();
                    while (!f.IsAtEnd) floats.Add(f.ReadFloat());
                    break;
                case 4: floats.Add(input.ReadFloat()); break;
                case 13 or 14: throw new InvalidDataException($"initializer {header.Name} is stored outside the model (external data)");
                default: input.SkipLastField(); break;
            }
        }
        if (floats.Count != count) throw new InvalidDataException($"initializer {header.Name}: {floats.Count} floats for {count}");
        return [.. floats];
    }
}
