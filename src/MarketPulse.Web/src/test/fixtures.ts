// The same deterministic fixtures the e2e fixture server uses (e2e/make-fixtures.mjs).
import type { Bar, ForecastRecord, IndicatorPoint, ModelsResponse, Post, PredictionRecord, TickerDetail, TickerSummary } from '../api/types';
import tickers from '../../e2e/fixtures/tickers.json';
import aapl from '../../e2e/fixtures/tickers/AAPL.json';
import tsla from '../../e2e/fixtures/tickers/TSLA.json';
import aaplBars from '../../e2e/fixtures/bars/AAPL.json';
import aaplPredictions from '../../e2e/fixtures/predictions/AAPL.json';
import aaplPosts from '../../e2e/fixtures/posts/AAPL.json';
import models from '../../e2e/fixtures/models.json';

const typed = <T,>(v: T) => v;
export const fx = {
  tickers: typed<TickerSummary[]>(tickers),
  aapl: typed<TickerDetail>(aapl),
  tsla: typed<TickerDetail>(tsla),
  aaplBars: typed<Bar[]>(aaplBars),
  aaplPredictions: typed<PredictionRecord[]>(aaplPredictions),
  aaplPosts: typed<Post[]>(aaplPosts),
  models: typed<ModelsResponse>(models),
};

/**
 * Forecast records over the given daily bars, as the forecast grain serves them: one per target day from the second bar
 * on (basis: the bar before, σ = `sigma`, normal bands), scored against the bar, and an open one for the day after the last.
 */
export function forecastsFor(bars: Bar[], sigma = 0.015): ForecastRecord[] {
  const forecast = (basis: Bar, targetDay: string) => ({
    symbol: 'AAPL', basisDay: basis.tradingDay, targetDay, issuedAtUtc: `${targetDay}T00:00:00Z`, modelVersion: 'forecast-test',
    variance: sigma * sigma, volatility: sigma,
    band80Low: -1.2816 * sigma, band80High: 1.2816 * sigma, band95Low: -1.96 * sigma, band95High: 1.96 * sigma,
    basisClose: basis.close, volume: basis.volume, volumeAverage22: basis.volume, harVariance: sigma * sigma, harVolume: basis.volume,
    expectedMove80: Math.sinh(1.2816 * sigma), volumeRatio: 1,
  });
  const out: ForecastRecord[] = [];
  for (let i = 1; i < bars.length; i++) {
    const f = forecast(bars[i - 1], bars[i].tradingDay);
    const r = Math.log(bars[i].close / bars[i - 1].close);
    const b = bars[i];
    const gk = 0.5 * Math.log(b.high / b.low) ** 2 - (2 * Math.LN2 - 1) * Math.log(b.close / b.open) ** 2;
    out.push({
      forecast: f,
      outcome: {
        realizedVariance: gk, realizedReturn: r, realizedVolume: b.volume, qlike: null, qlikeHar: null,
        inBand80: r >= f.band80Low && r <= f.band80High, inBand95: r >= f.band95Low && r <= f.band95High,
        volumeSquaredLogError: null, volumeSquaredLogErrorHar: null, scoredAtUtc: `${b.tradingDay}T21:00:00Z`,
      },
    });
  }
  const last = bars[bars.length - 1];
  const next = new Date(`${last.tradingDay}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + (next.getUTCDay() === 5 ? 3 : 1));
  out.push({ forecast: forecast(last, next.toISOString().slice(0, 10)), outcome: null });
  return out;
}

/** An indicator series over the bars with the server's warm-up: RSI from the 15th close, MACD from the 34th. */
export function indicatorsFor(bars: Bar[]): IndicatorPoint[] {
  return bars.map((b, i) => ({
    tradingDay: b.tradingDay,
    rsi14: i >= 14 ? 30 + (i % 40) : null,
    macdLine: i >= 33 ? Math.sin(i / 5) : null,
    macdSignal: i >= 33 ? Math.sin((i - 2) / 5) : null,
    macdHistogram: i >= 33 ? Math.sin(i / 5) - Math.sin((i - 2) / 5) : null,
  }));
}
