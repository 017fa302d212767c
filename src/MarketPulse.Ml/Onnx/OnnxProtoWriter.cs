using Google.Protobuf;

namespace MarketPulse.Ml.Onnx;

/// <summary>
/// Writing the ONNX protobuf messages the graph builders here need, field by field with Google.Protobuf's
/// <see cref="CodedOutputStream"/> (field numbers from onnx.proto). Shared by the int8 quantiser, the matmul-peak graph and the seed-average merge.
/// </summary>
public static class OnnxProtoWriter
{
    public const int FloatType = 1;
    public const int Int8Type = 3;

    /// <summary>A nested message's bytes.</summary>
    public static ByteString Message(Action<CodedOutputStream> write)
    {
        using var ms = new MemoryStream();
        var output = new CodedOutputStream(ms);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }

    /// <summary>Writes <paramref name="message"/> as length-delimited field <paramref name="field"/>.</summary>
    public static void WriteMessage(CodedOutputStream output, int field, ByteString message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(message);
    }

    /// <summary>A <c>TensorProto</c> with raw data: dims = 1, data_type = 2, name = 8, raw_data = 9.</summary>
    public static ByteString Tensor(string name, int type, long[] dims, ByteString raw) => Message(s =>
    {
        foreach (var d in dims) { s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(d); }
        s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt32(type);
        s.WriteTag(8, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        s.WriteTag(9, WireFormat.WireType.LengthDelimited); s.WriteBytes(raw);
    });

    /// <summary>A float32 <c>TensorProto</c>.</summary>
    public static ByteString FloatTensor(string name, long[] dims, float[] values) => Tensor(name, FloatType, dims, FloatBytes(values));

    /// <summary>Little-endian float32 bytes, as ONNX raw_data requires.</summary>
    public static ByteString FloatBytes(float[] values)
    {
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return ByteString.CopyFrom(raw);
    }

    /// <summary>Writes a field read by <see cref="OnnxProtoReader.ReadFields"/> unchanged.</summary>
    public static void WriteField(CodedOutputStream output, OnnxField f)
    {
        output.WriteTag(f.Number, f.Type);
        switch (f.Type)
        {
            case WireFormat.WireType.Varint: output.WriteUInt64(f.Value); break;
            case WireFormat.WireType.Fixed32: output.WriteFixed32((uint)f.Value); break;
            case WireFormat.WireType.Fixed64: output.WriteFixed64(f.Value); break;
            default: output.WriteBytes(f.Bytes!); break;
        }
    }

    /// <summary>Writes <paramref name="value"/> as string field <paramref name="field"/>.</summary>
    public static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }
}
