using System.Security.Claims;
using MarketPulse.Abstractions.Security;
using Microsoft.AspNetCore.SignalR;

namespace MarketPulse.Server.Security;

/// <summary>
/// Who is calling and what they may do, the same way for every kind of credential: development keys, stored keys and
/// identity-provider tokens all end up as a name and scope claims that the authorization policies read.
/// </summary>
public static class Principals
{
    /// <summary>The claim type API keys carry their scopes in (one claim per scope).</summary>
    public const string ScopeClaim = "scope";

    /// <summary>Policy names: one per scope (<see cref="ApiScopes"/>); other parts of the service use <see cref="AdminPolicy"/>.</summary>
    public const string ReadPolicy = ApiScopes.Read;
    public const string IngestPolicy = ApiScopes.Ingest;
    public const string AlertsPolicy = ApiScopes.Alerts;
    public const string AdminPolicy = ApiScopes.Admin;

    /// <summary>Token claims that may carry scopes or roles: ours, OAuth <c>scope</c>/<c>scp</c> (space-separated), Entra <c>roles</c>.</summary>
    private static readonly string[] ScopeClaimTypes =
        [ScopeClaim, "scp", "roles", "role", ClaimTypes.Role, "http://schemas.microsoft.com/identity/claims/scope"];

    /// <summary>The principal's id (owner of its alert rules), or null when anonymous.</summary>
    public static string? IdOf(ClaimsPrincipal user) => user.Identity is { IsAuthenticated: true } id ? id.Name : null;

    /// <summary>True when the principal holds the scope, or <c>admin</c>. Role/scope values may be prefixed (<c>MarketPulse.Admin</c>).</summary>
    public static bool Has(ClaimsPrincipal user, string scope)
    {
        if (user.Identity is not { IsAuthenticated: true }) return false;
        foreach (var claim in user.Claims)
        {
            if (!ScopeClaimTypes.Contains(claim.Type)) continue;
            foreach (var value in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var v = value[(value.LastIndexOfAny(['.', '/', ':']) + 1)..];
                if (v.Equals(scope, StringComparison.OrdinalIgnoreCase) || v.Equals(ApiScopes.Admin, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }

    public static bool IsAdmin(ClaimsPrincipal user) => Has(user, ApiScopes.Admin);
}

/// <summary>SignalR's user id is the principal id, so alerts can be sent to their owner's connections.</summary>
public sealed class PrincipalUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) => Principals.IdOf(connection.User);
}
