import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TickerSummary } from '../api/types';
import { json, mockFetch, pending, problem } from '../test/fetchMock';
import { fx } from '../test/fixtures';
import { Overview, sortTickers } from './Overview';

describe('Overview', () => {
  it('shows a loading state while the first request is in flight', () => {
    mockFetch({ '/api/tickers': pending });
    render(<Overview />);
    expect(screen.getByRole('status').textContent).toContain('Loading tickers…');
  });

  it('shows the ProblemDetails title and detail on error, with a retry', async () => {
    mockFetch({ '/api/tickers': problem(503, 'Cluster unavailable', 'No silo answered within 5 s.') });
    render(<Overview />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Cluster unavailable');
    expect(alert.textContent).toContain('No silo answered within 5 s.');
    expect(alert.textContent).toContain('HTTP 503');
    expect(within(alert).getByRole('button', { name: 'Retry now' })).toBeTruthy();
  });

  it('shows the warm-up state when there are no tickers yet', async () => {
    mockFetch({ '/api/tickers': json([]) });
    render(<Overview />);
    expect(await screen.findByText('No tickers yet: replay warming up')).toBeTruthy();
  });

  it('renders one row per ticker with prices, colours, sentiment and the ensemble call', async () => {
    mockFetch({ '/api/tickers': json(fx.tickers) });
    render(<Overview />);
    const aapl = (await screen.findByRole('link', { name: 'AAPL' })).closest('tr')!;
    expect(screen.getAllByRole('row')).toHaveLength(fx.tickers.length + 1);
    const t = fx.tickers.find((x) => x.symbol === 'AAPL')!;
    const cells = within(aapl).getAllByRole('cell');
    expect(cells[0].textContent).toContain(t.lastPrice!.toFixed(2));
    expect(cells[1].className).toContain(t.changePercent! < 0 ? 't-down' : 't-up');
    expect(within(aapl).getByLabelText(/probability of up/).textContent).toContain(t.ensembleDirection === 'up' ? 'Up' : 'Down');
    // A warming-up symbol shows dashes and a chip instead of zeros.
    const tsla = screen.getByRole('link', { name: 'TSLA' }).closest('tr')!;
    expect(tsla.textContent).toContain('warming up');
    expect(within(tsla).getAllByRole('cell')[0].textContent).toContain('—');
    expect(screen.getByLabelText('Market summary').textContent).toContain(String(fx.tickers.length));
  });

  it('filters and sorts', async () => {
    mockFetch({ '/api/tickers': json(fx.tickers) });
    render(<Overview />);
    await screen.findByRole('link', { name: 'AAPL' });
    fireEvent.change(screen.getByLabelText('Filter symbols'), { target: { value: 'ms' } });
    expect(screen.getAllByRole('link', { name: /^[A-Z]+$/ }).map((a) => a.textContent)).toEqual(['MSFT']);
    fireEvent.change(screen.getByLabelText('Filter symbols'), { target: { value: 'zzz' } });
    expect(screen.getByText(/No symbol matches/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Filter symbols'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: /Chg %/ }));
    expect(screen.getByRole('columnheader', { name: /Chg %/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('navigates to the detail page when a row is clicked', async () => {
    mockFetch({ '/api/tickers': json(fx.tickers) });
    render(<Overview />);
    const row = (await screen.findByRole('link', { name: 'MSFT' })).closest('tr')!;
    fireEvent.click(within(row).getAllByRole('cell')[2]);
    expect(window.location.pathname).toBe('/t/MSFT');
  });

  it('keeps the table and shows a notice when a later poll fails', async () => {
    let calls = 0;
    mockFetch({ '/api/tickers': () => (++calls === 1 ? json(fx.tickers) : problem(502, 'Bad gateway')) });
    const { rerender } = render(<Overview />);
    await screen.findByRole('link', { name: 'AAPL' });
    const { getResource, keys } = await import('../api/live');
    await getResource(keys.tickers())!.refresh();
    rerender(<Overview />);
    expect(await screen.findByText(/Showing last known data: Bad gateway/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'AAPL' })).toBeTruthy();
  });
});

describe('sortTickers', () => {
  const rows = [
    { symbol: 'B', changePercent: 1 },
    { symbol: 'A', changePercent: null },
    { symbol: 'C', changePercent: -2 },
  ] as TickerSummary[];
  it('sorts numbers either way and keeps missing values last', () => {
    expect(sortTickers(rows, 'changePercent', true).map((r) => r.symbol)).toEqual(['B', 'C', 'A']);
    expect(sortTickers(rows, 'changePercent', false).map((r) => r.symbol)).toEqual(['C', 'B', 'A']);
    expect(sortTickers(rows, 'symbol', true).map((r) => r.symbol)).toEqual(['C', 'B', 'A']);
  });
});
