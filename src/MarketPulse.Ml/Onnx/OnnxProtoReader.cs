using Google.Protobuf;

namespace MarketPulse.Ml.Onnx;

/// <summary>One ONNX <c>NodeProto</c>'s operator, domain, name and value names.</summary>
public sealed record OnnxNode(string Op, string Domain, string Name, List<string> Inputs, List<string> Outputs);

/// <summary>One protobuf field as read from the wire: varint/fixed values in <see cref="Value"/>, length-delimited in <see cref="Bytes"/>.</summary>
public readonly record struct OnnxField(int Number, WireFormat.WireType Type, ulong Value, ByteString? Bytes);

/// <summary>
/// The few ONNX protobuf messages that the graph readers here need, read field by field with Google.Protobuf's
/// <see cref="CodedInputStream"/> (ONNX ships no C# message classes; field numbers from onnx.proto). Shared by the int8
/// quantiser (serving), the fine-tuning weight reader (training) and the seed-average merge (<see cref="OnnxGraphAverage"/>).
/// </summary>
public static class OnnxProtoReader
{
    /// <summary>A <c>NodeProto</c>: input = 1, output = 2, name = 3, op_type = 4, domain = 7.</summary>
    public static OnnxNode ReadNode(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string op = "", domain = "", name = "";
        List<string> inputs = [], outputs = [];
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: inputs.Add(input.ReadString()); break;
                case 2: outputs.Add(input.ReadString()); break;
                case 3: name = input.ReadString(); break;
                case 4: op = input.ReadString(); break;
                case 7: domain = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxNode(op, domain, name, inputs, outputs);
    }

    /// <summary>Field 1 as a string: a <c>ValueInfoProto</c>'s name, an <c>OperatorSetIdProto</c>'s domain; "" when absent.</summary>
    public static string FirstString(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1) return input.ReadString();
            input.SkipLastField();
        }
        return "";
    }

    /// <summary>Every field of a message, in wire order (unknown ones too, so a rewrite can copy them verbatim).</summary>
    public static List<OnnxField> ReadFields(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var fields = new List<OnnxField>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            fields.Add(type switch
            {
                WireFormat.WireType.Varint => new OnnxField(number, type, input.ReadUInt64(), null),
                WireFormat.WireType.Fixed32 => new OnnxField(number, type, input.ReadFixed32(), null),
                WireFormat.WireType.Fixed64 => new OnnxField(number, type, input.ReadFixed64(), null),
                WireFormat.WireType.LengthDelimited => new OnnxField(number, type, 0, input.ReadBytes()),
                _ => throw new InvalidDataException($"unexpected protobuf wire type {type} in field {number}"),
            });
        }
        return fields;
    }

    /// <summary>Field 2 (<c>OperatorSetIdProto.version</c>) of an opset import; 0 when absent.</summary>
    public static long OpsetVersion(ByteString bytes) =>
        ReadFields(bytes).Where(f => f.Number == 2 && f.Type == WireFormat.WireType.Varint).Select(f => (long)f.Value).DefaultIfEmpty(0).Last();
}
