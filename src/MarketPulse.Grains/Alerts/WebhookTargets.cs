using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace MarketPulse.Grains.Alerts;

/// <summary>
/// Which webhook targets the service may reach, checked twice: on the literal URL when a rule is created (so an obvious
/// mistake or probe is a 400 at once) and on every address the name resolves to when a delivery connects (so a name
/// that resolves, or later re-resolves, to an inside address is refused: DNS rebinding cannot bypass the rule).
/// </summary>
public static class WebhookTargets
{
    /// <summary>Cloud instance-metadata and platform endpoints outside the link-local and private ranges.</summary>
    private static readonly IPAddress[] Metadata =
    [
        IPAddress.Parse("168.63.129.16"),   // Azure WireServer / platform DNS
        IPAddress.Parse("100.100.100.200"), // Alibaba metadata (also in 100.64/10)
        IPAddress.Parse("fd00:ec2::254"),   // AWS IMDS over IPv6 (also in fc00::/7)
    ];

    private static readonly string[] ForbiddenHosts = ["localhost", "metadata.google.internal", "metadata"];

    /// <summary>
    /// True for an address a webhook must not reach unless private targets are allowed: unspecified, loopback, private
    /// (RFC 1918, unique local), carrier-grade NAT, link-local (which holds 169.254.169.254), multicast, broadcast, reserved,
    /// and the cloud metadata addresses; IPv4-mapped IPv6 addresses are judged by their IPv4 address.
    /// </summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || Metadata.Contains(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127,
                169 => b[1] == 254,
                172 => b[1] is >= 16 and <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99),
                198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100),
                203 => b[1] == 0 && b[2] == 113,
                >= 224 => true, // multicast 224/4, reserved 240/4, broadcast
                _ => false,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return true;
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal) return true;
            var b = address.GetAddressBytes();
            // 64:ff9b::/96 (NAT64) carries an IPv4 address in its last four bytes; 2001:db8::/32 is documentation.
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return IsForbidden(new IPAddress(b[12..16]));
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Why a webhook URL is refused at creation, or null when it is acceptable: not absolute http(s), credentials in it,
    /// plain http where https is required, or a host that is literally a forbidden address or name.
    /// </summary>
    public static string? Check(string? url, AlertOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
            return "must be an absolute http or https URL without credentials";
        if (uri.Scheme == "http" && !options.AllowHttpTargets)
            return "must use https (plain http targets are off: MarketPulse:Alerts:AllowHttpTargets)";
        if (options.AllowPrivateTargets) return null;
        var host = uri.IdnHost.TrimEnd('.');
        if (IPAddress.TryParse(host, out var ip) && IsForbidden(ip))
            return $"'{uri.Host}' is a loopback, private, link-local, multicast or metadata address (allowed only with MarketPulse:Alerts:AllowPrivateTargets)";
        if (ForbiddenHosts.Any(h => host.Equals(h, StringComparison.OrdinalIgnoreCase)) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return $"'{uri.Host}' names this machine or a metadata service (allowed only with MarketPulse:Alerts:AllowPrivateTargets)";
        return null;
    }

    /// <summary>Resolves the host and connects to its first allowed address; refuses when none is allowed.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = allowPrivate ? addresses : addresses.Where(a => !IsForbidden(a)).ToArray();
        if (allowed.Length == 0)
            throw new WebhookTargetRefusedException(
                $"webhook host '{endpoint.Host}' resolves only to loopback, private, link-local, multicast or metadata addresses");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A new per-rule signing secret (shown once, when the rule is created).</summary>
    public static string NewSecret() => "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The signature header value for a delivery: <c>t=UNIX_SECONDS,v1=HEX</c> where HEX is HMAC-SHA256, keyed with the
    /// secret's UTF-8 bytes, of <c>"{t}.{body}"</c> (the body exactly as sent).
    /// </summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{unixSeconds}.");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A delivery refused because its target is not allowed; never retried.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
