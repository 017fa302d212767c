// What the ticker chart draws, prepared from the API's wire types: pure functions, so that they are unit-tested without
// a canvas (MarketChart.tsx hands their output to lightweight-charts unchanged). Times are trading days ("YYYY-MM-DD"),
// which lightweight-charts takes as business days; every series is in strictly ascending time order, as it requires.
import type { Bar, ForecastRecord, IndicatorPoint } from '../api/types';
import { isNum } from '../format';

export interface Candle { time: string; open: number; high: number; low: number; close: number }
export interface Point { time: string; value: number }
export interface VolumePoint extends Point { up: boolean }

/** Where a realised close fell against its forecast's bands. */
export type MoveVerdict = 'inside80' | 'inside95' | 'outside95';

export interface MoveMarker {
  time: string;
  /** The realised close: the forecast's basis close moved by the realised log return. */
  price: number;
  realizedReturn: number;
  verdict: MoveVerdict;
}

export interface ExpectedMoveBands {
  upper80: Point[];
  lower80: Point[];
  upper95: Point[];
  lower95: Point[];
}

/** Keeps the last item per time and sorts by time: lightweight-charts rejects duplicate or unordered times. */
function byTime<T extends { time: string }>(items: T[]): T[] {
  const last = new Map<string, T>();
  for (const item of items) last.set(item.time, item);
  return [...last.values()].sort((a, b) => a.time.localeCompare(b.time));
}

/** Forecast records by target day (the latest record wins), in day order. */
function byTarget(records: ForecastRecord[]): ForecastRecord[] {
  const last = new Map<string, ForecastRecord>();
  for (const r of records) if (r?.forecast?.targetDay) last.set(r.forecast.targetDay, r);
  return [...last.values()].sort((a, b) => a.forecast.targetDay.localeCompare(b.forecast.targetDay));
}

const finite = (...xs: (number | null | undefined)[]) => xs.every((x) => isNum(x));

/** Daily bars as candles; a bar without a full set of prices (a feed that sent only a close) is left out. */
export function toCandles(bars: Bar[]): Candle[] {
  return byTime(
    bars
      .filter((b) => b?.tradingDay && finite(b.open, b.high, b.low, b.close))
      .map((b) => ({ time: b.tradingDay, open: b.open, high: b.high, low: b.low, close: b.close })),
  );
}

/** Daily volume, marked up when the day closed at or above its open (the candle's colour). */
export function toVolume(bars: Bar[]): VolumePoint[] {
  return byTime(
    bars
      .filter((b) => b?.tradingDay && isNum(b.volume) && b.volume >= 0)
      .map((b) => ({ time: b.tradingDay, value: b.volume, up: !(isNum(b.open) && isNum(b.close)) || b.close >= b.open })),
  );
}

/** The 80 % and 95 % expected-move bands of each target day, in prices: the basis close moved by each band's log return. */
export function toBands(records: ForecastRecord[]): ExpectedMoveBands {
  const out: ExpectedMoveBands = { upper80: [], lower80: [], upper95: [], lower95: [] };
  for (const { forecast: f } of byTarget(records)) {
    if (!finite(f.basisClose, f.band80Low, f.band80High, f.band95Low, f.band95High) || f.basisClose <= 0) continue;
    const at = (r: number) => ({ time: f.targetDay, value: f.basisClose * Math.exp(r) });
    out.upper80.push(at(f.band80High));
    out.lower80.push(at(f.band80Low));
    out.upper95.push(at(f.band95High));
    out.lower95.push(at(f.band95Low));
  }
  return out;
}

/**
 * One marker per scored forecast: the realised close, and whether it fell inside the 80 % band, the 95 % band, or
 * neither. With `candleDays`, only days that have a candle (bars and forecasts are polled separately, so a day can be
 * scored before its bar arrives).
 */
export function toMoveMarkers(records: ForecastRecord[], candleDays?: Set<string>): MoveMarker[] {
  const out: MoveMarker[] = [];
  for (const { forecast: f, outcome: o } of byTarget(records)) {
    if (!o || !finite(o.realizedReturn, f.basisClose) || f.basisClose <= 0) continue;
    if (candleDays && !candleDays.has(f.targetDay)) continue;
    const verdict: MoveVerdict = o.inBand80 ? 'inside80' : o.inBand95 ? 'inside95' : 'outside95';
    out.push({ time: f.targetDay, price: f.basisClose * Math.exp(o.realizedReturn), realizedReturn: o.realizedReturn, verdict });
  }
  return out;
}

/** Band coverage of the scored markers: the share inside the 80 % band and inside the 95 % band (null without any). */
export function coverage(markers: MoveMarker[]): { n: number; in80: number | null; in95: number | null } {
  const n = markers.length;
  if (n === 0) return { n, in80: null, in95: null };
  const in80 = markers.filter((m) => m.verdict === 'inside80').length;
  const in95 = markers.filter((m) => m.verdict !== 'outside95').length;
  return { n, in80: in80 / n, in95: in95 / n };
}

/**
 * Daily volatility in percent: the forecast σ of every target day (the open one included), and the realised Garman–Klass σ
 * (√ of the scored record's realised variance) of every day scored.
 */
export function toVolatility(records: ForecastRecord[]): { forecast: Point[]; realized: Point[] } {
  const forecast: Point[] = [];
  const realized: Point[] = [];
  for (const { forecast: f, outcome: o } of byTarget(records)) {
    if (isNum(f.volatility) && f.volatility >= 0) forecast.push({ time: f.targetDay, value: f.volatility * 100 });
    if (o && isNum(o.realizedVariance) && o.realizedVariance >= 0) realized.push({ time: f.targetDay, value: Math.sqrt(o.realizedVariance) * 100 });
  }
  return { forecast, realized };
}

/** The volume forecast of every target day. */
export function toVolumeForecast(records: ForecastRecord[]): Point[] {
  return byTarget(records)
    .filter(({ forecast: f }) => isNum(f.volume) && f.volume >= 0)
    .map(({ forecast: f }) => ({ time: f.targetDay, value: f.volume }));
}

/** The server's RSI 14 of each closed day (warm-up days, null on the wire, are left out). */
export function toRsi(points: IndicatorPoint[]): Point[] {
  return byTime(points.filter((p) => p?.tradingDay && isNum(p.rsi14)).map((p) => ({ time: p.tradingDay, value: p.rsi14! })));
}

/** The server's MACD 12/26/9 line, signal and histogram of each closed day once all three are defined. */
export function toMacd(points: IndicatorPoint[]): { line: Point[]; signal: Point[]; histogram: Point[] } {
  const ready = byTime(points.filter((p) => p?.tradingDay && finite(p.macdLine, p.macdSignal, p.macdHistogram)).map((p) => ({ ...p, time: p.tradingDay })));
  return {
    line: ready.map((p) => ({ time: p.time, value: p.macdLine! })),
    signal: ready.map((p) => ({ time: p.time, value: p.macdSignal! })),
    histogram: ready.map((p) => ({ time: p.time, value: p.macdHistogram! })),
  };
}

/**
 * The time window a range button shows: the last `days` candles (all when 0) through the last time any series reaches
 * (the open forecast's target day is one trading day past the last candle). Null without candles.
 */
export function visibleWindow(candles: Candle[], days: number, lastTimes: (string | undefined)[] = []): { from: string; to: string } | null {
  if (candles.length === 0) return null;
  const from = candles[days > 0 ? Math.max(0, candles.length - days) : 0].time;
  const to = [candles[candles.length - 1].time, ...lastTimes.filter((t): t is string => !!t)].sort().at(-1)!;
  return { from, to };
}

/** A time as lightweight-charts hands it back (the day string it was given, a business day, or a UTC timestamp) as "YYYY-MM-DD". */
export function dayKey(t: unknown): string | null {
  if (typeof t === 'string') return t;
  if (typeof t === 'number' && Number.isFinite(t)) return new Date(t * 1000).toISOString().slice(0, 10);
  if (t && typeof t === 'object' && 'year' in t && 'month' in t && 'day' in t) {
    const { year, month, day } = t as { year: number; month: number; day: number };
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return null;
}

/** "#rrggbb" (or "#rgb") with an alpha, as an rgba() colour the canvas takes; other colours are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = color.trim().replace(/^#/, '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) return color;
  const n = parseInt(full, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
