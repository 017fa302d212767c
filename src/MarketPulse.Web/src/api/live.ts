// The dashboard's single data layer. Every page reads live data through the hooks at the bottom of this
// file. They poll the REST API; the SignalR transport (realtime.ts) calls `push()` on the same resources
// and lengthens the polling while it is connected, without touching any component.
import { useSyncExternalStore } from 'react';
import { api, ApiError } from './client';
import type { Bar, ForecastRecord, IndicatorPoint, ModelsResponse, Post, PredictionRecord, SystemSummary, TickerDetail, TickerSummary } from './types';

export interface ResourceState<T> {
  /** Last good data; kept while a later refresh fails so the page does not blank out. */
  data: T | undefined;
  /** Error of the latest attempt, cleared by the next success. */
  error: ApiError | undefined;
  /** True until the first answer (data or error) arrives. */
  loading: boolean;
  /** Epoch ms of the last successful load or push. */
  updatedAt: number | undefined;
}

export interface LiveResource<T> {
  getSnapshot(): ResourceState<T>;
  subscribe(listener: () => void): () => void;
  /** Fetch now (coalesced with one in flight). */
  refresh(): Promise<void>;
  /** Replace the data from a push transport. */
  push(data: T): void;
  /** Change the polling interval (a push transport lengthens it while connected, and restores it when not). */
  setIntervalMs(ms: number): void;
}

/** Polling intervals, ms. */
export const POLL = {
  tickers: 2000,
  ticker: 2000,
  bars: 15000,
  forecasts: 15000,
  indicators: 15000,
  predictions: 10000,
  posts: 5000,
  models: 10000,
  system: 2000,
};

function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'Unexpected error', e instanceof Error ? e.message : String(e));
}

const isHidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/**
 * A resource that loads on first subscription and then every `intervalMs` after each answer
 * (never two requests in flight), pauses while the tab is hidden, and stops when nobody listens.
 */
export function createPolledResource<T>(load: (signal: AbortSignal) => Promise<T>, initialIntervalMs: number): LiveResource<T> {
  let intervalMs = initialIntervalMs;
  let state: ResourceState<T> = { data: undefined, error: undefined, loading: true, updatedAt: undefined };
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: Promise<void> | undefined;
  let controller: AbortController | undefined;

  const set = (next: Partial<ResourceState<T>>) => {
    state = { ...state, ...next };
    listeners.forEach((l) => l());
  };

  const schedule = () => {
    clearTimeout(timer);
    if (listeners.size > 0 && intervalMs > 0) timer = setTimeout(tick, intervalMs);
  };

  const tick = () => {
    if (isHidden()) schedule();
    else void refresh();
  };

  const refresh = (): Promise<void> => {
    if (inflight) return inflight;
    controller = new AbortController();
    const c = controller;
    inflight = load(c.signal)
      .then(
        (data) => {
          if (!c.signal.aborted) set({ data, error: undefined, loading: false, updatedAt: Date.now() });
        },
        (e: unknown) => {
          if (!c.signal.aborted) set({ error: toApiError(e), loading: false });
        },
      )
      .finally(() => {
        inflight = undefined;
        if (!c.signal.aborted) schedule();
      });
    return inflight;
  };

  const onVisible = () => {
    if (!isHidden() && listeners.size > 0) void refresh();
  };

  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible);
        void refresh();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearTimeout(timer);
          controller?.abort();
          inflight = undefined;
          if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisible);
        }
      };
    },
    refresh,
    push(data) {
      set({ data, error: undefined, loading: false, updatedAt: Date.now() });
    },
    setIntervalMs(ms) {
      if (ms === intervalMs) return;
      intervalMs = ms;
      if (!inflight) schedule();
    },
  };
}

const registry = new Map<string, LiveResource<unknown>>();

/** Shared resource per key, so two components showing the same data make one request. */
export function resource<T>(key: string, make: () => LiveResource<T>): LiveResource<T> {
  let r = registry.get(key) as LiveResource<T> | undefined;
  if (!r) {
    r = make();
    registry.set(key, r as LiveResource<unknown>);
  }
  return r;
}

/** For tests and for a push transport looking up what is being watched. */
export function resetResources(): void {
  registry.clear();
}
export function getResource<T>(key: string): LiveResource<T> | undefined {
  return registry.get(key) as LiveResource<T> | undefined;
}

export function useLive<T>(r: LiveResource<T>): ResourceState<T> {
  return useSyncExternalStore(r.subscribe, r.getSnapshot, r.getSnapshot);
}

export const keys = {
  tickers: () => 'tickers',
  ticker: (s: string) => `ticker:${s.toUpperCase()}`,
  bars: (s: string) => `bars:1d:${s.toUpperCase()}`,
  predictions: (s: string) => `predictions:${s.toUpperCase()}`,
  forecasts: (s: string) => `forecasts:${s.toUpperCase()}`,
  indicators: (s: string) => `indicators:${s.toUpperCase()}`,
  posts: (s: string, limit: number) => `posts:${s.toUpperCase()}:${limit}`,
  models: () => 'models',
  system: () => 'system',
};

export const useTickers = () =>
  useLive(resource<TickerSummary[]>(keys.tickers(), () => createPolledResource((s) => api.tickers(s), POLL.tickers)));

export const useTickerDetail = (symbol: string) =>
  useLive(resource<TickerDetail>(keys.ticker(symbol), () => createPolledResource((s) => api.ticker(symbol, s), POLL.ticker)));

export const useDailyBars = (symbol: string) =>
  useLive(resource<Bar[]>(keys.bars(symbol), () => createPolledResource((s) => api.bars(symbol, { interval: '1d' }, s), POLL.bars)));

/** Every forecast the grain keeps (the open one last) with its outcome once scored: the chart's bands and volatility. */
export const useForecastHistory = (symbol: string) =>
  useLive(resource<ForecastRecord[]>(keys.forecasts(symbol), () => createPolledResource((s) => api.forecasts(symbol, {}, s), POLL.forecasts)));

/** The server's per-day RSI and MACD: the chart's indicator panes. */
export const useIndicatorSeries = (symbol: string) =>
  useLive(resource<IndicatorPoint[]>(keys.indicators(symbol), () => createPolledResource((s) => api.indicators(symbol, {}, s), POLL.indicators)));

export const usePredictions = (symbol: string) =>
  useLive(
    resource<PredictionRecord[]>(keys.predictions(symbol), () =>
      createPolledResource((s) => api.predictions(symbol, {}, s), POLL.predictions),
    ),
  );

export const usePosts = (symbol: string, limit = 20) =>
  useLive(resource<Post[]>(keys.posts(symbol, limit), () => createPolledResource((s) => api.posts(symbol, limit, s), POLL.posts)));

export const useModels = () =>
  useLive(resource<ModelsResponse>(keys.models(), () => createPolledResource((s) => api.models(s), POLL.models)));

export const useSystem = () =>
  useLive(resource<SystemSummary>(keys.system(), () => createPolledResource((s) => api.system(s), POLL.system)));
