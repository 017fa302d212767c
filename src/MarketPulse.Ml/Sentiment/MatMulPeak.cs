using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using static MarketPulse.Ml.Onnx.OnnxProtoWriter;

namespace MarketPulse.Ml.Sentiment;

/// <summary>
/// The machine's single-precision matrix-multiply rate as ONNX Runtime reaches it (the same MLAS kernels the encoder's
/// MatMuls use): a one-node ONNX graph Y = A·B on square matrices, best of several timed runs. The yardstick for "what
/// fraction of the arithmetic the hardware allows does the model reach". For int8 the one node is the int8 model's own
/// <c>DynamicQuantizeMatMul</c> (float A quantised per call, constant int8 B with per-column scales), made by running
/// <see cref="DynamicInt8Quantizer"/> over the same graph with B as a constant, so the yardstick includes what the model pays.
/// </summary>
public static class MatMulPeak
{
    /// <returns>Multiply-adds × 2 per second, in billions (for int8: the float-equivalent operations the int8 GEMM does).</returns>
    public static double MeasureGflops(int size = 1024, int repeats = 5, double secondsPerRepeat = 0.4, int? threads = null,
        SentimentPrecision precision = SentimentPrecision.Float32)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads is { } t) options.IntraOpNumThreads = t;
        var random = new Random(1);
        var a = new float[size * size];
        var b = new float[size * size];
        for (var i = 0; i < a.Length; i++) { a[i] = (float)random.NextDouble(); b[i] = (float)random.NextDouble(); }
        var int8 = precision == SentimentPrecision.Int8;
        using var session = new InferenceSession(int8 ? DynamicInt8Quantizer.Quantize(BuildModel(size, b)).Model : BuildModel(size), options);
        long[] shape = [size, size];
        using var va = OrtValue.CreateTensorValueFromMemory(a, shape);
        using var vb = OrtValue.CreateTensorValueFromMemory(b, shape);
        var inputs = new Dictionary<string, OrtValue> { ["A"] = va };
        if (!int8) inputs["B"] = vb;
        using var run = new RunOptions();
        using (session.Run(run, inputs, ["Y"])) { } // warm-up: thread pool, packing buffers
        var flops = 2.0 * size * size * size;
        var best = 0.0;
        for (var r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            var n = 0;
            do
            {
                using (session.Run(run, inputs, ["Y"])) { }
                n++;
            } while (clock.Elapsed.TotalSeconds < secondsPerRepeat);
            best = Math.Max(best, n * flops / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>ModelProto (ir 8, opset 13) with one MatMul node over float inputs A, B [size × size]; with <paramref name="constantB"/>, B is an initializer instead of an input.</summary>
    public static byte[] BuildModel(int size, float[]? constantB = null)
    {
        ByteString Dim() => Message(o => { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(size); });
        ByteString Value(string name) => Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString(name);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteBytes(Message(type =>
            {
                type.WriteTag(1, WireFormat.WireType.LengthDelimited); type.WriteBytes(Message(tensor =>
                {
                    tensor.WriteTag(1, WireFormat.WireType.Varint); tensor.WriteInt32(FloatType);
                    tensor.WriteTag(2, WireFormat.WireType.LengthDelimited); tensor.WriteBytes(Message(shape =>
                    {
                        shape.WriteTag(1, WireFormat.WireType.LengthDelimited); shape.WriteBytes(Dim());
                        shape.WriteTag(1, WireFormat.WireType.LengthDelimited); shape.WriteBytes(Dim());
                    }));
                }));
            }));
        });
        var node = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString("A");
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteString("B");
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString("Y");
            o.WriteTag(4, WireFormat.WireType.LengthDelimited); o.WriteString("MatMul");
        });
        var graph = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteBytes(node);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteString("matmul-peak");
            if (constantB is not null)
            {
                if (constantB.Length != size * size) throw new ArgumentException($"B needs {size * size} values", nameof(constantB));
                o.WriteTag(5, WireFormat.WireType.LengthDelimited); o.WriteBytes(FloatTensor("B", [size, size], constantB));
            }
            o.WriteTag(11, WireFormat.WireType.LengthDelimited); o.WriteBytes(Value("A"));
            if (constantB is null) { o.WriteTag(11, WireFormat.WireType.LengthDelimited); o.WriteBytes(Value("B")); }
            o.WriteTag(12, WireFormat.WireType.LengthDelimited); o.WriteBytes(Value("Y"));
        });
        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(8);
            o.WriteTag(7, WireFormat.WireType.LengthDelimited); o.WriteBytes(graph);
            o.WriteTag(8, WireFormat.WireType.LengthDelimited); o.WriteBytes(Message(opset =>
            {
                opset.WriteTag(1, WireFormat.WireType.LengthDelimited); opset.WriteString("");
                opset.WriteTag(2, WireFormat.WireType.Varint); opset.WriteInt64(13);
            }));
        }).ToByteArray();
    }
}
