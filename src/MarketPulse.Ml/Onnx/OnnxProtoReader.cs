using Google.Protobuf;

namespace MarketPulse.Ml.Onnx;

/// <summary>One ONNX <c>NodeProto</c>'s operator, domain, name and value names.</summary>
public sealed record OnnxNode(string Op, string Domain, string Name, List<string> Inputs, List<string> Outputs);

/// <summary>
/// The few ONNX protobuf messages that the graph readers here need, read field by field with Google.Protobuf's
/// <see cref="CodedInputStream"/> (ONNX ships no C# message classes; field numbers from onnx.proto). Shared by the int8
/// quantiser (serving) and the fine-tuning weight reader (training).
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
}
