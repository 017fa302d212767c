using Google.Protobuf;

namespace MarketPulse.Ml.Training.Price;

/// <summary>
/// A minimal writer of ONNX <c>ModelProto</c> bytes with Google.Protobuf's <see cref="CodedOutputStream"/>, using the field
/// numbers of onnx/onnx.proto. Written here because TorchSharp has no ONNX exporter and the official C# ONNX bindings are
/// not published; it covers only what the GRU price model needs (float tensors, int/ints/float attributes, one opset).
/// </summary>
public sealed class OnnxGraphWriter
{
    private const int FloatType = 1;
    private const int Int64Type = 7;
    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];

    public void Input(string name, params long?[] dims) => _inputs.Add(ValueInfo(name, FloatType, dims));

    public void Output(string name, params long?[] dims) => _outputs.Add(ValueInfo(name, FloatType, dims));

    public void Initializer(string name, float[] values, params long[] dims) => _initializers.Add(Message(s =>
    {
        foreach (var d in dims) { s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(d); }
        s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt32(FloatType);
        s.WriteTag(8, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length); // little-endian, as ONNX raw_data requires
        s.WriteTag(9, WireFormat.WireType.LengthDelimited); s.WriteBytes(ByteString.CopyFrom(raw));
    }));

    public void Initializer(string name, long[] values, params long[] dims) => _initializers.Add(Message(s =>
    {
        foreach (var d in dims) { s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(d); }
        s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt32(Int64Type);
        foreach (var v in values) { s.WriteTag(7, WireFormat.WireType.Varint); s.WriteInt64(v); }
        s.WriteTag(8, WireFormat.WireType.LengthDelimited); s.WriteString(name);
    }));

    public void Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes) => _nodes.Add(Message(s =>
    {
        foreach (var i in inputs) { s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(i); }
        foreach (var o in outputs) { s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString(o); }
        s.WriteTag(3, WireFormat.WireType.LengthDelimited); s.WriteString($"{op}_{_nodes.Count}");
        s.WriteTag(4, WireFormat.WireType.LengthDelimited); s.WriteString(op);
        foreach (var (name, value) in attributes) { s.WriteTag(5, WireFormat.WireType.LengthDelimited); s.WriteBytes(Attribute(name, value)); }
    }));

    public byte[] ToModel(string graphName, int opset, string producer)
    {
        var graph = Message(s =>
        {
            foreach (var n in _nodes) Embedded(s, 1, n);
            s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString(graphName);
            foreach (var t in _initializers) Embedded(s, 5, t);
            foreach (var i in _inputs) Embedded(s, 11, i);
            foreach (var o in _outputs) Embedded(s, 12, o);
        });
        return Message(s =>
        {
            s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(8); // IR version 8 (ONNX 1.10+)
            s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString(producer);
            Embedded(s, 7, graph);
            Embedded(s, 8, Message(o => { o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(""); o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt64(opset); }));
        });
    }

    private static ByteString Attribute(string name, object value) => ByteString.CopyFrom(Message(s =>
    {
        s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        switch (value)
        {
            case float f:
                s.WriteTag(2, WireFormat.WireType.Fixed32); s.WriteFloat(f);
                s.WriteTag(20, WireFormat.WireType.Varint); s.WriteInt32(1);
                break;
            case long or int:
                s.WriteTag(3, WireFormat.WireType.Varint); s.WriteInt64(Convert.ToInt64(value));
                s.WriteTag(20, WireFormat.WireType.Varint); s.WriteInt32(2);
                break;
            case long[] ints:
                foreach (var i in ints) { s.WriteTag(8, WireFormat.WireType.Varint); s.WriteInt64(i); }
                s.WriteTag(20, WireFormat.WireType.Varint); s.WriteInt32(7);
                break;
            default:
                throw new NotSupportedException($"attribute type {value.GetType()}");
        }
    }));

    private static byte[] ValueInfo(string name, int elemType, long?[] dims) => Message(s =>
    {
        s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        var shape = Message(sh =>
        {
            for (var i = 0; i < dims.Length; i++)
                Embedded(sh, 1, Message(d =>
                {
                    if (dims[i] is { } v) { d.WriteTag(1, WireFormat.WireType.Varint); d.WriteInt64(v); }
                    else { d.WriteTag(2, WireFormat.WireType.LengthDelimited); d.WriteString($"d{i}"); }
                }));
        });
        var tensor = Message(t => { t.WriteTag(1, WireFormat.WireType.Varint); t.WriteInt32(elemType); Embedded(t, 2, shape); });
        Embedded(s, 2, Message(ty => Embedded(ty, 1, tensor)));
    });

    private static void Embedded(CodedOutputStream s, int field, byte[] message)
    {
        s.WriteTag(field, WireFormat.WireType.LengthDelimited);
        s.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var ms = new MemoryStream();
        using (var s = new CodedOutputStream(ms, leaveOpen: true))
        {
            write(s);
            s.Flush();
        }
        return ms.ToArray();
    }
}
