namespace MarketPulse.Core.Tests.Indicators;

/// <summary>One bar of a test series; <see cref="Day"/> is the exchange-local trading day (the VWAP session).</summary>
public readonly record struct TestBar(DateOnly Day, double Open, double High, double Low, double Close, double Volume);
