using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Market;

namespace MarketPulse.Grains.Market;

[GenerateSerializer, Alias("marketpulse.tickerstate")]
public sealed class TickerState
{
    [Id(0)] public List<BarDto> DailyBars { get; set; } = [];
    [Id(1)] public List<BarDto> MinuteBars { get; set; } = [];
    [Id(2)] public long TicksApplied { get; set; }
    [Id(3)] public long BarsApplied { get; set; }
    [Id(4)] public double? LastPrice { get; set; }
    [Id(5)] public DateTime? LastTime { get; set; }
    [Id(6)] public BarDto? OpenMinute { get; set; }
    [Id(7)] public BarDto? OpenDay { get; set; }
    [Id(8)] public DateOnly? LastClosedDay { get; set; }
    [Id(9)] public DateTime? LastIngestedAtUtc { get; set; }
    /// <summary>Not read: a ticker registers with the market directory at each activation. Kept so stored state still reads.</summary>
    [Id(10)] public bool Registered { get; set; }

    /// <summary>Ids of the most recent applied batches, oldest first: a durable stream may deliver a batch again.</summary>
    [Id(11)] public List<Guid> RecentBatches { get; set; } = [];

    /// <summary>The last closed day whose next-day predictions are not issued yet (they wait for the prediction time).</summary>
    [Id(12)] public DateOnly? UnissuedBasis { get; set; }

    /// <summary>The symbol's last completed regular sessions as 30-minute slot variances (oldest first, at most <see cref="IntradayIssuer.KeptSessions"/>).</summary>
    [Id(13)] public List<IntradaySessionState> IntradaySessions { get; set; } = [];
    [Id(14)] public Abstractions.Forecasts.IntradayForecastDto? IntradayNext { get; set; }
    [Id(15)] public Abstractions.Forecasts.IntradayRecordDto? IntradayLastScored { get; set; }
    [Id(16)] public IntradayTotals IntradayTotals { get; set; } = new();
}

[GenerateSerializer, Alias("marketpulse.intradaysession")]
public sealed class IntradaySessionState
{
    [Id(0)] public DateOnly Day { get; set; }
    [Id(1)] public DateTime OpenUtc { get; set; }
    [Id(2)] public double[] Variance { get; set; } = [];
    [Id(3)] public int[] Minutes { get; set; } = [];
}

[GenerateSerializer, Alias("marketpulse.intradaytotals")]
public sealed class IntradayTotals
{
    [Id(0)] public long Scored { get; set; }
    [Id(1)] public double QlikeSum { get; set; }
    [Id(2)] public double QlikeSeasonalHarSum { get; set; }
    [Id(3)] public double QlikePreviousSlotSum { get; set; }
    [Id(4)] public long SkippedZeroVariance { get; set; }
}

internal static class BarMapping
{
    public static BarDto ToDto(this Bar b) =>
        new(b.Start, b.Interval == BarAggregator.Day ? "1d" : "1m", b.Date, b.Open, b.High, b.Low, b.Close, b.Volume, b.Trades);

    public static Bar ToBar(this BarDto b) =>
        new(b.Start, b.Interval == "1d" ? BarAggregator.Day : BarAggregator.Minute, b.TradingDay, b.Open, b.High, b.Low, b.Close, b.Volume, b.Trades);
}
