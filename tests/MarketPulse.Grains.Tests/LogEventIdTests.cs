using System.Reflection;
using MarketPulse.Grains.History;
using MarketPulse.Ingestion.Live;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Tests;

/// <summary>
/// Event ids are what log queries and alerts key on: every [LoggerMessage] method of the grains and ingestion names one,
/// and no two share it (each area's log class has its own range, listed in docs/architecture.md).
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Every_log_message_has_its_own_explicit_event_id()
    {
        var messages = new[] { typeof(HistoryRecorder).Assembly, typeof(WebSocketMarketFeed).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.Name}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();

        Assert.True(messages.Count >= 50, $"only {messages.Count} [LoggerMessage] methods found");
        Assert.Empty(messages.Where(x => x.Attribute!.EventId <= 0).Select(x => x.Method));
        var shared = messages.GroupBy(x => x.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Method))}");
        Assert.Empty(shared);
    }
}
