using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Orleans.Runtime;

namespace MarketPulse.Server.Api;

/// <summary>
/// Turns the cluster's transient failures into <c>503 Service Unavailable</c> with <c>Retry-After</c> instead of a 500:
/// a grain call to a silo that has just died fails until membership declares it dead and the grain is re-activated
/// elsewhere (seconds), a gateway may shed load, and a grain call may time out. All of these succeed when retried, so
/// the client is told so. Everything else falls through to the default ProblemDetails 500.
/// </summary>
public sealed class ClusterUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public static bool IsTransient(Exception exception) => exception switch
    {
        OrleansMessageRejectionException or GatewayTooBusyException or TimeoutException => true,
        AggregateException { InnerExceptions.Count: 1 } aggregate => IsTransient(aggregate.InnerExceptions[0]),
        _ => false,
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransient(exception) || context.Response.HasStarted) return false;
        ServerLog.ClusterUnavailable(logger, context.Request.Method, context.Request.Path, exception.GetType().Name, exception.Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The cluster is briefly unavailable",
                Detail = "A silo is failing over or overloaded; retry after the Retry-After interval.",
            },
        });
    }
}
