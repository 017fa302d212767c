using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using MarketPulse.Core.Market;
using MarketPulse.Ingestion.Lean;

namespace MarketPulse.Benchmarks;

/// <summary>
/// Parsing throughput of the LEAN readers on real files held in memory (so disk is out of the picture): from the
/// uncompressed CSV (parser alone) and from the zip (inflate + parse, what a replay does). Results are per row;
/// MB/s = uncompressed bytes per row ÷ ns per row × 1000 (the row sizes are printed by the setup).
/// </summary>
[MemoryDiagnoser]
public class LeanParserBenchmarks
{
    private const int TickRows = 250_601;   // tick/spy/20131007_trade.zip
    private const int MinuteRows = 828;     // minute/spy/20131007_trade.zip (827 newlines: no final one)
    private static readonly DateOnly Day = new(2013, 10, 7);
    private byte[] _tickZip = [];
    private byte[] _tickCsv = [];
    private byte[] _minuteZip = [];
    private byte[] _minuteCsv = [];

    [GlobalSetup]
    public void Setup()
    {
        _tickZip = File.ReadAllBytes(SharedData.Path("lean", "Data", "equity", "usa", "tick", "spy", "20131007_trade.zip"));
        _minuteZip = File.ReadAllBytes(SharedData.Path("lean", "Data", "equity", "usa", "minute", "spy", "20131007_trade.zip"));
        _tickCsv = Inflate(_tickZip);
        _minuteCsv = Inflate(_minuteZip);
        Console.WriteLine($"// tick csv {_tickCsv.Length} B = {_tickCsv.Length / (double)TickRows:F2} B/row; minute csv {_minuteCsv.Length} B = {_minuteCsv.Length / (double)MinuteRows:F2} B/row");
        if (TicksFromCsv() != TickRows || MinuteBarsFromCsv() != MinuteRows) throw new InvalidOperationException("row counts changed");
    }

    [Benchmark(OperationsPerInvoke = TickRows)]
    public int TicksFromCsv()
    {
        using var reader = new LeanTickTradeReader(new MemoryStream(_tickCsv), "spy.csv", Day, Fail);
        var n = 0;
        while (reader.TryRead(out _)) n++;
        return n;
    }

    [Benchmark(OperationsPerInvoke = TickRows)]
    public int TicksFromZip()
    {
        using var archive = new ZipArchive(new MemoryStream(_tickZip));
        using var reader = new LeanTickTradeReader(archive.Entries[0].Open(), "spy.zip", Day, Fail);
        var n = 0;
        while (reader.TryRead(out _)) n++;
        return n;
    }

    [Benchmark(OperationsPerInvoke = MinuteRows)]
    public int MinuteBarsFromCsv()
    {
        using var reader = new LeanMinuteTradeBarReader(new MemoryStream(_minuteCsv), "spy.csv", Day, Fail);
        var n = 0;
        while (reader.TryRead(out Bar _)) n++;
        return n;
    }

    [Benchmark(OperationsPerInvoke = MinuteRows)]
    public int MinuteBarsFromZip()
    {
        using var archive = new ZipArchive(new MemoryStream(_minuteZip));
        using var reader = new LeanMinuteTradeBarReader(archive.Entries[0].Open(), "spy.zip", Day, Fail);
        var n = 0;
        while (reader.TryRead(out Bar _)) n++;
        return n;
    }

    private static byte[] Inflate(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var output = new MemoryStream();
        archive.Entries[0].Open().CopyTo(output);
        return output.ToArray();
    }

    private static void Fail(LeanRowRejection r) => throw new InvalidOperationException($"{r.File}:{r.Line} {r.Reason}");
}
