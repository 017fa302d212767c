using MarketPulse.Server.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketPulse.Server.Tests;

/// <summary>The out-of-sample report /api/models shows: read from what <c>eval walkforward --out</c> writes; a bad file is logged, never fatal.</summary>
public sealed class OutOfSampleReportTests
{
    private static string Shipped => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "models", OutOfSampleReport.FileName));

    [Fact]
    public void The_shipped_report_maps_the_backtests_signals_to_the_live_names()
    {
        var report = OutOfSampleReport.Parse(Shipped);
        Assert.Equal(("2014-09-01", "2015-10-01"), (report.From, report.To));
        var persistence = report.Signals.Single(s => s.Signal == "persistence");
        Assert.True(persistence.N > 10_000);
        Assert.Equal(2, persistence.MccCi95!.Length);
        Assert.DoesNotContain(report.Signals, s => s.Signal == "yesterday");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"n": 1}""")]
    [InlineData("""{"from":"2015-08-01","to":"2015-10-01","service":{"days":42,"by_signal":{"unknown":{}}}}""")]
    [InlineData("""{"from":"2015-08-01","to":"2015-10-01","service":{"days":42,"by_signal":{"price":{"n":"many"}}}}""")]
    public void A_file_that_is_not_a_report_is_logged_and_skipped(string content)
    {
        var dir = Directory.CreateTempSubdirectory("mp-oos-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, OutOfSampleReport.FileName), content);
            var log = new CollectingLogger();
            Assert.Null(OutOfSampleReport.Load(new MarketPulse.Ml.ModelLocator(dir.FullName), log));
            Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("not readable"));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void No_file_means_no_report()
    {
        var dir = Directory.CreateTempSubdirectory("mp-oos-");
        try
        {
            Assert.Null(OutOfSampleReport.Load(new MarketPulse.Ml.ModelLocator(dir.FullName), NullLogger.Instance));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private sealed class CollectingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
