using System.Text.Json;
using MarketPulse.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace MarketPulse.Server.Tests;

/// <summary>A grain call that fails because a silo is failing over answers 503 + Retry-After (retry), not 500 (bug).</summary>
public class ClusterUnavailableExceptionHandlerTests
{
    private static async Task<(bool Handled, HttpContext Context, string Body)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/api/alerts";
        context.Response.Body = new MemoryStream();
        var handler = new ClusterUnavailableExceptionHandler(services.GetRequiredService<IProblemDetailsService>(),
            NullLogger<ClusterUnavailableExceptionHandler>.Instance);
        var handled = await handler.TryHandleAsync(context, exception, CancellationToken.None);
        context.Response.Body.Position = 0;
        return (handled, context, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task A_dead_silo_answers_503_with_retry_after_and_problem_details()
    {
        var (handled, context, body) = await HandleAsync(new SiloUnavailableException("The target silo became unavailable"));
        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("retry", problem.RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Grain_call_timeouts_and_busy_gateways_are_transient_too()
    {
        Assert.True((await HandleAsync(new TimeoutException("Response did not arrive on time"))).Handled);
        Assert.True((await HandleAsync(new GatewayTooBusyException())).Handled);
    }

    [Fact]
    public async Task Other_failures_are_left_to_the_default_500()
    {
        var (handled, context, _) = await HandleAsync(new InvalidOperationException("a bug"));
        Assert.False(handled);
        Assert.NotEqual(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
    }
}
