// Number, time and colour formatting. Every function accepts null/undefined/NaN and renders an em dash,
// because any number may be null before the replay has warmed up.

import type { Direction } from './api/types';

export const DASH = '—';
const MINUS = '\u2212';

type Num = number | null | undefined;

export const isNum = (v: Num): v is number => typeof v === 'number' && Number.isFinite(v);

function fixed(v: number, digits: number, grouping = true): string {
  return Math.abs(v).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: grouping,
  });
}

/** Plain number with an honest minus sign. */
export function fmtNum(v: Num, digits = 2): string {
  if (!isNum(v)) return DASH;
  const s = fixed(v, digits);
  return v < 0 && Number(s.replace(/,/g, '')) !== 0 ? MINUS + s : s;
}

/** Price: 2 decimals, 4 below one dollar. */
export function fmtPrice(v: Num): string {
  if (!isNum(v)) return DASH;
  return fmtNum(v, Math.abs(v) < 1 && v !== 0 ? 4 : 2);
}

/** Signed number: +1.23 / −1.23 / 0.00. */
export function fmtSigned(v: Num, digits = 2): string {
  if (!isNum(v)) return DASH;
  const s = fixed(v, digits);
  if (Number(s.replace(/,/g, '')) === 0) return s;
  return (v > 0 ? '+' : MINUS) + s;
}

/** A value already in percent units (changePercent): +1.23%. */
export function fmtPct(v: Num, digits = 2): string {
  return isNum(v) ? `${fmtSigned(v, digits)}%` : DASH;
}

/** A fraction shown as a signed percentage (returns): 0.0123 → +1.23%. */
export function fmtFracPct(v: Num, digits = 2): string {
  return isNum(v) ? fmtPct(v * 100, digits) : DASH;
}

/** An unsigned fraction as a percentage (probabilities, hit rates, volatility): 0.634 → 63.4%. */
export function fmtProb(v: Num, digits = 1): string {
  return isNum(v) ? `${fmtNum(v * 100, digits)}%` : DASH;
}

export function fmtInt(v: Num): string {
  return isNum(v) ? fmtNum(Math.round(v), 0) : DASH;
}

/** Compact volume: 1.2M, 34.5K. */
export function fmtCompact(v: Num): string {
  if (!isNum(v)) return DASH;
  const a = Math.abs(v);
  if (a >= 1e9) return `${fmtNum(v / 1e9, 2)}B`;
  if (a >= 1e6) return `${fmtNum(v / 1e6, 2)}M`;
  if (a >= 1e4) return `${fmtNum(v / 1e3, 1)}K`;
  return fmtInt(v);
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO timestamp in UTC (market data is replayed, so the browser's zone would mislead): 2015-06-12 14:03 UTC. */
export function fmtTime(iso: string | null | undefined, withSeconds = false): string {
  const d = parse(iso);
  if (!d) return DASH;
  const t = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${withSeconds ? `:${pad(d.getUTCSeconds())}` : ''}`;
  return `${fmtDay(iso)} ${t} UTC`;
}

/** A trading day or timestamp as YYYY-MM-DD. */
export function fmtDay(iso: string | null | undefined): string {
  if (!iso) return DASH;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = parse(iso);
  if (!d) return DASH;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Local wall-clock time of a refresh (epoch ms): 14:03:27. */
export function fmtClock(ms: number | undefined): string {
  if (ms === undefined) return DASH;
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export type Trend = 'up' | 'down' | 'flat' | 'none';

/** Colour class of a signed value. */
export function trend(v: Num, epsilon = 0): Trend {
  if (!isNum(v)) return 'none';
  if (v > epsilon) return 'up';
  if (v < -epsilon) return 'down';
  return 'flat';
}

/** Colour class of a hit rate: green above 52 %, red below 48 % (a coin flip between). */
export const hitClass = (v: Num) => (!isNum(v) ? '' : v > 0.52 ? 't-up' : v < 0.48 ? 't-down' : '');

/** Colour class of a Brier score: green below 0.245, red above 0.255 (0.25 is a coin flip). */
export const brierClass = (v: Num) => (!isNum(v) ? '' : v < 0.245 ? 't-up' : v > 0.255 ? 't-down' : '');

/** Polarity class of a sentiment score in [-1, 1] (same ±0.05 neutral band as the lexicon scorer). */
export function polarity(v: Num): 'pos' | 'neg' | 'neu' | 'none' {
  if (!isNum(v)) return 'none';
  if (v >= 0.05) return 'pos';
  if (v <= -0.05) return 'neg';
  return 'neu';
}

/**
 * The direction of a call as the server sent it ("up" or "down"; the document types it as a string), else null. Never
 * derived from the probability here: the server decides the direction of a probability in one place.
 */
export function directionOf(direction: string | null | undefined): Direction | null {
  return direction === 'up' || direction === 'down' ? direction : null;
}

/** Confidence in the stated direction: P(up) for up calls, 1 − P(up) for down calls. */
export function confidenceOf(direction: Direction | null, probabilityUp: Num): number | null {
  if (!isNum(probabilityUp) || !direction) return null;
  return direction === 'up' ? probabilityUp : 1 - probabilityUp;
}

export const arrow = (d: Direction | null | undefined) => (d === 'up' ? '▲' : d === 'down' ? '▼' : '•');

/** Human names of signals and kinds. */
export function signalLabel(signal: string): string {
  switch (signal) {
    case 'ensemble': return 'Ensemble';
    case 'price': return 'Price model';
    case 'sentiment': return 'Sentiment';
    case 'persistence': return 'Persistence';
    default: return signal;
  }
}
