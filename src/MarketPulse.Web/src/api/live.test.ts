import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { createPolledResource, getResource, resource } from './live';

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('createPolledResource', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('loads on first subscribe, then polls after each answer, and stops when unsubscribed', async () => {
    let n = 0;
    const load = vi.fn(async () => ++n);
    const r = createPolledResource(load, 2000);
    expect(r.getSnapshot()).toMatchObject({ loading: true, data: undefined });
    expect(load).not.toHaveBeenCalled(); // lazy

    const listener = vi.fn();
    const off = r.subscribe(listener);
    await flush();
    expect(r.getSnapshot()).toMatchObject({ loading: false, data: 1, error: undefined });
    expect(listener).toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(2000);
    expect(r.getSnapshot().data).toBe(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(load).toHaveBeenCalledTimes(3);

    off();
    await vi.advanceTimersByTimeAsync(10000);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('keeps the last data when a refresh fails and clears the error on recovery', async () => {
    const load = vi
      .fn<() => Promise<string>>()
      .mockResolvedValueOnce('ok')
      .mockRejectedValueOnce(new ApiError(503, 'Service unavailable'))
      .mockResolvedValueOnce('again');
    const r = createPolledResource(load, 1000);
    const off = r.subscribe(() => {});
    await flush();
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.getSnapshot()).toMatchObject({ data: 'ok', loading: false });
    expect(r.getSnapshot().error?.status).toBe(503);
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.getSnapshot()).toMatchObject({ data: 'again', error: undefined });
    off();
  });

  it('never has two requests in flight', async () => {
    let resolve!: (v: number) => void;
    const load = vi.fn(() => new Promise<number>((ok) => (resolve = ok)));
    const r = createPolledResource(load, 500);
    const off = r.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(5000);
    void r.refresh();
    expect(load).toHaveBeenCalledTimes(1);
    resolve(7);
    await flush();
    expect(r.getSnapshot().data).toBe(7);
    off();
  });

  it('wraps unknown errors and accepts pushed data', async () => {
    const r = createPolledResource(async () => { throw new Error('boom'); }, 0);
    const off = r.subscribe(() => {});
    await flush();
    expect(r.getSnapshot().error).toBeInstanceOf(ApiError);
    expect(r.getSnapshot().error?.detail).toBe('boom');
    r.push(42 as never);
    expect(r.getSnapshot()).toMatchObject({ data: 42, error: undefined, loading: false });
    off();
  });

  it('skips polls while the tab is hidden', async () => {
    const load = vi.fn(async () => 1);
    const r = createPolledResource(load, 1000);
    const off = r.subscribe(() => {});
    await flush();
    const spy = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    await vi.advanceTimersByTimeAsync(5000);
    expect(load).toHaveBeenCalledTimes(1);
    spy.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    off();
  });
});

describe('resource registry', () => {
  it('shares one resource per key', () => {
    const make = vi.fn(() => createPolledResource(async () => 1, 0));
    const a = resource('k', make);
    const b = resource('k', make);
    expect(a).toBe(b);
    expect(make).toHaveBeenCalledTimes(1);
    expect(getResource('k')).toBe(a);
  });
});
