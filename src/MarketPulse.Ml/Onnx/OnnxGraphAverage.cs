using Google.Protobuf;
using static MarketPulse.Ml.Onnx.OnnxProtoWriter;

namespace MarketPulse.Ml.Onnx;

/// <summary>
/// Merges K ONNX models that read the same inputs into ONE model whose output is the element-wise mean of the members'
/// output of the same name: a seed bag (or seed average) served by one session and one run, with the members' input
/// names, shapes and output name unchanged, so everything that serves a single member serves the bag.
/// Member k's nodes, internal values and initializers are renamed with the prefix <c>m{k}_</c>; the graph inputs are
/// shared; only the nodes the output depends on are kept (ML.NET's export also computes label/probability outputs);
/// <c>value_info</c> (optional shape hints) is dropped; a <c>Mean</c> node over the members' outputs writes the output.
/// Opset imports are merged (the highest version per domain, e.g. ai.onnx.ml for tree ensembles), the IR version is
/// the highest of the members'.
/// Written on Google.Protobuf's wire reader/writer (<see cref="OnnxProtoReader"/>, <see cref="OnnxProtoWriter"/>)
/// because no .NET ONNX library edits graphs (ONNX Runtime only runs them; no package ships the onnx.proto classes).
/// Field numbers from onnx/onnx.proto: ModelProto ir_version = 1, graph = 7, opset_import = 8, functions = 25;
/// GraphProto node = 1, name = 2, initializer = 5, input = 11, output = 12, value_info = 13, sparse_initializer = 15;
/// NodeProto input = 1, output = 2, name = 3, attribute = 5; AttributeProto g = 6, graphs = 11; TensorProto name = 8;
/// ValueInfoProto name = 1.
/// </summary>
public static class OnnxGraphAverage
{
    public const string MeanNodeName = "members_mean";

    /// <param name="members">serialised ModelProtos with the same graph inputs (names) and an output named <paramref name="output"/>.</param>
    /// <param name="output">the output to average; the merged model's only output, under the same name.</param>
    public static byte[] Average(IReadOnlyList<byte[]> members, string output)
    {
        if (members.Count == 0) throw new ArgumentException("no members to average", nameof(members));
        var models = members.Select(m => OnnxProtoReader.ReadFields(UnsafeByteOperations.UnsafeWrap(m))).ToList();
        var graphs = models.Select(m => OnnxProtoReader.ReadFields(
            m.SingleOrDefault(f => f.Number == 7).Bytes ?? throw new InvalidDataException("not an ONNX model: no graph"))).ToList();
        if (models.Any(m => m.Any(f => f.Number == 25))) throw new NotSupportedException("members with local functions are not supported");
        if (graphs.Any(g => g.Any(f => f.Number == 15))) throw new NotSupportedException("members with sparse initializers are not supported");

        // The shared inputs: graph inputs that are not initializers (before IR 4, initializers were listed as inputs too).
        List<OnnxField> SharedInputs(List<OnnxField> g)
        {
            var init = g.Where(f => f.Number == 5).Select(f => TensorName(f.Bytes!)).ToHashSet(StringComparer.Ordinal);
            return [.. g.Where(f => f.Number == 11 && !init.Contains(OnnxProtoReader.FirstString(f.Bytes!)))];
        }
        var inputs = SharedInputs(graphs[0]);
        var shared = inputs.Select(f => OnnxProtoReader.FirstString(f.Bytes!)).ToHashSet(StringComparer.Ordinal);
        for (var k = 1; k < graphs.Count; k++)
        {
            var names = SharedInputs(graphs[k]).Select(f => OnnxProtoReader.FirstString(f.Bytes!)).ToHashSet(StringComparer.Ordinal);
            if (!names.SetEquals(shared))
                throw new InvalidDataException($"member {k} reads inputs [{string.Join(", ", names)}], member 0 [{string.Join(", ", shared)}]");
        }
        var outputInfo = graphs[0].FirstOrDefault(f => f.Number == 12 && OnnxProtoReader.FirstString(f.Bytes!) == output).Bytes
            ?? throw new InvalidDataException($"member 0 has no output '{output}'");

        var memberOutputs = new List<string>();
        var graph = Message(g =>
        {
            var initializers = new List<ByteString>();
            var initializerInputs = new List<ByteString>();
            for (var k = 0; k < graphs.Count; k++)
            {
                var prefix = $"m{k}_";
                string Rename(string name) => name.Length == 0 || shared.Contains(name) ? name : prefix + name;
                var fields = graphs[k];
                var nodes = fields.Where(f => f.Number == 1).Select(f => (Bytes: f.Bytes!, Node: OnnxProtoReader.ReadNode(f.Bytes!))).ToList();
                if (!nodes.Any(n => n.Node.Outputs.Contains(output)))
                    throw new InvalidDataException($"member {k} has no node computing '{output}'");

                // Keep the nodes the output depends on (walk back from it), in the member's (topological) order.
                var needed = new HashSet<string>(StringComparer.Ordinal) { output };
                var keep = new bool[nodes.Count];
                for (var i = nodes.Count - 1; i >= 0; i--)
                {
                    if (!nodes[i].Node.Outputs.Any(needed.Contains)) continue;
                    keep[i] = true;
                    foreach (var input in nodes[i].Node.Inputs) needed.Add(input);
                }
                for (var i = 0; i < nodes.Count; i++)
                    if (keep[i]) WriteMessage(g, 1, RenameNode(nodes[i].Bytes, prefix, Rename));
                foreach (var f in fields.Where(f => f.Number == 5 && needed.Contains(TensorName(f.Bytes!))))
                {
                    initializers.Add(RenameField(f.Bytes!, 8, Rename));
                    // An old-IR member also lists the initializer as a graph input; keep that, renamed the same way.
                    var asInput = fields.FirstOrDefault(i => i.Number == 11 && OnnxProtoReader.FirstString(i.Bytes!) == TensorName(f.Bytes!)).Bytes;
                    if (asInput is not null) initializerInputs.Add(RenameField(asInput, 1, Rename));
                }
                memberOutputs.Add(Rename(output));
            }
            WriteMessage(g, 1, Message(n =>
            {
                foreach (var o in memberOutputs) WriteString(n, 1, o);
                WriteString(n, 2, output);
                WriteString(n, 3, MeanNodeName);
                WriteString(n, 4, "Mean");
            }));
            WriteString(g, 2, $"mean_of_{graphs.Count}");
            foreach (var t in initializers) WriteMessage(g, 5, t);
            foreach (var i in inputs) WriteField(g, i);
            foreach (var i in initializerInputs) WriteMessage(g, 11, i);
            WriteMessage(g, 12, outputInfo);
        });

        // Opset imports: the highest version per domain over all members ("" included: Mean needs the default domain).
        var opsets = new SortedDictionary<string, long>(StringComparer.Ordinal) { [""] = 1 };
        foreach (var f in models.SelectMany(m => m.Where(f => f.Number == 8)))
        {
            var domain = OnnxProtoReader.FirstString(f.Bytes!);
            opsets[domain] = Math.Max(opsets.GetValueOrDefault(domain), OnnxProtoReader.OpsetVersion(f.Bytes!));
        }
        var irVersion = models.Max(m => m.Where(f => f.Number == 1).Select(f => f.Value).DefaultIfEmpty(0UL).Max());
        return Message(m =>
        {
            m.WriteTag(1, WireFormat.WireType.Varint); m.WriteUInt64(irVersion);
            foreach (var f in models[0].Where(f => f.Number is 2 or 3 or 4 or 5 or 14)) WriteField(m, f);
            WriteMessage(m, 7, graph);
            foreach (var (domain, version) in opsets)
                WriteMessage(m, 8, Message(o =>
                {
                    WriteString(o, 1, domain);
                    o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt64(version);
                }));
        }).ToByteArray();
    }

    private static string TensorName(ByteString tensor) =>
        OnnxProtoReader.ReadFields(tensor).Where(f => f.Number == 8).Select(f => f.Bytes!.ToStringUtf8()).DefaultIfEmpty("").Last();

    /// <summary>A NodeProto with its inputs, outputs and name renamed; subgraph attributes (If/Loop/Scan) are refused.</summary>
    private static ByteString RenameNode(ByteString node, string prefix, Func<string, string> rename) => Message(n =>
    {
        foreach (var f in OnnxProtoReader.ReadFields(node))
        {
            switch (f.Number)
            {
                case 1 or 2: WriteString(n, f.Number, rename(f.Bytes!.ToStringUtf8())); break;
                case 3: WriteString(n, 3, prefix + f.Bytes!.ToStringUtf8()); break;
                case 5 when OnnxProtoReader.ReadFields(f.Bytes!).Any(a => a.Number is 6 or 11):
                    throw new NotSupportedException("nodes with subgraph attributes are not supported");
                default: WriteField(n, f); break;
            }
        }
    });

    /// <summary>The message with its string field <paramref name="field"/> (a name) renamed, everything else as it was.</summary>
    private static ByteString RenameField(ByteString message, int field, Func<string, string> rename) => Message(s =>
    {
        foreach (var f in OnnxProtoReader.ReadFields(message))
        {
            if (f.Number == field && f.Type == WireFormat.WireType.LengthDelimited) WriteString(s, field, rename(f.Bytes!.ToStringUtf8()));
            else WriteField(s, f);
        }
    });
}
