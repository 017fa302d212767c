import { describe, expect, it, vi } from 'vitest';
import { mockFetch, json, problem } from '../test/fetchMock';
import { ApiError, api, getJson } from './client';

describe('getJson', () => {
  it('returns parsed JSON', async () => {
    mockFetch({ '/api/tickers': json([{ symbol: 'AAPL' }]) });
    await expect(getJson('/api/tickers')).resolves.toEqual([{ symbol: 'AAPL' }]);
  });

  it('turns ProblemDetails into an ApiError with title and detail', async () => {
    mockFetch({ '/api/tickers/ZZZ': problem(404, 'Unknown symbol', "MarketPulse does not track 'ZZZ'.") });
    const err = await api.ticker('zzz').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(404);
    expect(err.isNotFound).toBe(true);
    expect(err.title).toBe('Unknown symbol');
    expect(err.detail).toBe("MarketPulse does not track 'ZZZ'.");
  });

  it('falls back to a status title when the body is not JSON', async () => {
    mockFetch({ '/api/models': { status: 503, body: 'down', contentType: 'text/plain' } });
    const err = (await api.models().catch((e) => e)) as ApiError;
    expect(err.title).toBe('Service unavailable');
    expect(err.detail).toBeUndefined();
  });

  it('reports network failures as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const err = (await getJson('/api/tickers').catch((e) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.title).toBe('Gateway unreachable');
  });

  it('rejects malformed JSON', async () => {
    mockFetch({ '/api/tickers': { status: 200, body: '{oops', contentType: 'application/json' } });
    const err = (await getJson('/api/tickers').catch((e) => e)) as ApiError;
    expect(err.title).toBe('Malformed response');
  });
});

describe('api paths', () => {
  it('builds the §5 URLs with encoded symbols and query strings', async () => {
    const f = mockFetch({ '*': json([]) , '/api/*': json([]) });
    await api.bars('aapl');
    await api.bars('BRK.B', { interval: '1m', from: '2015-01-01' });
    await api.predictions('MSFT', { signal: 'ensemble' });
    await api.posts('GOOG', 20);
    const urls = f.mock.calls.map((c) => String(c[0]));
    expect(urls).toEqual([
      '/api/tickers/AAPL/bars?interval=1d',
      '/api/tickers/BRK.B/bars?interval=1m&from=2015-01-01',
      '/api/tickers/MSFT/predictions?signal=ensemble',
      '/api/tickers/GOOG/posts?limit=20',
    ]);
  });
});
