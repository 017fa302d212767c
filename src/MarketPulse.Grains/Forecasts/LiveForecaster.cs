using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Forecasting;
using MarketPulse.Grains.Sentiment;

namespace MarketPulse.Grains.Forecasts;

/// <summary>
/// The shipped forecast model in the live service (a DI singleton, stateless): turns a ticker's daily bars, its posts and
/// the market's variance of the basis day into the next trading day's <see cref="ForecastDto"/>, through the same
/// <see cref="ForecastFeatures"/> and <see cref="ForecastModel"/> as training and <c>eval forecasts</c>. Posts are scored
/// with the VADER lexicon, as in training (<see cref="PostPolarity"/>, shared with the price model).
/// </summary>
public sealed class LiveForecaster(ForecastModel? model, PostPolarity polarity)
{
    /// <summary>Posts older than this before the prediction time cannot reach any input (the longest text window is 5 days).</summary>
    private static readonly TimeSpan PostLookBack = TimeSpan.FromDays(6);

    public ForecastModel? Model { get; } = model;

    /// <returns>Null without a model or with fewer than <see cref="ForecastFeatures.MinimumHistory"/> days before the target.</returns>
    public ForecastDto? Forecast(string symbol, IReadOnlyList<BarDto> dailyBars, DateOnly basisDay, DateOnly target, DateTime issuedAtUtc,
        IReadOnlyList<ScoredPost> posts, MarketVariance? market)
    {
        if (Model is null || dailyBars.Count == 0) return null;
        var start = Math.Max(0, dailyBars.Count - ForecastFeatures.AnchorDays - 2);
        var bars = new List<DailyOhlcv>(dailyBars.Count - start);
        for (var i = start; i < dailyBars.Count; i++)
        {
            var b = dailyBars[i];
            if (b.TradingDay < target) bars.Add(new DailyOhlcv(b.TradingDay, b.Open, b.High, b.Low, b.Close, b.Volume));
        }
        var cut = ForecastFeatures.PredictionTimeUtc(target);
        var texts = posts.Where(p => p.Time < cut && p.Time >= cut - PostLookBack)
            .Select(p => new PostObservation(p.Time, polarity.Of(p)))
            .OrderBy(p => p.TimeUtc)
            .ToList();
        var features = new double[ForecastFeatures.Count];
        if (!ForecastFeatures.TryCompute(bars, target, texts, market, features)) return null;
        var f = Model.Forecast(features, symbol);
        var recent = bars.Skip(Math.Max(0, bars.Count - 22)).ToList();
        return new ForecastDto(symbol, basisDay, target, issuedAtUtc, Model.Version, f.Variance, f.Volatility,
            f.Band80.Low, f.Band80.High, f.Band95.Low, f.Band95.High, bars[^1].Close, Math.Exp(f.LogVolume),
            recent.Average(b => b.Volume), f.HarVariance, Math.Exp(f.HarLogVolume));
    }

    /// <summary>The forecast as the scoring code reads it.</summary>
    public static NextDayForecast ToForecast(ForecastDto f) =>
        new(f.Variance, double.NaN, f.HarVariance, new ReturnBand(f.Band80Low, f.Band80High), new ReturnBand(f.Band95Low, f.Band95High),
            Math.Log(f.Volume), Math.Log(f.HarVolume));
}
