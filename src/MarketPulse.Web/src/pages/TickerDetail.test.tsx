import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../api/types';
import { json, mockFetch, pending, problem, type Route } from '../test/fetchMock';
import { forecastsFor, fx, indicatorsFor } from '../test/fixtures';
import { fmtNum, fmtPrice, fmtProb, fmtSigned } from '../format';
import { latestCalls, mergeSignals, TickerDetailPage } from './TickerDetail';

const aaplRoutes: Record<string, Route> = {
  '/api/tickers/AAPL': json(fx.aapl),
  '/api/tickers/AAPL/bars': json(fx.aaplBars),
  '/api/tickers/AAPL/predictions': json(fx.aaplPredictions),
  '/api/tickers/AAPL/posts': json(fx.aaplPosts.slice(0, 20)),
  '/api/tickers/AAPL/forecasts': json(forecastsFor(fx.aaplBars)),
  '/api/tickers/AAPL/indicators': json(indicatorsFor(fx.aaplBars)),
};

const text = (el: Element | null) => el?.textContent ?? '';

describe('TickerDetailPage', () => {
  it('shows a loading state first', () => {
    mockFetch({ '/api/tickers/*': pending });
    render(<TickerDetailPage symbol="AAPL" />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('AAPL');
    expect(text(screen.getByRole('status'))).toContain('Loading AAPL…');
  });

  it('shows the 404 ProblemDetails for an unknown symbol, without a retry button', async () => {
    mockFetch({ '/api/tickers/*': problem(404, 'Unknown symbol', "MarketPulse does not track 'ZZZ'.") });
    render(<TickerDetailPage symbol="ZZZ" />);
    const alert = await screen.findByRole('alert');
    expect(text(alert)).toContain('Unknown symbol');
    expect(text(alert)).toContain("MarketPulse does not track 'ZZZ'.");
    expect(within(alert).queryByRole('button')).toBeNull();
    expect(within(alert).getByRole('link', { name: 'Back to the overview' }).getAttribute('href')).toBe('/');
  });

  it('renders price, chart, the ensemble call with its explanation, signals, indicators, posts and history', async () => {
    mockFetch(aaplRoutes);
    render(<TickerDetailPage symbol="AAPL" />);
    const t = fx.aapl.ticker!;
    expect(text(await screen.findByTestId('detail-price'))).toBe(t.lastPrice!.toFixed(2));

    // Chart: the data handed to lightweight-charts (a DOM without canvas gets the summary instead of the drawing).
    const chart = await screen.findByTestId('price-chart');
    const n = fx.aaplBars.length;
    await waitFor(() => expect(chart.getAttribute('data-band-days')).toBe(String(n))); // n − 1 scored + the open one
    expect(chart.getAttribute('data-candles')).toBe(String(n));
    expect(chart.getAttribute('data-moves')).toBe(String(n - 1));
    expect(chart.getAttribute('data-volatility-days')).toBe(String(n));
    expect(chart.getAttribute('data-rsi-points')).toBe(String(n - 14));
    expect(chart.getAttribute('data-macd-points')).toBe(String(n - 33));
    const summary = within(chart).getByRole('img').getAttribute('aria-label')!;
    expect(summary).toContain(`Daily candles of AAPL, ${n} trading days`);
    expect(summary).toMatch(new RegExp(`${n - 1} scored forecasts: \\d+ % of realised moves inside the 80 % band, \\d+ % inside the 95 % band`));
    // The readout shows the last day: its prices, its band and where its close fell.
    const last = fx.aaplBars[n - 1];
    expect(text(chart)).toContain(last.tradingDay);
    expect(text(chart)).toMatch(/80 % band [\d.,]+ – [\d.,]+/);
    expect(text(chart)).toMatch(/move [+−-]?[\d.]+% (inside the 80 % band|outside 80 %, inside 95 %|outside the 95 % band)/);
    // The licence's attribution: TradingView named, with a link.
    expect(within(chart).getByRole('link', { name: 'TradingView' }).getAttribute('href')).toBe('https://www.tradingview.com/');

    // Ensemble call
    const call = screen.getByTestId('prediction');
    const latest = fx.aapl.ensemble!.latest!;
    expect(text(call)).toContain(latest.prediction.direction === 'up' ? 'Up' : 'Down');
    expect(text(call)).toContain(`${(latest.prediction.probabilityUp! * 100).toFixed(1)}%`);
    expect(within(call).getByRole('table').querySelectorAll('tbody tr')).toHaveLength(latest.explanation!.length);
    expect(text(call)).toContain('pending');

    // Signals table: one row per signal with hit rate and Brier
    const signals = screen.getByRole('region', { name: /Signals/ });
    const rows = within(signals).getAllByRole('row').slice(1);
    expect(rows.map((r) => text(r.querySelector('th')).split(' ')[0])).toEqual(['Ensemble', 'Price', 'Sentiment', 'Persistence']);
    const ens = fx.aapl.ensemble!.signals!.find((s) => s.signal === 'ensemble')!;
    expect(text(rows[0])).toContain(fmtProb(ens.hitRate));
    expect(text(rows[0])).toContain(fmtNum(ens.brier, 3));

    // Indicators: the server's values as sent, MACD from its line/signal/histogram (not EMA 12 − EMA 26 in the browser).
    const ind = t.indicators;
    const indicators = text(screen.getByRole('region', { name: 'Indicators' }));
    expect(indicators).toContain(ind.sma20!.toFixed(2));
    expect(indicators).toContain(`MACD (12/26/9)${fmtSigned(ind.macdLine)} signal ${fmtSigned(ind.macdSignal)}`);
    expect(indicators).toContain(`MACD histogram${fmtSigned(ind.macdHistogram, 3)}`);
    expect(indicators).toContain(`Bollinger 20/2${fmtPrice(ind.bollingerLower)} – ${fmtPrice(ind.bollingerUpper)}`);
    expect(indicators).toContain(`Stochastic 14/3%K ${fmtNum(ind.stochasticK, 1)}`);

    // Posts with polarity colouring
    const posts = await screen.findByRole('list', { name: 'Recent posts about AAPL' });
    const items = within(posts).getAllByRole('listitem');
    expect(items).toHaveLength(20);
    fx.aaplPosts.slice(0, 20).forEach((p, i) => {
      const cls = p.polarity! >= 0.05 ? 'post-pos' : p.polarity! <= -0.05 ? 'post-neg' : 'post-neu';
      expect(items[i].className).toContain(cls);
    });

    // History: ensemble by default, hits and misses marked
    const history = await screen.findByRole('table', { name: 'Prediction history' });
    const shown = fx.aaplPredictions
      .filter((r) => r.prediction.signal === 'ensemble')
      .sort((a, b) => b.prediction.basisDay.localeCompare(a.prediction.basisDay))
      .slice(0, 25);
    expect(within(history).getAllByRole('row')).toHaveLength(shown.length + 1);
    expect(within(history).queryAllByText('✓ hit')).toHaveLength(shown.filter((r) => r.hit === true).length);
    expect(within(history).queryAllByText('✗ miss')).toHaveLength(shown.filter((r) => r.hit === false).length);
    expect(within(history).queryAllByText('pending')).toHaveLength(shown.filter((r) => r.hit === null).length);

    // Switching to all signals shows the signal column
    fireEvent.change(screen.getByLabelText('Signal'), { target: { value: 'all' } });
    expect(within(history).getByRole('columnheader', { name: 'Signal' })).toBeTruthy();
  });

  it('shows warm-up states for a symbol with no data yet', async () => {
    mockFetch({
      '/api/tickers/TSLA': json(fx.tsla),
      '/api/tickers/TSLA/bars': json([]),
      '/api/tickers/TSLA/predictions': json([]),
      '/api/tickers/TSLA/posts': json([]),
    });
    render(<TickerDetailPage symbol="TSLA" />);
    expect(await screen.findByText('No prices yet: replay warming up')).toBeTruthy();
    expect(await screen.findByText('No daily bars yet: replay warming up')).toBeTruthy();
    expect(screen.getByText('No prediction yet: replay warming up')).toBeTruthy();
    expect(screen.getByText('No indicators yet: replay warming up')).toBeTruthy();
    expect(screen.getByText('No sentiment yet: replay warming up')).toBeTruthy();
    expect(await screen.findByText('No posts yet')).toBeTruthy();
    expect(await screen.findByText('No predictions yet: replay warming up')).toBeTruthy();
    expect(screen.queryByTestId('price-chart')).toBeNull();
    expect(text(screen.getByTestId('detail-price'))).toBe('—');
  });

  it('shows per-panel errors without losing the rest of the page', async () => {
    mockFetch({
      '/api/tickers/AAPL': json(fx.aapl),
      '/api/tickers/AAPL/bars': problem(500, 'Bar store unavailable', 'Redis timed out.'),
      '/api/tickers/AAPL/predictions': json(fx.aaplPredictions),
      '/api/tickers/AAPL/posts': json([]),
    });
    render(<TickerDetailPage symbol="AAPL" />);
    const chartCard = await screen.findByRole('region', { name: 'Daily price' });
    expect(text(await within(chartCard).findByRole('alert'))).toContain('Redis timed out.');
    expect(screen.getByTestId('prediction')).toBeTruthy();
  });
});

describe('mergeSignals', () => {
  it('joins stats and latest predictions by signal, ensemble first', () => {
    const rec = (signal: string) => ({ prediction: { signal } }) as PredictionRecord;
    const out = mergeSignals(
      [{ signal: 'sentiment', kind: 'lexicon' } as never, { signal: 'zeta', kind: 'x' } as never],
      [rec('ensemble'), rec('sentiment')],
    );
    expect(out.map((r) => r.name)).toEqual(['ensemble', 'sentiment', 'zeta']);
    expect(out[1].stats?.kind).toBe('lexicon');
    expect(out[1].latest).toBeTruthy();
    expect(out[2].latest).toBeUndefined();
  });
});

describe('latestCalls', () => {
  const rec = (signal: string) => ({ prediction: { signal } }) as PredictionRecord;
  it("puts the ensemble's own call (the snapshot's latest) beside the other signals' calls", () => {
    const calls = latestCalls({ latest: rec('ensemble'), latestBySignal: [rec('price'), rec('sentiment')] } as never);
    expect(calls.map((c) => c.prediction.signal)).toEqual(['ensemble', 'price', 'sentiment']);
    const rows = mergeSignals([{ signal: 'ensemble', kind: 'ensemble' } as never], calls);
    expect(rows[0].name).toBe('ensemble');
    expect(rows[0].latest).toBeTruthy();
  });
  it('adds nothing when there is no call yet, and never lists a signal twice', () => {
    expect(latestCalls(null)).toEqual([]);
    expect(latestCalls({ latest: null, latestBySignal: [rec('price')] } as never).map((c) => c.prediction.signal)).toEqual(['price']);
    expect(latestCalls({ latest: rec('price'), latestBySignal: [rec('price')] } as never)).toHaveLength(1);
  });
});
