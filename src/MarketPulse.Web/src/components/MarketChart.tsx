// The ticker chart, drawn by TradingView's lightweight-charts (Apache-2.0; its licence asks for the attribution shown
// under the chart and by the library's own logo link). Candles, the forecasts' 80 % and 95 % expected-move bands with
// the realised close of each scored day marked inside or outside them, then panes for the volatility forecast against
// the realised Garman–Klass volatility, volume with its forecast, RSI 14 and MACD 12/26/9 from the server's series.
// The data are prepared by the pure functions of chartData.ts; this file only hands them to the library.
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  CandlestickSeries, ColorType, createChart, createSeriesMarkers, CrosshairMode, HistogramSeries, LineSeries, LineStyle,
  type IChartApi, type ISeriesApi, type ISeriesMarkersPluginApi, type MouseEventParams, type SeriesMarker, type Time,
} from 'lightweight-charts';
import type { Bar, ForecastRecord, IndicatorPoint } from '../api/types';
import { fmtCompact, fmtDay, fmtFracPct, fmtNum, fmtPct, fmtPrice } from '../format';
import {
  coverage, dayKey, toBands, toCandles, toMacd, toMoveMarkers, toRsi, toVolatility, toVolume, toVolumeForecast, visibleWindow, withAlpha,
  type MoveVerdict,
} from './chartData';

const HEIGHT = 760;
const PANES = { price: 0, volatility: 1, volume: 2, rsi: 3, macd: 4 } as const;

/** The theme's colours (styles.css custom properties), read when the chart is made. */
function palette(el: Element) {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--surface', '#111a2d'),
    border: v('--border', '#22304d'),
    text: v('--muted', '#9aa8bf'),
    accent: v('--accent', '#38bdf8'),
    up: v('--up', '#34d399'),
    down: v('--down', '#f87171'),
    warn: v('--warn', '#fbbf24'),
    sma: v('--sma', '#c084fc'),
  };
}
type Palette = ReturnType<typeof palette>;

export const verdictLabel: Record<MoveVerdict, string> = {
  inside80: 'inside the 80 % band',
  inside95: 'outside 80 %, inside 95 %',
  outside95: 'outside the 95 % band',
};
const verdictColor = (p: Palette, v: MoveVerdict) => (v === 'inside80' ? p.up : v === 'inside95' ? p.warn : p.down);

/** Whether this browser gives a 2D canvas (a DOM without one, such as the unit tests', gets the text summary only). */
function canDraw(): boolean {
  try {
    return typeof document !== 'undefined' && !!document.createElement('canvas').getContext('2d');
  } catch {
    return false;
  }
}

interface Handles {
  chart: IChartApi;
  colors: Palette;
  candles: ISeriesApi<'Candlestick'>;
  markers: ISeriesMarkersPluginApi<Time>;
  upper80: ISeriesApi<'Line'>;
  lower80: ISeriesApi<'Line'>;
  upper95: ISeriesApi<'Line'>;
  lower95: ISeriesApi<'Line'>;
  volForecast: ISeriesApi<'Line'>;
  volRealized: ISeriesApi<'Line'>;
  volume: ISeriesApi<'Histogram'>;
  volumeForecast: ISeriesApi<'Line'>;
  rsi: ISeriesApi<'Line'>;
  macdHist: ISeriesApi<'Histogram'>;
  macdLine: ISeriesApi<'Line'>;
  macdSignal: ISeriesApi<'Line'>;
}

function build(host: HTMLElement): Handles {
  const c = palette(host);
  const chart = createChart(host, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: c.bg },
      textColor: c.text,
      fontSize: 11,
      attributionLogo: true,
      panes: { separatorColor: c.border, separatorHoverColor: withAlpha(c.accent, 0.15) },
    },
    grid: { vertLines: { color: withAlpha(c.border, 0.5) }, horzLines: { color: withAlpha(c.border, 0.8) } },
    crosshair: { mode: CrosshairMode.Normal },
    rightPriceScale: { borderColor: c.border },
    timeScale: { borderColor: c.border, rightOffset: 2 },
  });
  const quiet = { priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false } as const;
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: c.up, downColor: c.down, borderUpColor: c.up, borderDownColor: c.down, wickUpColor: c.up, wickDownColor: c.down,
  }, PANES.price);
  const band = (color: string, style: LineStyle, title: string) =>
    chart.addSeries(LineSeries, { ...quiet, color, lineWidth: 1, lineStyle: style, title }, PANES.price);
  const upper95 = band(withAlpha(c.accent, 0.45), LineStyle.Dotted, '');
  const upper80 = band(c.accent, LineStyle.Solid, '');
  const lower80 = band(c.accent, LineStyle.Solid, '');
  const lower95 = band(withAlpha(c.accent, 0.45), LineStyle.Dotted, '');
  const markers = createSeriesMarkers(candles, []);

  const pct = { type: 'custom' as const, formatter: (v: number) => `${v.toFixed(2)} %`, minMove: 0.01 };
  const volForecast = chart.addSeries(LineSeries, { color: c.accent, lineWidth: 2, priceFormat: pct, title: 'σ forecast', priceLineVisible: false }, PANES.volatility);
  const volRealized = chart.addSeries(LineSeries, {
    color: c.warn, lineWidth: 1, priceFormat: pct, title: 'σ realised (GK)', priceLineVisible: false, pointMarkersVisible: true, pointMarkersRadius: 2,
  }, PANES.volatility);

  const volume = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceLineVisible: false, title: 'Volume' }, PANES.volume);
  const volumeForecast = chart.addSeries(LineSeries, {
    color: c.sma, lineWidth: 2, priceFormat: { type: 'volume' }, priceLineVisible: false, title: 'forecast',
  }, PANES.volume);

  const rsi = chart.addSeries(LineSeries, {
    color: c.sma, lineWidth: 1, priceLineVisible: false, title: 'RSI 14', priceFormat: { type: 'price', precision: 0, minMove: 1 },
    autoscaleInfoProvider: () => ({ priceRange: { minValue: 0, maxValue: 100 } }),
  }, PANES.rsi);
  for (const level of [70, 30]) rsi.createPriceLine({ price: level, color: c.text, lineWidth: 1, lineStyle: LineStyle.Dashed, axisLabelVisible: true, title: '' });

  const macdHist = chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false, title: '' }, PANES.macd);
  const macdLine = chart.addSeries(LineSeries, { color: c.accent, lineWidth: 1, priceLineVisible: false, title: 'MACD' }, PANES.macd);
  const macdSignal = chart.addSeries(LineSeries, { color: c.warn, lineWidth: 1, priceLineVisible: false, title: 'signal' }, PANES.macd);

  const panes = chart.panes();
  [3, 1, 1, 1, 1].forEach((f, i) => panes[i]?.setStretchFactor(f));
  return { chart, colors: c, candles, markers, upper80, lower80, upper95, lower95, volForecast, volRealized, volume, volumeForecast, rsi, macdHist, macdLine, macdSignal };
}

export function prepareChart(bars: Bar[], forecasts: ForecastRecord[], indicators: IndicatorPoint[]) {
  const candles = toCandles(bars);
  const bands = toBands(forecasts);
  const moves = toMoveMarkers(forecasts, new Set(candles.map((c) => c.time)));
  return {
    candles,
    volume: toVolume(bars),
    bands,
    moves,
    coverage: coverage(moves),
    volatility: toVolatility(forecasts),
    volumeForecast: toVolumeForecast(forecasts),
    rsi: toRsi(indicators),
    macd: toMacd(indicators),
  };
}

export function MarketChart({
  symbol,
  bars,
  forecasts = [],
  indicators = [],
  visible = 0,
}: {
  symbol: string;
  bars: Bar[];
  forecasts?: ForecastRecord[];
  indicators?: IndicatorPoint[];
  /** Show the last `visible` candles (0 = all); the rest is a scroll away. */
  visible?: number;
}) {
  const data = useMemo(() => prepareChart(bars, forecasts, indicators), [bars, forecasts, indicators]);
  const hostRef = useRef<HTMLDivElement>(null);
  const handles = useRef<Handles | null>(null);
  const [drawable] = useState(canDraw);
  const [hover, setHover] = useState<string | null>(null);
  const ranged = data.candles.length > 0;

  useEffect(() => {
    if (!drawable || !hostRef.current) return;
    const h = build(hostRef.current);
    handles.current = h;
    const onMove = (p: MouseEventParams<Time>) => setHover(p.time === undefined ? null : dayKey(p.time));
    h.chart.subscribeCrosshairMove(onMove);
    return () => {
      h.chart.unsubscribeCrosshairMove(onMove);
      h.chart.remove();
      handles.current = null;
    };
  }, [drawable, ranged]);

  useEffect(() => {
    const h = handles.current;
    if (!h) return;
    const c = h.colors;
    h.candles.setData(data.candles);
    h.upper80.setData(data.bands.upper80);
    h.lower80.setData(data.bands.lower80);
    h.upper95.setData(data.bands.upper95);
    h.lower95.setData(data.bands.lower95);
    h.markers.setMarkers(
      data.moves.map((m): SeriesMarker<Time> => ({
        time: m.time, position: 'atPriceMiddle', price: m.price, shape: m.verdict === 'outside95' ? 'square' : 'circle',
        color: verdictColor(c, m.verdict), size: 0.5,
      })),
    );
    h.volForecast.setData(data.volatility.forecast);
    h.volRealized.setData(data.volatility.realized);
    h.volume.setData(data.volume.map((v) => ({ time: v.time, value: v.value, color: withAlpha(v.up ? c.up : c.down, 0.45) })));
    h.volumeForecast.setData(data.volumeForecast);
    h.rsi.setData(data.rsi);
    h.macdHist.setData(data.macd.histogram.map((p) => ({ ...p, color: withAlpha(p.value >= 0 ? c.up : c.down, 0.6) })));
    h.macdLine.setData(data.macd.line);
    h.macdSignal.setData(data.macd.signal);
  }, [data]);

  // The range buttons (and the first data) set the window; later polls keep whatever the user scrolled to.
  const lastTimes = [data.bands.upper80.at(-1)?.time, data.volumeForecast.at(-1)?.time];
  useEffect(() => {
    const h = handles.current;
    const w = visibleWindow(data.candles, visible, lastTimes);
    if (!h || !w) return;
    if (visible > 0) h.chart.timeScale().setVisibleRange({ from: w.from, to: w.to });
    else h.chart.timeScale().fitContent();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visible, ranged, drawable]);

  const byDay = useMemo(() => {
    const at = <T extends { time: string }>(xs: T[]) => new Map(xs.map((x) => [x.time, x] as const));
    return {
      candle: at(data.candles), volume: at(data.volume), u80: at(data.bands.upper80), l80: at(data.bands.lower80),
      move: at(data.moves), sigmaF: at(data.volatility.forecast), sigmaR: at(data.volatility.realized),
      volF: at(data.volumeForecast), rsi: at(data.rsi), macd: at(data.macd.histogram),
    };
  }, [data]);

  if (data.candles.length === 0) return null;
  const lastCandle = data.candles[data.candles.length - 1];
  const day = hover && (byDay.candle.has(hover) || byDay.u80.has(hover)) ? hover : lastCandle.time;
  const k = byDay.candle.get(day);
  const move = byDay.move.get(day);
  const first = data.candles[0].close;
  const cov = data.coverage;
  const summary = `Daily candles of ${symbol}, ${data.candles.length} trading days from ${fmtDay(data.candles[0].time)} to ${fmtDay(
    lastCandle.time,
  )}; last close ${fmtPrice(lastCandle.close)}, ${fmtPct(first ? ((lastCandle.close - first) / first) * 100 : null)} over the period. ` +
    (cov.n > 0 ? `${cov.n} scored forecasts: ${fmtNum((cov.in80 ?? 0) * 100, 0)} % of realised moves inside the 80 % band, ${fmtNum((cov.in95 ?? 0) * 100, 0)} % inside the 95 % band.` : 'No scored forecasts yet.');

  return (
    <div
      className="chart"
      data-testid="price-chart"
      data-candles={data.candles.length}
      data-band-days={data.bands.upper80.length}
      data-moves={data.moves.length}
      data-volatility-days={data.volatility.forecast.length}
      data-rsi-points={data.rsi.length}
      data-macd-points={data.macd.line.length}
    >
      <div className="chart-readout" aria-live="off">
        <span className="readout-day">{fmtDay(day)}</span>
        {k && (
          <>
            <span>O <b className="num">{fmtPrice(k.open)}</b></span>
            <span>H <b className="num">{fmtPrice(k.high)}</b></span>
            <span>L <b className="num">{fmtPrice(k.low)}</b></span>
            <span>C <b className="num">{fmtPrice(k.close)}</b></span>
            <span>Vol <b className="num">{fmtCompact(byDay.volume.get(day)?.value)}</b></span>
          </>
        )}
        {byDay.u80.has(day) && (
          <span>80 % band <b className="num">{fmtPrice(byDay.l80.get(day)?.value)} – {fmtPrice(byDay.u80.get(day)?.value)}</b></span>
        )}
        {move && (
          <span className={`t-${move.verdict === 'inside80' ? 'up' : move.verdict === 'inside95' ? 'warn' : 'down'}`}>
            move {fmtFracPct(move.realizedReturn)} {verdictLabel[move.verdict]}
          </span>
        )}
        {byDay.sigmaF.has(day) && (
          <span>σ <b className="num">{fmtNum(byDay.sigmaF.get(day)?.value, 2)} %</b>{byDay.sigmaR.has(day) && <> vs <b className="num">{fmtNum(byDay.sigmaR.get(day)?.value, 2)} %</b></>}</span>
        )}
        {byDay.volF.has(day) && <span>Vol. fcst <b className="num">{fmtCompact(byDay.volF.get(day)?.value)}</b></span>}
        {byDay.rsi.has(day) && <span>RSI <b className="num">{fmtNum(byDay.rsi.get(day)?.value, 1)}</b></span>}
        {byDay.macd.has(day) && <span>MACD hist. <b className="num">{fmtNum(byDay.macd.get(day)?.value, 3)}</b></span>}
      </div>
      {drawable ? (
        <div ref={hostRef} className="chart-canvas" style={{ height: HEIGHT }} role="img" aria-label={summary} />
      ) : (
        <p className="muted small" role="img" aria-label={summary}>{summary} (This browser has no canvas to draw the chart on.)</p>
      )}
      <p className="chart-panes muted small" aria-hidden="true">
        Panes, top to bottom: price with expected-move bands · volatility forecast vs realised · volume and forecast · RSI 14 · MACD 12/26/9
      </p>
      <p className="attribution small">
        Charts by <a href="https://www.tradingview.com/" target="_blank" rel="noopener noreferrer">TradingView</a> Lightweight Charts™
        (Copyright © TradingView, Inc., Apache-2.0)
      </p>
    </div>
  );
}
