using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Forecasting;
using MarketPulse.Core.Market;

namespace MarketPulse.Grains.Tests;

/// <summary>The ticker issues the next 30 minutes' volatility forecast at each slot boundary by the feed's clock and scores it when the slot ends.</summary>
[Collection(ClusterCollection.Name)]
public class IntradayForecastTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Each_slot_gets_a_forecast_from_the_minutes_before_it_scored_when_it_ends_as_the_offline_code_scores_it()
    {
        const string symbol = "SLOTS";
        var calendar = ExchangeCalendar.UsEquities;
        // Mon 2012-03-05 and Tue 03-06 whole sessions, then Wed 03-07 until 11:14:30 New York: one trade per minute at :30 s,
        // a seeded random walk whose volatility is higher near the open and the close.
        var days = new[] { new DateOnly(2012, 3, 5), new DateOnly(2012, 3, 6), new DateOnly(2012, 3, 7) };
        var random = new Random(9);
        var price = 40.0;
        var ticks = new List<MarketTick>();
        var prices = new List<(DateTime Minute, double Price)>();
        foreach (var day in days)
        {
            var session = calendar.Sessions(day)!.Value;
            var minutes = day == days[^1] ? 105 : 390;
            for (var m = 0; m < minutes; m++)
            {
                var u = Math.Abs(m - 195) / 195.0;
                price *= Math.Exp((0.0004 + 0.0012 * u * u) * (random.NextDouble() - 0.5) * 3.4);
                var rounded = Math.Round((decimal)price, 4);
                var minute = session.OpenUtc.AddMinutes(m);
                ticks.Add(new MarketTick(symbol, minute.AddSeconds(30), rounded, 100));
                prices.Add((minute, (double)rounded));
            }
        }
        Assert.Empty((await _grains.GetGrain<IMarketSourceGrain>("test-intraday").IngestTicksAsync(ticks)).Rejected);

        var ticker = _grains.GetGrain<ITickerGrain>(symbol);
        // Monday has no earlier session, so nothing is issued; Tuesday's 13 slots and Wednesday's first three are scored.
        var snap = await Eventually.Value(ticker.GetIntradayAsync, s => s.Scored + s.SkippedZeroVariance == 16 && s.Next?.Slot == 3,
            "16 scored slots and the forecast of Wednesday's 11:00 slot", TimeSpan.FromSeconds(15));
        Assert.Equal(16, snap.Scored);
        var next = snap.Next!;
        var wednesday = calendar.Sessions(days[2])!.Value;
        Assert.Equal(days[2], next.Day);
        Assert.Equal(wednesday.OpenUtc.AddMinutes(90), next.SlotStartUtc);
        Assert.Equal(next.SlotStartUtc.AddMinutes(30), next.SlotEndUtc);
        Assert.Equal(next.SlotStartUtc.AddSeconds(30), next.IssuedAtUtc);   // the first trade after the boundary issued it
        // Two sessions of history are far too few to fit the model: the seasonal-HAR baseline is issued, labelled as such.
        Assert.Equal("seasonal-har", next.Method);
        Assert.Equal(next.SeasonalHarVariance, next.Variance);

        // The offline code on the same minutes, cut at the slot's start, gives the same forecast: later trades do not enter it.
        List<Bar> Bars(DateOnly day) => prices.Where(p => calendar.TradingDay(p.Minute) == day)
            .Select(p => new Bar(p.Minute, TimeSpan.FromMinutes(1), day, p.Price, p.Price, p.Price, p.Price, 100, 1)).ToList();
        var completed = days[..2].Select(d => IntradayVariance.Compute(symbol, calendar.Sessions(d)!.Value, Bars(d))).ToList();
        var partial = IntradayVariance.Compute(symbol, wednesday, Bars(days[2]), next.SlotStartUtc);
        var offline = IntradayHarModel.ForecastSlot(completed, partial, 3)!.Value;
        Assert.Null(offline.Model);
        Assert.Equal(offline.SeasonalHar, next.SeasonalHarVariance, 15);
        Assert.Equal(offline.PreviousSlot, next.PreviousSlotVariance, 15);

        // The last scored slot (10:30–11:00) against its realised variance: the squared 1-minute log returns of its minutes.
        var last = snap.LastScored!;
        Assert.Equal(2, last.Forecast.Slot);
        var slotStart = wednesday.OpenUtc.AddMinutes(60);
        var realized = prices.Select((p, i) => (p, i)).Where(x => x.p.Minute >= slotStart && x.p.Minute < slotStart.AddMinutes(30))
            .Sum(x => Math.Pow(Math.Log(x.p.Price / prices[x.i - 1].Price), 2));
        Assert.Equal(realized, last.Outcome.RealizedVariance, 15);
        Assert.Equal(30, last.Outcome.Minutes);
        Assert.Equal(RealizedMeasures.Qlike(realized, last.Forecast.Variance), last.Outcome.Qlike!.Value, 12);
        Assert.Equal(RealizedMeasures.Qlike(realized, last.Forecast.PreviousSlotVariance), last.Outcome.QlikePreviousSlot!.Value, 12);
        // The running score compares the issued forecasts (here seasonal HAR's) with both baselines on the same slots.
        Assert.Equal(snap.MeanQlikeSeasonalHar!.Value, snap.MeanQlike!.Value, 12);
        Assert.True(snap.MeanQlikePreviousSlot > 0);
    }
}
