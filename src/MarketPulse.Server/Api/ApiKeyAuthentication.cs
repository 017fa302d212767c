using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Api;

/// <summary>
/// Authenticates a request by a key from <c>MarketPulse:Api:Keys</c>, sent as <c>X-Api-Key</c> or as
/// <c>Authorization: Bearer &lt;key&gt;</c>. Keys are compared in constant time; failures answer 401 ProblemDetails.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<MarketPulseOptions> settings,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers[Header];
        if (string.IsNullOrEmpty(presented))
        {
            var auth = Request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) presented = auth["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(presented)) return Task.FromResult(AuthenticateResult.NoResult());

        var given = Encoding.UTF8.GetBytes(presented);
        var index = 0;
        foreach (var key in settings.CurrentValue.Api.Keys)
        {
            if (!string.IsNullOrEmpty(key) && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(key)))
            {
                // The key itself never becomes a claim or a log field; its position identifies the caller for rate limits.
                var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"api-key-{index}")], SchemeName);
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
            }
            index++;
        }
        return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\", Bearer";
        var configured = settings.CurrentValue.Api.Keys.Any(k => !string.IsNullOrEmpty(k));
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = !configured
                    ? "No API keys are configured on this server (MarketPulse:Api:Keys), so ingest is closed."
                    : Request.Headers.ContainsKey(Header) || Request.Headers.Authorization.Count > 0
                        ? "The API key is not valid."
                        : $"Send an API key in the {Header} header (or as a bearer token).",
            },
        });
    }
}
