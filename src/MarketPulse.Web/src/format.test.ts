import { describe, expect, it } from 'vitest';
import {
  brierClass, DASH, confidenceOf, directionOf, hitClass, fmtCompact, fmtDay, fmtFracPct, fmtInt, fmtNum, fmtPct, fmtPrice, fmtProb, fmtSigned, fmtTime,
  polarity, signalLabel, trend,
} from './format';

describe('number formatting', () => {
  it('renders a dash for null, undefined and NaN', () => {
    for (const f of [fmtNum, fmtPrice, fmtSigned, fmtPct, fmtFracPct, fmtProb, fmtInt, fmtCompact]) {
      expect(f(null)).toBe(DASH);
      expect(f(undefined)).toBe(DASH);
      expect(f(Number.NaN)).toBe(DASH);
    }
  });

  it('formats prices with grouping, 2 decimals, 4 below a dollar, and a real minus sign', () => {
    expect(fmtPrice(1234.5)).toBe('1,234.50');
    expect(fmtPrice(0.12345)).toBe('0.1235');
    expect(fmtPrice(0)).toBe('0.00');
    expect(fmtNum(-2.5)).toBe('\u22122.50');
    expect(fmtNum(-0.001)).toBe('0.00'); // no "-0.00"
  });

  it('signs changes and percentages', () => {
    expect(fmtSigned(1.234)).toBe('+1.23');
    expect(fmtSigned(-1.234)).toBe('\u22121.23');
    expect(fmtSigned(0.0001)).toBe('0.00');
    expect(fmtPct(1.5)).toBe('+1.50%');
    expect(fmtPct(-0.25, 1)).toBe('\u22120.3%');
    expect(fmtFracPct(0.0123)).toBe('+1.23%');
    expect(fmtFracPct(-0.05)).toBe('\u22125.00%');
  });

  it('formats probabilities, integers and volumes', () => {
    expect(fmtProb(0.6346)).toBe('63.5%');
    expect(fmtProb(1)).toBe('100.0%');
    expect(fmtInt(1234567.4)).toBe('1,234,567');
    expect(fmtCompact(41_150_000)).toBe('41.15M');
    expect(fmtCompact(2_500_000_000)).toBe('2.50B');
    expect(fmtCompact(34_500)).toBe('34.5K');
    expect(fmtCompact(950)).toBe('950');
  });
});

describe('time formatting', () => {
  it('shows UTC times and trading days', () => {
    expect(fmtTime('2015-08-13T19:58:07Z')).toBe('2015-08-13 19:58 UTC');
    expect(fmtTime('2015-08-13T19:58:07Z', true)).toBe('2015-08-13 19:58:07 UTC');
    expect(fmtDay('2015-08-13')).toBe('2015-08-13');
    expect(fmtDay('2015-08-13T23:30:00-05:00')).toBe('2015-08-14');
    expect(fmtTime(null)).toBe(DASH);
    expect(fmtTime('not a date')).toBe(DASH);
  });
});

describe('classification', () => {
  it('maps signed values to trend classes', () => {
    expect(trend(0.1)).toBe('up');
    expect(trend(-0.1)).toBe('down');
    expect(trend(0)).toBe('flat');
    expect(trend(null)).toBe('none');
    expect(trend(0.01, 0.05)).toBe('flat');
  });

  it('uses the scorer’s ±0.05 neutral band for polarity', () => {
    expect(polarity(0.05)).toBe('pos');
    expect(polarity(0.049)).toBe('neu');
    expect(polarity(-0.05)).toBe('neg');
    expect(polarity(null)).toBe('none');
  });

  it('colours hit rates and Brier scores against a coin flip', () => {
    expect([hitClass(0.6), hitClass(0.5), hitClass(0.4), hitClass(null)]).toEqual(['t-up', '', 't-down', '']);
    expect([brierClass(0.2), brierClass(0.25), brierClass(0.3), brierClass(undefined)]).toEqual(['t-up', '', 't-down', '']);
  });

  it('takes the direction from the server and the confidence in it from P(up)', () => {
    // The server's direction, never one derived from the probability.
    expect(directionOf('up')).toBe('up');
    expect(directionOf('down')).toBe('down');
    expect(directionOf(null)).toBeNull();
    expect(directionOf('sideways')).toBeNull();
    expect(confidenceOf('down', 0.3)).toBeCloseTo(0.7);
    expect(confidenceOf('up', 0.3)).toBeCloseTo(0.3);
    expect(confidenceOf(null, 0.3)).toBeNull();
  });

  it('names signals', () => {
    expect(signalLabel('price')).toBe('Price model');
    expect(signalLabel('custom.x')).toBe('custom.x');
  });
});
