using System.Net;

namespace MarketPulse.Server.Tests;

/// <summary>A mistyped <c>MarketPulse:Sentiment:Precision</c> leaves the service alive but not ready, instead of serving the wrong model.</summary>
public sealed class SentimentPrecisionConfigTests(SentimentPrecisionConfigTests.BadPrecisionServer server) : IClassFixture<SentimentPrecisionConfigTests.BadPrecisionServer>
{
    public sealed class BadPrecisionServer : ServerFixture
    {
        protected override IEnumerable<string> ExtraArgs() => ["--MarketPulse:Replay:Enabled=false", "--MarketPulse:Sentiment:Precision=fp16"];
    }

    [Fact]
    public async Task The_silo_is_live_but_not_ready()
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Http.GetAsync("/health/ready")).StatusCode);
    }
}
