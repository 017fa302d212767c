// SignalR transport for the live resources (hub /hubs/market, design.md §5). Pages declare which symbols they
// show with `useRealtimeSymbols`; the transport subscribes to exactly those (ref-counted, re-sent after a
// reconnect), writes each pushed ticker state into the matching resources, and, while connected, lengthens
// their polling to a slow safety net. When the hub cannot be reached the resources keep polling at their
// normal rate, so the dashboard works the same without WebSockets — just less promptly.
import { useEffect, useSyncExternalStore } from 'react';
import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import { getResource, keys, POLL } from './live';
import type { SignalPrediction, TickerDetail, TickerState, TickerSummary } from './types';

export const HUB_PATH = '/hubs/market';
/** Polling interval of pushed resources while the hub is connected (catches fields that are not pushed). */
export const PUSHED_POLL_MS = 30000;
export const ALL = '*';

export interface TickerPush {
  symbol: string;
  ticker: TickerState;
  ensemble: SignalPrediction | null;
  pushedAtUtc: string;
}

export interface AlertPush {
  deliveryId: string;
  ruleId: string;
  symbol: string;
  kind: string;
  threshold: number | null;
  value: number;
  previousValue: number | null;
  message: string;
  firedAtUtc: string;
}

export type RealtimeStatus = 'connecting' | 'live' | 'polling';

/** The part of a SignalR HubConnection the transport uses (so tests can drive it without a server). */
export type HubLike = Pick<HubConnection, 'on' | 'invoke' | 'start' | 'stop' | 'onreconnecting' | 'onreconnected' | 'onclose' | 'state'>;

/** Applies one pushed ticker state to whatever resources currently hold that ticker. */
export function applyTickerPush(push: TickerPush): void {
  const detail = getResource<TickerDetail>(keys.ticker(push.symbol));
  const current = detail?.getSnapshot().data;
  if (detail && current) detail.push({ ...current, ticker: push.ticker });

  const list = getResource<TickerSummary[]>(keys.tickers());
  const rows = list?.getSnapshot().data;
  if (list && rows) {
    const i = rows.findIndex((r) => r.symbol === push.symbol);
    if (i >= 0) {
      const row: TickerSummary = {
        ...rows[i],
        lastPrice: push.ticker.lastPrice,
        changePercent: push.ticker.changePercent,
        lastTime: push.ticker.lastTime,
        ticksApplied: push.ticker.ticksApplied,
        ...(push.ensemble ? { ensembleDirection: push.ensemble.direction, ensembleProbabilityUp: push.ensemble.probabilityUp } : {}),
      };
      list.push(rows.map((r, j) => (j === i ? row : r)));
    } else {
      // A ticker the list has not seen yet: let the next poll bring its full row.
      void list.refresh();
    }
  }
}

export interface Realtime {
  /** Declare interest in a symbol (or ALL); returns the matching release. */
  watch(symbol: string): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): RealtimeStatus;
  onStatus(listener: () => void): () => void;
  onAlert(listener: (a: AlertPush) => void): () => void;
}

export function createRealtime(connect: () => HubLike, retryMs = 15000): Realtime {
  const counts = new Map<string, number>();
  const statusListeners = new Set<() => void>();
  const alertListeners = new Set<(a: AlertPush) => void>();
  let status: RealtimeStatus = 'connecting';
  let hub: HubLike | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const setStatus = (next: RealtimeStatus) => {
    if (next === status) return;
    status = next;
    const ms = (base: number) => (next === 'live' ? PUSHED_POLL_MS : base);
    getResource(keys.tickers())?.setIntervalMs(ms(POLL.tickers));
    for (const s of counts.keys()) if (s !== ALL) getResource(keys.ticker(s))?.setIntervalMs(ms(POLL.ticker));
    statusListeners.forEach((l) => l());
  };

  const connected = () => hub?.state === HubConnectionState.Connected;
  const send = (method: 'Subscribe' | 'Unsubscribe', symbols: string[]) => {
    if (!connected() || symbols.length === 0) return;
    hub!.invoke(method, symbols).catch(() => {
      /* a symbol the server rejects stays on polling */
    });
  };

  const begin = async () => {
    clearTimeout(retry);
    if (stopped) return;
    const h = connect();
    hub = h;
    // Handlers must return nothing: a returned value is taken as a client result the server did not ask for.
    h.on('tickerUpdated', (p: TickerPush) => {
      applyTickerPush(p);
    });
    h.on('alertFired', (a: AlertPush) => {
      alertListeners.forEach((l) => l(a));
    });
    h.onreconnecting(() => setStatus('polling'));
    h.onreconnected(() => {
      send('Subscribe', [...counts.keys()]);
      setStatus('live');
    });
    h.onclose(() => {
      setStatus('polling');
      if (!stopped) retry = setTimeout(() => void begin(), retryMs);
    });
    try {
      await h.start();
      send('Subscribe', [...counts.keys()]);
      setStatus('live');
    } catch {
      setStatus('polling');
      if (!stopped) retry = setTimeout(() => void begin(), retryMs);
    }
  };

  return {
    watch(symbol) {
      const s = symbol === ALL ? ALL : symbol.toUpperCase();
      const n = counts.get(s) ?? 0;
      counts.set(s, n + 1);
      if (n === 0) {
        send('Subscribe', [s]);
        if (status === 'live' && s !== ALL) getResource(keys.ticker(s))?.setIntervalMs(PUSHED_POLL_MS);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(s) ?? 1) - 1;
        if (left > 0) counts.set(s, left);
        else {
          counts.delete(s);
          send('Unsubscribe', [s]);
        }
      };
    },
    start: begin,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await hub?.stop();
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onAlert(listener) {
      alertListeners.add(listener);
      return () => alertListeners.delete(listener);
    },
  };
}

const signalRConnection = (): HubLike =>
  new HubConnectionBuilder().withUrl(HUB_PATH).withAutomaticReconnect().configureLogging(LogLevel.Warning).build();

let shared: Realtime | undefined;

/** Replaces the app's transport (page tests install an inert one; undefined restores the SignalR one). */
export function setRealtime(r: Realtime | undefined): void {
  shared = r;
}

/** A transport that never connects: pages keep polling. */
export const inertRealtime: Realtime = {
  watch: () => () => {},
  start: async () => {},
  stop: async () => {},
  status: () => 'polling',
  onStatus: () => () => {},
  onAlert: () => () => {},
};

/** The app's one transport, started on first use. */
export function realtime(): Realtime {
  if (!shared) {
    shared = createRealtime(signalRConnection);
    void shared.start();
  }
  return shared;
}

/** Keeps the given symbols (or ALL) subscribed while the calling component is mounted. */
export function useRealtimeSymbols(...symbols: string[]): void {
  const key = symbols.join(',');
  useEffect(() => {
    const releases = key.split(',').filter(Boolean).map((s) => realtime().watch(s));
    return () => releases.forEach((r) => r());
  }, [key]);
}

export function useRealtimeStatus(): RealtimeStatus {
  const rt = realtime();
  return useSyncExternalStore(rt.onStatus, rt.status, rt.status);
}
