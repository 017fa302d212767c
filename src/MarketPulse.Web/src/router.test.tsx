import { act, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Link, navigate, parseRoute, tickerPath, useRoute } from './router';

describe('router', () => {
  it('parses the three routes', () => {
    expect(parseRoute('/')).toEqual({ name: 'overview' });
    expect(parseRoute('/models/')).toEqual({ name: 'models' });
    expect(parseRoute('/system')).toEqual({ name: 'system' });
    expect(parseRoute('/t/aapl')).toEqual({ name: 'ticker', symbol: 'AAPL' });
    expect(parseRoute('/t/BRK.B')).toEqual({ name: 'ticker', symbol: 'BRK.B' });
    expect(parseRoute('/t/%E0%A4%A')).toEqual({ name: 'ticker', symbol: '%E0%A4%A' });
    expect(parseRoute('/nope')).toEqual({ name: 'notFound', path: '/nope' });
    expect(tickerPath('msft')).toBe('/t/MSFT');
  });

  it('re-renders on navigate and on back', () => {
    const { result } = renderHook(() => useRoute());
    expect(result.current.name).toBe('overview');
    act(() => navigate('/t/MSFT'));
    expect(result.current).toEqual({ name: 'ticker', symbol: 'MSFT' });
    act(() => {
      window.history.replaceState(null, '', '/models');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(result.current.name).toBe('models');
  });

  it('Link navigates in-app on plain clicks only', () => {
    render(<Link to="/models">Models</Link>);
    const a = screen.getByRole('link', { name: 'Models' });
    expect(a.getAttribute('href')).toBe('/models');
    // Modified clicks are left to the browser (open in a new tab): not prevented.
    expect(fireEvent.click(a, { ctrlKey: true })).toBe(true);
    window.history.replaceState(null, '', '/');
    // Plain clicks are handled in-app.
    expect(fireEvent.click(a)).toBe(false);
    expect(window.location.pathname).toBe('/models');
  });
});
