import { describe, expect, it } from 'vitest';
import type { Bar, ForecastRecord, IndicatorPoint } from '../api/types';
import { forecastsFor, fx, indicatorsFor } from '../test/fixtures';
import {
  coverage, dayKey, toBands, toCandles, toMacd, toMoveMarkers, toRsi, toVolatility, toVolume, toVolumeForecast, visibleWindow, withAlpha,
} from './chartData';

const bar = (day: string, open: number, high: number, low: number, close: number, volume = 100): Bar => ({
  start: `${day}T14:30:00Z`, interval: '1d', tradingDay: day, open, high, low, close, volume, trades: 1,
});

/** A forecast from a basis close of 100 with bands ±1 % (80 %) and ±2 % (95 %) in log return, scored with `r` when given. */
const record = (targetDay: string, r?: number, extra: Partial<ForecastRecord['forecast']> = {}): ForecastRecord => ({
  forecast: {
    symbol: 'X', basisDay: '2015-01-01', targetDay, issuedAtUtc: `${targetDay}T00:00:00Z`, modelVersion: 'm',
    variance: 0.0001, volatility: 0.01, band80Low: -0.01, band80High: 0.01, band95Low: -0.02, band95High: 0.02,
    basisClose: 100, volume: 5000, volumeAverage22: 4000, harVariance: 0.0001, harVolume: 4000, expectedMove80: 0.01, volumeRatio: 1.25,
    ...extra,
  },
  outcome: r === undefined ? null : {
    realizedVariance: 0.0004, realizedReturn: r, realizedVolume: 4500, qlike: 0.1, qlikeHar: 0.12,
    inBand80: Math.abs(r) <= 0.01, inBand95: Math.abs(r) <= 0.02, volumeSquaredLogError: 0.01, volumeSquaredLogErrorHar: 0.02,
    scoredAtUtc: `${targetDay}T21:00:00Z`,
  },
});

describe('candles and volume', () => {
  it('turn daily bars into candles in day order, one per day, leaving out bars without all four prices', () => {
    const bars = [
      bar('2015-01-06', 10, 12, 9, 11),
      bar('2015-01-05', 9, 10, 8, 10),
      { ...bar('2015-01-07', 11, 11, 11, 11), open: null as unknown as number }, // a close-only feed
      bar('2015-01-06', 10, 13, 9, 12), // the same day again: the later one wins
    ];
    expect(toCandles(bars)).toEqual([
      { time: '2015-01-05', open: 9, high: 10, low: 8, close: 10 },
      { time: '2015-01-06', open: 10, high: 13, low: 9, close: 12 },
    ]);
  });

  it('draw every fixture bar', () => {
    expect(toCandles(fx.aaplBars)).toHaveLength(fx.aaplBars.length);
  });

  it('colour volume by the candle: up when the day closed at or above its open', () => {
    expect(toVolume([bar('2015-01-05', 10, 11, 9, 9, 300), bar('2015-01-06', 10, 11, 9, 10, 200)])).toEqual([
      { time: '2015-01-05', value: 300, up: false },
      { time: '2015-01-06', value: 200, up: true },
    ]);
  });
});

describe('expected-move bands and realised moves', () => {
  it('put each target day\'s bands at the basis close moved by the band\'s log return', () => {
    const bands = toBands([record('2015-01-06'), record('2015-01-05', 0.001, { basisClose: 50 })]);
    expect(bands.upper80.map((p) => p.time)).toEqual(['2015-01-05', '2015-01-06']);
    expect(bands.upper80[0].value).toBeCloseTo(50 * Math.exp(0.01), 10);
    expect(bands.lower80[1].value).toBeCloseTo(100 * Math.exp(-0.01), 10);
    expect(bands.upper95[1].value).toBeCloseTo(100 * Math.exp(0.02), 10);
    expect(bands.lower95[1].value).toBeCloseTo(100 * Math.exp(-0.02), 10);
    // Nested: 95 % outside 80 %.
    for (let i = 0; i < 2; i++) {
      expect(bands.lower95[i].value).toBeLessThan(bands.lower80[i].value);
      expect(bands.upper80[i].value).toBeLessThan(bands.upper95[i].value);
    }
  });

  it('skip a forecast without a usable basis close', () => {
    expect(toBands([record('2015-01-05', undefined, { basisClose: 0 })]).upper80).toEqual([]);
  });

  it('mark each scored day\'s realised close inside the 80 % band, inside only the 95 %, or outside both; the open forecast has none', () => {
    const markers = toMoveMarkers([record('2015-01-05', 0.005), record('2015-01-06', -0.015), record('2015-01-07', 0.03), record('2015-01-08')]);
    expect(markers.map((m) => [m.time, m.verdict])).toEqual([
      ['2015-01-05', 'inside80'],
      ['2015-01-06', 'inside95'],
      ['2015-01-07', 'outside95'],
    ]);
    expect(markers[2].price).toBeCloseTo(100 * Math.exp(0.03), 10);
    expect(coverage(markers)).toEqual({ n: 3, in80: 1 / 3, in95: 2 / 3 });
    expect(coverage([])).toEqual({ n: 0, in80: null, in95: null });
  });

  it('wait for a scored day\'s candle before marking its move', () => {
    const records = [record('2015-01-05', 0.005), record('2015-01-06', -0.015)];
    expect(toMoveMarkers(records, new Set(['2015-01-05'])).map((m) => m.time)).toEqual(['2015-01-05']);
  });

  it('agree with the band lines: a marker is between the 80 % lines exactly when it is inside the 80 % band', () => {
    const records = forecastsFor(fx.aaplBars.slice(0, 60));
    const bands = toBands(records);
    const markers = toMoveMarkers(records);
    expect(markers).toHaveLength(records.length - 1); // all but the open one
    for (const m of markers) {
      const lo = bands.lower80.find((p) => p.time === m.time)!.value;
      const hi = bands.upper80.find((p) => p.time === m.time)!.value;
      expect(m.price >= lo - 1e-9 && m.price <= hi + 1e-9).toBe(m.verdict === 'inside80');
    }
    // The realised close is the bar's close.
    const byDay = new Map(fx.aaplBars.map((b) => [b.tradingDay, b.close]));
    for (const m of markers) expect(m.price).toBeCloseTo(byDay.get(m.time)!, 8);
  });
});

describe('volatility and volume forecasts', () => {
  it('give the forecast σ of every target day and the realised Garman–Klass σ of every scored one, in percent', () => {
    const v = toVolatility([record('2015-01-05', 0.001), record('2015-01-06')]);
    expect(v.forecast).toEqual([{ time: '2015-01-05', value: 1 }, { time: '2015-01-06', value: 1 }]);
    expect(v.realized).toEqual([{ time: '2015-01-05', value: 2 }]); // √0.0004 = 2 %
  });

  it('give the volume forecast of every target day, the open one included', () => {
    expect(toVolumeForecast([record('2015-01-06'), record('2015-01-05', 0)])).toEqual([
      { time: '2015-01-05', value: 5000 },
      { time: '2015-01-06', value: 5000 },
    ]);
  });
});

describe('indicator panes', () => {
  const points: IndicatorPoint[] = [
    { tradingDay: '2015-01-05', rsi14: null, macdLine: null, macdSignal: null, macdHistogram: null },
    { tradingDay: '2015-01-06', rsi14: 55, macdLine: 0.5, macdSignal: null, macdHistogram: null },
    { tradingDay: '2015-01-07', rsi14: 60, macdLine: 0.6, macdSignal: 0.4, macdHistogram: 0.2 },
  ];

  it('draw the server\'s RSI from the first day it is defined', () => {
    expect(toRsi(points)).toEqual([{ time: '2015-01-06', value: 55 }, { time: '2015-01-07', value: 60 }]);
  });

  it('draw the server\'s MACD line, signal and histogram once all three are defined, without recomputing them', () => {
    expect(toMacd(points)).toEqual({
      line: [{ time: '2015-01-07', value: 0.6 }],
      signal: [{ time: '2015-01-07', value: 0.4 }],
      histogram: [{ time: '2015-01-07', value: 0.2 }],
    });
    const full = indicatorsFor(fx.aaplBars);
    expect(toRsi(full)).toHaveLength(fx.aaplBars.length - 14);
    expect(toMacd(full).histogram).toHaveLength(fx.aaplBars.length - 33);
  });
});

describe('chart helpers', () => {
  it('window the last N candles through the open forecast\'s day, or everything', () => {
    const candles = toCandles(fx.aaplBars);
    const w = visibleWindow(candles, 21, ['2099-01-01', undefined]);
    expect(w).toEqual({ from: candles[candles.length - 21].time, to: '2099-01-01' });
    expect(visibleWindow(candles, 0)).toEqual({ from: candles[0].time, to: candles[candles.length - 1].time });
    expect(visibleWindow(candles, 10_000)!.from).toBe(candles[0].time);
    expect(visibleWindow([], 21)).toBeNull();
  });

  it('read back the library\'s times as days', () => {
    expect(dayKey('2015-01-05')).toBe('2015-01-05');
    expect(dayKey({ year: 2015, month: 1, day: 5 })).toBe('2015-01-05');
    expect(dayKey(Date.UTC(2015, 0, 5) / 1000)).toBe('2015-01-05');
    expect(dayKey(undefined)).toBeNull();
  });

  it('turn theme colours into rgba', () => {
    expect(withAlpha('#34d399', 0.5)).toBe('rgba(52, 211, 153, 0.5)');
    expect(withAlpha('#fff', 1)).toBe('rgba(255, 255, 255, 1)');
    expect(withAlpha('rgb(1, 2, 3)', 0.5)).toBe('rgb(1, 2, 3)');
  });
});
