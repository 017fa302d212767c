using System.ComponentModel.DataAnnotations;
using MarketPulse.Core.Configuration;

namespace MarketPulse.Ingestion.Live;

/// <summary>Settings under <c>MarketPulse:Live</c>. Both adapters are off by default.</summary>
public sealed class LiveFeedsOptions
{
    public const string Section = "MarketPulse:Live";

    public AlpacaFeedSettings Alpaca { get; set; } = new();
    public CoinbaseFeedSettings Coinbase { get; set; } = new();
}

/// <summary>What every websocket adapter shares: where, what, and how patiently.</summary>
public class LiveFeedSettings : IValidatableObject
{
    public bool Enabled { get; set; }
    public string Url { get; set; } = "";
    public List<string> Symbols { get; set; } = [];

    /// <summary>No frame (data or heartbeat) for this long means the connection is dead: it is dropped and re-opened.</summary>
    [Positive] public double StaleAfterSeconds { get; set; } = 30;

    [Positive] public double ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>First reconnect delay; it doubles per failed attempt (±20 % jitter) up to <see cref="ReconnectMaxSeconds"/>.</summary>
    [Positive] public double ReconnectInitialSeconds { get; set; } = 0.5;

    [Positive] public double ReconnectMaxSeconds { get; set; } = 60;

    /// <summary>Ticks are forwarded in batches of at most this many, or after <see cref="BatchMaxDelayMs"/>, whichever first.</summary>
    [Positive] public int BatchMaxItems { get; set; } = 1000;

    [NonNegative] public double BatchMaxDelayMs { get; set; } = 100;

    [Positive] public int MaxFrameBytes { get; set; } = 1 << 20;

    /// <summary>Ticks kept while the cluster cannot take them; beyond this the oldest are dropped (counted).</summary>
    [Positive] public int MaxBufferedTicks { get; set; } = 100_000;

    /// <summary>An enabled feed needs somewhere to connect to.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !Uri.TryCreate(Url, UriKind.Absolute, out _))
            yield return new ValidationResult($"must be an absolute URL when the feed is enabled (is '{Url}')", [nameof(Url)]);
    }
}

public sealed class AlpacaFeedSettings : LiveFeedSettings
{
    public const string KeyEnvironment = "APCA_API_KEY_ID";
    public const string SecretEnvironment = "APCA_API_SECRET_KEY";

    public AlpacaFeedSettings() => Url = "wss://stream.data.alpaca.markets/v2/iex";

    /// <summary>From configuration (<c>MarketPulse__Live__Alpaca__KeyId</c>) or, failing that, Alpaca's own <c>APCA_API_KEY_ID</c>.</summary>
    public string? KeyId { get; set; }

    /// <summary>From configuration (<c>MarketPulse__Live__Alpaca__SecretKey</c>) or Alpaca's own <c>APCA_API_SECRET_KEY</c>.</summary>
    public string? SecretKey { get; set; }

    public bool SubscribeBars { get; set; }

    public (string Key, string Secret)? ResolveCredentials()
    {
        var key = string.IsNullOrWhiteSpace(KeyId) ? Environment.GetEnvironmentVariable(KeyEnvironment) : KeyId;
        var secret = string.IsNullOrWhiteSpace(SecretKey) ? Environment.GetEnvironmentVariable(SecretEnvironment) : SecretKey;
        return string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(secret) ? null : (key, secret);
    }
}

public sealed class CoinbaseFeedSettings : LiveFeedSettings
{
    public CoinbaseFeedSettings()
    {
        Url = "wss://ws-feed.exchange.coinbase.com";
        Symbols = ["BTC-USD", "ETH-USD"];
    }
}
