// Hand-written SVG chart. Daily bars are at most a few hundred points, so SVG is fast enough, adds no
// bytes of dependencies, follows the CSS theme, and renders (and is testable) in a DOM without canvas.
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { Bar } from '../api/types';
import { fmtCompact, fmtDay, fmtPct, fmtPrice, isNum } from '../format';

const HEIGHT = 300;
const PAD = { top: 12, right: 60, bottom: 24, left: 8 };
const VOLUME_SHARE = 0.18;

/** "Nice" axis ticks (1, 2, 2.5, 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) * 0.01 || 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

/** Simple moving average of closes; null until `period` values are available. */
export function sma(values: number[], period: number): (number | null)[] {
  const out: (number | null)[] = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (i >= period) sum -= values[i - period];
    out.push(i >= period - 1 ? sum / period : null);
  });
  return out;
}

function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width] as const;
}

export function PriceChart({
  bars,
  symbol,
  visible = 0,
  showSma = true,
}: {
  /** Bars in trading-day order. */
  bars: Bar[];
  symbol: string;
  /** Show only the last `visible` bars (0 = all); earlier bars still feed the SMA. */
  visible?: number;
  showSma?: boolean;
}) {
  const [ref, width] = useWidth(880);
  const [hover, setHover] = useState<number | null>(null);

  const all = useMemo(() => bars.filter((b) => isNum(b.close)), [bars]);
  const avgAll = useMemo(() => sma(all.map((b) => b.close), 20), [all]);
  const start = visible > 0 ? Math.max(0, all.length - visible) : 0;
  const data = all.slice(start);
  const avg = avgAll.slice(start);
  const closes = data.map((b) => b.close);

  if (data.length === 0) return null;

  const w = Math.max(width, 240);
  const plotW = w - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const priceH = plotH * (1 - VOLUME_SHARE) - 6;
  const lows = data.map((b) => (isNum(b.low) ? b.low : b.close));
  const highs = data.map((b) => (isNum(b.high) ? b.high : b.close));
  let lo = Math.min(...lows);
  let hi = Math.max(...highs);
  const padY = (hi - lo) * 0.06 || Math.abs(hi) * 0.01 || 1;
  lo -= padY;
  hi += padY;
  const ticks = niceTicks(lo, hi, 5).filter((t) => t >= lo && t <= hi);
  const maxVol = Math.max(1, ...data.map((b) => (isNum(b.volume) ? b.volume : 0)));

  const step = data.length > 1 ? plotW / (data.length - 1) : 0;
  const x = (i: number) => PAD.left + (data.length > 1 ? i * step : plotW / 2);
  const y = (p: number) => PAD.top + ((hi - p) / (hi - lo)) * priceH;
  const volTop = PAD.top + plotH * (1 - VOLUME_SHARE);
  const volH = plotH * VOLUME_SHARE;

  const line = closes.map((c, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(c).toFixed(1)}`).join('');
  const area = `${line}L${x(data.length - 1).toFixed(1)},${(PAD.top + priceH).toFixed(1)}L${x(0).toFixed(1)},${(PAD.top + priceH).toFixed(1)}Z`;
  const smaPath = avg
    .map((v, i) => (v === null ? '' : `${avg[i - 1] == null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`))
    .join('');

  const first = closes[0];
  const last = closes[closes.length - 1];
  const periodChange = first ? ((last - first) / first) * 100 : null;
  const tone = last >= first ? 'up' : 'down';

  // Month labels at the first bar of each month, skipping any that would crowd the previous one.
  const xLabels: number[] = [];
  data.forEach((b, i) => {
    if (i > 0 && b.tradingDay.slice(0, 7) === data[i - 1].tradingDay.slice(0, 7)) return;
    const prevLabel = xLabels[xLabels.length - 1];
    if (prevLabel === undefined || x(i) - x(prevLabel) >= 64) xLabels.push(i);
  });
  // A partial first month gives way to the next label when they are too close.
  if (xLabels.length > 1 && x(xLabels[1]) - x(xLabels[0]) < 64) xLabels.shift();
  const barW = Math.max(1, Math.min(8, step * 0.7));

  const onMove = (e: MouseEvent<SVGRectElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - rect.left) / rect.width) * plotW;
    const i = data.length > 1 ? Math.round(px / step) : 0;
    setHover(Math.max(0, Math.min(data.length - 1, i)));
  };

  const h = hover !== null ? data[hover] : data[data.length - 1];
  const hi_ = hover ?? data.length - 1;
  const prev = hi_ > 0 ? data[hi_ - 1].close : null;
  const dayChange = prev ? ((h.close - prev) / prev) * 100 : null;

  const summary = `Daily closing prices of ${symbol}, ${data.length} trading days from ${fmtDay(data[0].tradingDay)} to ${fmtDay(
    data[data.length - 1].tradingDay,
  )}; last close ${fmtPrice(last)}, ${fmtPct(periodChange)} over the period.`;

  return (
    <div className="chart" ref={ref} data-testid="price-chart">
      <div className="chart-readout" aria-live="off">
        <span className="readout-day">{fmtDay(h.tradingDay)}</span>
        <span>O <b className="num">{fmtPrice(h.open)}</b></span>
        <span>H <b className="num">{fmtPrice(h.high)}</b></span>
        <span>L <b className="num">{fmtPrice(h.low)}</b></span>
        <span>C <b className="num">{fmtPrice(h.close)}</b></span>
        <span className={`num t-${dayChange === null ? 'none' : dayChange >= 0 ? 'up' : 'down'}`}>{fmtPct(dayChange)}</span>
        <span>Vol <b className="num">{fmtCompact(h.volume)}</b></span>
        {showSma && avg[hi_] !== null && (
          <span className="legend-sma">SMA20 <b className="num">{fmtPrice(avg[hi_])}</b></span>
        )}
      </div>
      <svg
        width={w}
        height={HEIGHT}
        viewBox={`0 0 ${w} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        className={`chart-svg tone-${tone}`}
      >
        <defs>
          <linearGradient id="mp-area" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" className="area-stop-top" />
            <stop offset="100%" className="area-stop-bottom" />
          </linearGradient>
        </defs>
        {ticks.map((t) => (
          <g key={t} className="grid">
            <line x1={PAD.left} x2={PAD.left + plotW} y1={y(t)} y2={y(t)} />
            <text x={PAD.left + plotW + 6} y={y(t)} dy="0.32em">
              {fmtPrice(t)}
            </text>
          </g>
        ))}
        {xLabels.map((i) => (
          <text key={i} className="axis-x" x={x(i)} y={HEIGHT - 6} textAnchor={x(i) - PAD.left < 24 ? 'start' : 'middle'}>
            {monthLabel(data[i].tradingDay, i === xLabels[0] || data[i].tradingDay.slice(5, 7) === '01')}
          </text>
        ))}
        <g className="volume">
          {data.map((b, i) =>
            isNum(b.volume) && b.volume > 0 ? (
              <rect
                key={i}
                x={x(i) - barW / 2}
                width={barW}
                y={volTop + volH - (b.volume / maxVol) * volH}
                height={(b.volume / maxVol) * volH}
                className={i > 0 && b.close < data[i - 1].close ? 'vol-down' : 'vol-up'}
              />
            ) : null,
          )}
        </g>
        <path d={area} className="area" fill="url(#mp-area)" />
        {showSma && smaPath && <path d={smaPath} className="sma" />}
        <path d={line} className="line" />
        <line className="last-line" x1={PAD.left} x2={PAD.left + plotW} y1={y(last)} y2={y(last)} />
        <g className="last-tag" transform={`translate(${PAD.left + plotW + 2},${y(last)})`}>
          <rect x={0} y={-9} width={PAD.right - 4} height={18} rx={3} />
          <text x={4} dy="0.32em">{fmtPrice(last)}</text>
        </g>
        {hover !== null && (
          <g className="crosshair">
            <line x1={x(hover)} x2={x(hover)} y1={PAD.top} y2={PAD.top + plotH} />
            <circle cx={x(hover)} cy={y(data[hover].close)} r={3.5} />
          </g>
        )}
        <rect
          className="hit"
          x={PAD.left}
          y={PAD.top}
          width={plotW}
          height={plotH}
          fill="transparent"
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
        />
      </svg>
    </div>
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function monthLabel(day: string, withYear: boolean): string {
  const m = MONTHS[Number(day.slice(5, 7)) - 1] ?? day.slice(5, 7);
  return withYear ? `${m} ${day.slice(0, 4)}` : m;
}
