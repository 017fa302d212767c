import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../api/types';
import { fx } from '../test/fixtures';
import { niceTicks, PriceChart, sma } from './PriceChart';

describe('chart maths', () => {
  it('makes nice ticks', () => {
    expect(niceTicks(97.3, 116.2, 5)).toEqual([100, 105, 110, 115]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(10, 10).length).toBeGreaterThan(0);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });

  it('computes a simple moving average', () => {
    expect(sma([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4]);
  });
});

describe('PriceChart', () => {
  it('renders nothing without bars', () => {
    const { container } = render(<PriceChart bars={[]} symbol="X" />);
    expect(container.innerHTML).toBe('');
  });

  it('draws a line per visible bar, volume bars, an SMA, and an accessible summary', () => {
    render(<PriceChart bars={fx.aaplBars} visible={63} symbol="AAPL" />);
    const svg = screen.getByRole('img');
    const d = svg.querySelector('path.line')!.getAttribute('d')!;
    expect(d.match(/[ML]/g)).toHaveLength(63);
    expect(svg.querySelectorAll('.volume rect')).toHaveLength(63);
    expect(svg.querySelector('path.sma')!.getAttribute('d')).toMatch(/^M/);
    expect(svg.getAttribute('aria-label')).toContain('63 trading days');
    // The readout shows the last bar until hovered.
    const last = fx.aaplBars[fx.aaplBars.length - 1];
    expect(screen.getByTestId('price-chart').textContent).toContain(last.tradingDay);
  });

  it('moves the readout with the mouse', () => {
    const bars: Bar[] = [1, 2, 3].map((c, i) => ({
      start: `2015-01-0${i + 5}T14:30:00Z`, interval: '1d', tradingDay: `2015-01-0${i + 5}`, open: c, high: c, low: c, close: c, volume: 10, trades: 1,
    }));
    render(<PriceChart bars={bars} symbol="X" />);
    const hit = document.querySelector('rect.hit')!;
    hit.getBoundingClientRect = () => ({ left: 0, width: 100, top: 0, height: 100, right: 100, bottom: 100, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.mouseMove(hit, { clientX: 1, clientY: 10 });
    expect(screen.getByTestId('price-chart').textContent).toContain('2015-01-05');
    expect(document.querySelector('.crosshair')).not.toBeNull();
    fireEvent.mouseLeave(hit);
    expect(document.querySelector('.crosshair')).toBeNull();
  });
});
