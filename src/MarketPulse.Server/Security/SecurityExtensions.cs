using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using MarketPulse.Abstractions.Security;
using MarketPulse.Server.Api;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MarketPulse.Server.Security;

/// <summary>Authentication (API keys, identity-provider tokens), the scope policies, rate limits and CORS in one place.</summary>
public static class SecurityExtensions
{
    /// <summary>The default scheme: picks JWT bearer for a token with the shape of a JWT, API keys otherwise.</summary>
    public const string SelectorScheme = "MarketPulse";
    public const string CorsPolicy = "configured-origins";

    public static void AddMarketPulseSecurity(this WebApplicationBuilder builder, MarketPulseOptions options)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<IUserIdProvider, PrincipalUserIdProvider>();
        services.AddSingleton<Realtime.HubConnectionCounter>();

        var jwt = options.Api.Jwt;
        var jwtOn = !string.IsNullOrWhiteSpace(jwt.Authority);
        var auth = services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                jwtOn && LooksLikeJwt(ApiKeyAuthenticationHandler.Presented(context.Request)) ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (jwtOn)
        {
            auth.AddJwtBearer(o =>
            {
                o.Authority = jwt.Authority;
                o.Audience = jwt.Audience;
                o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                // Claims keep their token names (scp, roles, sub), which is what the scope policies read.
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = jwt.NameClaim;
                o.TokenValidationParameters.ValidateAudience = !string.IsNullOrWhiteSpace(jwt.Audience);
                o.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on websockets: SignalR sends the token in the query string.
                    OnMessageReceived = context =>
                    {
                        if (string.IsNullOrEmpty(context.Token) && context.Request.Path.StartsWithSegments("/hubs"))
                            context.Token = context.Request.Query["access_token"];
                        return Task.CompletedTask;
                    },
                };
            });
        }

        var requireReads = options.Api.RequireKeyForReads;
        services.AddAuthorizationBuilder()
            .AddPolicy(Principals.ReadPolicy, p => p.RequireAssertion(c => !requireReads || Principals.Has(c.User, ApiScopes.Read)))
            .AddPolicy(Principals.IngestPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Principals.Has(c.User, ApiScopes.Ingest)))
            .AddPolicy(Principals.AlertsPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Principals.Has(c.User, ApiScopes.Alerts)))
            .AddPolicy(Principals.AdminPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => Principals.Has(c.User, ApiScopes.Admin)));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = WriteTooManyRequestsAsync;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Principals.IdOf(context.User) is { } id
                    ? PerMinute("principal:" + id, options.Api.RequestsPerMinutePerPrincipal)
                    : RateLimitPartition.GetNoLimiter("anonymous")),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    PerMinute("ip:" + (context.Connection.RemoteIpAddress ?? IPAddress.None), options.Api.RequestsPerMinutePerIp)));
            limiter.AddPolicy(IngestEndpoints.RateLimitPolicy, context =>
                PerMinute(Principals.IdOf(context.User) ?? "anonymous", options.Api.IngestRequestsPerMinute));
        });

        services.AddCors(cors => cors.AddPolicy(CorsPolicy, p =>
        {
            // No origins configured: no CORS headers at all, so browsers keep other origins out.
            if (options.Api.CorsOrigins.Count > 0)
                p.WithOrigins([.. options.Api.CorsOrigins]).AllowAnyMethod()
                    .WithHeaders("Content-Type", "Authorization", ApiKeyAuthenticationHandler.Header, "X-Requested-With", "X-SignalR-User-Agent")
                    .AllowCredentials();
        }));
    }

    /// <summary>CORS, authentication, rate limits (after authentication, so they see the principal; before authorization, so failed credentials count too), authorization.</summary>
    public static void UseMarketPulseSecurity(this WebApplication app)
    {
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static bool LooksLikeJwt(string? token) => token is not null && token.Count(c => c == '.') == 2 && !token.StartsWith(ApiKeyFormat.Prefix, StringComparison.Ordinal);

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Rate limit reached; retry after {seconds} s.",
            },
        });
    }
}
