using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// SVG plots of <c>bench pipeline</c> results (OxyPlot's SVG exporter: no native dependencies): throughput and latency
/// against tickers (the closed-loop runs, one line per profile and day length), the latency CDF of every run, and a soak's
/// memory, latency and throughput over time.
/// </summary>
public static class BenchPlot
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input") { Required = true, AllowMultipleArgumentsPerToken = true, Description = "Files of bench pipeline JSON lines (other lines are skipped)." };
        var output = new Option<string>("--out") { Required = true, Description = "Directory to write the SVG files into (created if missing)." };
        var command = new Command("plot", "Write SVG plots (throughput against tickers, latency CDF, memory over a soak) from bench pipeline JSON lines.");
        command.Options.Add(input);
        command.Options.Add(output);
        command.SetAction((parse, ct) =>
        {
            var results = new List<JsonElement>();
            foreach (var file in parse.GetValue(input)!)
            {
                if (!File.Exists(file)) throw new CliInputException($"--input: {file} does not exist");
                foreach (var line in File.ReadLines(file))
                {
                    var t = line.Trim();
                    if (!t.StartsWith('{')) continue;
                    try
                    {
                        var e = JsonDocument.Parse(t).RootElement;
                        if (e.TryGetProperty("ticks_per_sec", out _) && e.TryGetProperty("tickers", out _)) results.Add(e.Clone());
                    }
                    catch (JsonException ex)
                    {
                        throw new CliInputException($"--input: {file}: a line is not valid JSON ({ex.Message})");
                    }
                }
            }
            if (results.Count == 0) throw new CliInputException("--input: no bench pipeline results (JSON lines with ticks_per_sec and tickers) found");
            var dir = parse.GetValue(output)!;
            foreach (var file in Write(results, dir)) parse.InvocationConfiguration.Output.WriteLine(file);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Writes the plots the results allow; returns the files written.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<JsonElement> results, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Save(PlotModel model, string name)
        {
            var path = Path.Combine(directory, name);
            using var stream = File.Create(path);
            new SvgExporter { Width = 800, Height = 480 }.Export(model, stream);
            written.Add(path);
        }

        var closedLoop = results.Where(r => !r.TryGetProperty("soak", out _) && !r.TryGetProperty("rate_limit", out _)).ToList();
        if (closedLoop.Count > 0)
        {
            var groups = closedLoop.GroupBy(Group).ToList();
            var tput = Model("Throughput against tickers", "tickers", "ticks applied per second", logX: true);
            var lat = Model("Latency (ingest → readable snapshot) against tickers", "tickers", "ms", logX: true, logY: true);
            foreach (var g in groups)
            {
                var points = g.OrderBy(r => r.GetProperty("tickers").GetInt32()).ToList();
                tput.Series.Add(Line(g.Key, points.Select(r => new DataPoint(r.GetProperty("tickers").GetInt32(), r.GetProperty("ticks_per_sec").GetDouble()))));
                lat.Series.Add(Line($"p50, {g.Key}", points.Select(r => new DataPoint(r.GetProperty("tickers").GetInt32(), r.GetProperty("latency_p50_ms").GetDouble()))));
                lat.Series.Add(Line($"p99, {g.Key}", points.Select(r => new DataPoint(r.GetProperty("tickers").GetInt32(), r.GetProperty("latency_p99_ms").GetDouble()))));
            }
            Save(tput, "throughput-vs-tickers.svg");
            Save(lat, "latency-vs-tickers.svg");
        }

        var withCdf = results.Where(r => r.TryGetProperty("latency_cdf_ms", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() > 0).ToList();
        if (withCdf.Count > 0)
        {
            var cdf = Model("Latency CDF (ingest → readable snapshot)", "latency ms", "fraction of batches", logX: true);
            foreach (var r in withCdf)
                cdf.Series.Add(Line(Label(r), r.GetProperty("latency_cdf_ms").EnumerateArray()
                    .Select(p => new DataPoint(Math.Max(0.01, p[1].GetDouble()), p[0].GetDouble()))));
            Save(cdf, "latency-cdf.svg");
        }

        var soaks = results.Where(r => r.TryGetProperty("soak", out var s) && s.ValueKind == JsonValueKind.Object).ToList();
        foreach (var (r, i) in soaks.Select((r, i) => (r, i)))
        {
            var samples = r.GetProperty("soak").GetProperty("samples").EnumerateArray().ToList();
            var suffix = soaks.Count == 1 ? "" : $"-{i + 1}";
            var mem = Model($"Memory over the soak ({Label(r)})", "minutes", "MB");
            mem.Series.Add(Line("working set", samples.Select(s => new DataPoint(s.GetProperty("t_s").GetDouble() / 60, s.GetProperty("working_set_mb").GetDouble()))));
            mem.Series.Add(Line("GC heap", samples.Select(s => new DataPoint(s.GetProperty("t_s").GetDouble() / 60, s.GetProperty("gc_heap_mb").GetDouble()))));
            Save(mem, $"soak-memory{suffix}.svg");
            var lat = Model($"Latency and throughput over the soak ({Label(r)})", "minutes", "ms", logY: true);
            lat.Series.Add(Line("p50", samples.Where(s => Finite(s, "latency_p50_ms")).Select(s => new DataPoint(s.GetProperty("t_s").GetDouble() / 60, s.GetProperty("latency_p50_ms").GetDouble()))));
            lat.Series.Add(Line("p99", samples.Where(s => Finite(s, "latency_p99_ms")).Select(s => new DataPoint(s.GetProperty("t_s").GetDouble() / 60, s.GetProperty("latency_p99_ms").GetDouble()))));
            lat.Axes.Add(new LinearAxis { Position = AxisPosition.Right, Key = "tps", Title = "ticks/s", Minimum = 0, MajorGridlineStyle = LineStyle.None, StringFormat = "#,0" });
            var tps = Line("ticks/s (right axis)", samples.Select(s => new DataPoint(s.GetProperty("t_s").GetDouble() / 60, s.GetProperty("ticks_per_sec").GetDouble())));
            tps.YAxisKey = "tps";
            tps.LineStyle = LineStyle.Dot;
            lat.Series.Add(tps);
            Save(lat, $"soak-latency{suffix}.svg");
        }
        return written;
    }

    private static bool Finite(JsonElement s, string name) =>
        s.GetProperty(name).ValueKind == JsonValueKind.Number && double.IsFinite(s.GetProperty(name).GetDouble()) && s.GetProperty(name).GetDouble() > 0;

    private static string Group(JsonElement r)
    {
        var profile = r.TryGetProperty("profile", out var p) ? p.GetString() : "Local";
        var day = r.TryGetProperty("day_ticks", out var d) ? d.GetInt32() : 23_400;
        return day == 23_400 ? profile! : $"{profile}, {day.ToString(CultureInfo.InvariantCulture)}-trade days";
    }

    private static string Label(JsonElement r)
    {
        var label = $"{r.GetProperty("tickers").GetInt32().ToString("N0", CultureInfo.InvariantCulture)} tickers, {Group(r)}";
        return r.TryGetProperty("rate_limit", out var rate) && rate.ValueKind == JsonValueKind.Number
            ? $"{label}, {rate.GetDouble().ToString("N0", CultureInfo.InvariantCulture)} ticks/s paced"
            : label;
    }

    private static PlotModel Model(string title, string x, string y, bool logX = false, bool logY = false)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White, DefaultFont = "Arial" };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopLeft, LegendPlacement = LegendPlacement.Inside, LegendBackground = OxyColor.FromAColor(200, OxyColors.White) });
        model.Axes.Add(logX ? new LogarithmicAxis { Position = AxisPosition.Bottom, Title = x, MajorGridlineStyle = LineStyle.Dot }
            : new LinearAxis { Position = AxisPosition.Bottom, Title = x, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(logY ? new LogarithmicAxis { Position = AxisPosition.Left, Title = y, MajorGridlineStyle = LineStyle.Dot }
            : new LinearAxis { Position = AxisPosition.Left, Title = y, Minimum = 0, MajorGridlineStyle = LineStyle.Dot, StringFormat = "#,0.##" });
        return model;
    }

    private static LineSeries Line(string title, IEnumerable<DataPoint> points)
    {
        var series = new LineSeries { Title = title, MarkerType = MarkerType.Circle, MarkerSize = 3 };
        series.Points.AddRange(points);
        return series;
    }
}
