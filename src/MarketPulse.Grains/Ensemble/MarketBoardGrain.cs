using MarketPulse.Core.Forecasting;
using MarketPulse.Ml.Price;

namespace MarketPulse.Grains.Ensemble;

/// <summary>One ticker's daily return, 5-day return and ln Garman–Klass variance of a day, as reported to the market board.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.marketreturn")]
public sealed record MarketReturn([property: Id(0)] DateOnly Day, [property: Id(1)] double Ret1, [property: Id(2)] double? Ret5,
    [property: Id(3)] double LogVariance);

/// <summary>
/// The market context of one day for one sector: the price features' returns (<see cref="MarketDay"/>; absent when
/// <see cref="MarketReturn1"/> is null) and the forecasts' variances (<see cref="MarketVariance"/>; absent when
/// <see cref="MeanLogVariance"/> is null).
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.marketcontextday")]
public sealed record MarketContextDay(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] double? MarketReturn1,
    [property: Id(2)] double MarketReturn5,
    [property: Id(3)] double SectorReturn1,
    [property: Id(4)] double? MeanLogVariance,
    [property: Id(5)] double SectorMeanLogVariance)
{
    public MarketContextDay(DateOnly day, MarketDay? market, MarketVariance? variance)
        : this(day, market?.MarketReturn1, market?.MarketReturn5 ?? 0, market?.SectorReturn1 ?? 0, variance?.MeanLogVariance,
            variance?.SectorMeanLogVariance ?? double.NaN)
    {
    }

    public MarketDay? Market => MarketReturn1 is { } m1 ? new MarketDay(m1, MarketReturn5, SectorReturn1) : null;
    public MarketVariance? Variance => MeanLogVariance is { } v ? new MarketVariance(v, SectorMeanLogVariance) : null;
}

/// <summary>The cluster's one market board: tickers report their returns at each close and read the day's context at each call.</summary>
[Alias("marketpulse.imarketboardgrain")]
public interface IMarketBoardGrain : IGrainWithStringKey
{
    [Alias("report")]
    Task ReportAsync(string symbol, int sector, IReadOnlyList<MarketReturn> returns);

    [Alias("get")]
    Task<IReadOnlyList<MarketContextDay>> GetAsync(int sector, DateOnly from, DateOnly to);
}

/// <summary>
/// The <see cref="MarketBoard"/> of the whole cluster, so that every ticker's price features and forecasts read the same
/// market context whichever silo it runs on. Not persisted: each ticker reports its last 20 days at every close, so
/// after a restart the board is whole again once the tickers have closed a day.
/// </summary>
public sealed class MarketBoardGrain : Grain, IMarketBoardGrain
{
    public const string Market = "market";

    private readonly MarketBoard _board = new();

    public Task ReportAsync(string symbol, int sector, IReadOnlyList<MarketReturn> returns)
    {
        _board.Report(symbol, sector, returns);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MarketContextDay>> GetAsync(int sector, DateOnly from, DateOnly to) =>
        Task.FromResult<IReadOnlyList<MarketContextDay>>(_board.Context(sector, from, to));
}
