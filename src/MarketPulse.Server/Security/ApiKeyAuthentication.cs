using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using MarketPulse.Abstractions.Security;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Security;

/// <summary>
/// Authenticates a request by an API key sent as <c>X-Api-Key</c>, as <c>Authorization: Bearer &lt;key&gt;</c>, or (SignalR
/// only, where browsers cannot set headers on websockets) as the <c>access_token</c> query parameter. A stored key
/// (<c>mpk_ID_SECRET</c>) gives its owner and scopes unless expired or revoked; a development key from
/// <c>MarketPulse:Api:Keys</c> gives <c>api-key-N</c> with every scope. Secrets are compared in constant time and never
/// become claims or log fields. Failures answer 401 ProblemDetails.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<MarketPulseOptions> settings,
    ApiKeyStore store,
    TimeProvider time,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string KeyIdClaim = "key_id";

    /// <summary>The credential a request presents, from the header, the bearer token or (hub requests) the query.</summary>
    public static string? Presented(HttpRequest request)
    {
        string? presented = request.Headers[Header];
        if (string.IsNullOrEmpty(presented))
        {
            var auth = request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) presented = auth["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(presented) && request.Path.StartsWithSegments("/hubs")) presented = request.Query["access_token"];
        return string.IsNullOrEmpty(presented) ? null : presented;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null) return AuthenticateResult.NoResult();

        if (ApiKeyFormat.TryParse(presented, out var id, out var secret))
        {
            var record = await store.FindAsync(id);
            if (record is null || !ApiKeyFormat.Matches(record, secret)) return AuthenticateResult.Fail("invalid API key");
            if (!record.IsActive(time.GetUtcNow().UtcDateTime))
                return AuthenticateResult.Fail(record.RevokedAtUtc is null ? "expired API key" : "revoked API key");
            return Success(record.Owner, record.Scopes, new Claim(KeyIdClaim, record.Id));
        }

        var given = Encoding.UTF8.GetBytes(presented);
        var index = 0;
        foreach (var key in settings.CurrentValue.Api.Keys)
        {
            if (!string.IsNullOrEmpty(key) && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(key)))
                return Success($"api-key-{index}", ApiScopes.All);
            index++;
        }
        return AuthenticateResult.Fail("invalid API key");
    }

    private static AuthenticateResult Success(string name, IEnumerable<string> scopes, params Claim[] extra)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(scopes.Select(s => new Claim(Principals.ScopeClaim, s)));
        claims.AddRange(extra);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\", Bearer";
        var result = await AuthenticateAsync();
        var detail = result.Failure?.Message switch
        {
            "expired API key" => "The API key has expired.",
            "revoked API key" => "The API key has been revoked.",
            not null => "The API key is not valid.",
            null => $"Send an API key in the {Header} header (or as a bearer token).",
        };
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = "The credential lacks the scope this endpoint needs." },
        });
    }
}
