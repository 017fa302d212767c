import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HubConnectionState } from '@microsoft/signalr';
import { createPolledResource, keys, POLL, resource } from './live';
import { ALL, applyTickerPush, createRealtime, PUSHED_POLL_MS, type HubLike, type TickerPush } from './realtime';
import type { Indicators, TickerDetail, TickerState, TickerSummary } from './types';

/** A scripted hub connection: records invocations, lets the test deliver server messages and connection events. */
class ScriptedHub {
  state: HubConnectionState = HubConnectionState.Disconnected;
  invoked: [string, string[]][] = [];
  handlers = new Map<string, (arg: unknown) => void>();
  reconnected: (() => void) | undefined;
  reconnecting: (() => void) | undefined;
  closed: (() => void) | undefined;
  failStart = false;

  asHub(): HubLike {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return {
      on: ((name: string, h: (arg: unknown) => void) => this.handlers.set(name, h)) as HubLike['on'],
      invoke: (async (method: string, symbols: string[]) => {
        this.invoked.push([method, symbols]);
        return symbols;
      }) as HubLike['invoke'],
      start: async () => {
        if (this.failStart) throw new Error('negotiation failed');
        this.state = HubConnectionState.Connected;
      },
      stop: async () => {
        this.state = HubConnectionState.Disconnected;
      },
      onreconnecting: (cb) => void (this.reconnecting = () => cb()),
      onreconnected: (cb) => void (this.reconnected = () => cb()),
      onclose: (cb) => void (this.closed = () => cb()),
      get state() {
        return self.state;
      },
    } as HubLike;
  }

  emit(name: string, arg: unknown) {
    this.handlers.get(name)!(arg);
  }
}

/** A ticker that has seen ticks but no closed day yet: every indicator still warming up. */
const warmingUp: Indicators = {
  sma20: null, ema12: null, ema26: null, rsi14: null, return1d: null, return5d: null, volatility20d: null, dailyBars: 0,
  macdLine: null, macdSignal: null, macdHistogram: null, bollingerUpper: null, bollingerMiddle: null, bollingerLower: null,
  bollingerPercentB: null, atr14: null, obv: null, stochasticK: null, stochasticD: null, zScore20: null, wma20: null,
  sessionVwap: null, sessionVwapDay: null,
};

const ticker = (symbol: string, lastPrice: number, ticksApplied: number): TickerState => ({
  symbol,
  lastPrice,
  lastTime: '2024-05-01T14:30:01Z',
  previousClose: 100,
  change: lastPrice - 100,
  changePercent: lastPrice - 100,
  ticksApplied,
  barsApplied: 0,
  indicators: warmingUp,
  livePriceSignal: null,
  lastClosedDay: null,
  lastIngestedAtUtc: '2024-05-01T14:30:01Z',
  calendar: 'us-equities',
  marketSession: 'open',
  nextCloseUtc: '2024-05-01T20:00:00Z',
});

const push = (symbol: string, lastPrice: number, ticksApplied: number): TickerPush => ({
  symbol,
  ticker: ticker(symbol, lastPrice, ticksApplied),
  ensemble: null,
  pushedAtUtc: '2024-05-01T14:30:01Z',
});

describe('applyTickerPush', () => {
  it('writes the pushed state into the ticker detail and the overview row without a request', async () => {
    const detail = resource<TickerDetail>(keys.ticker('AAPL'), () => createPolledResource(async () => ({ symbol: 'AAPL', ticker: ticker('AAPL', 100, 1) }) as unknown as TickerDetail, 0));
    const list = resource<TickerSummary[]>(keys.tickers(), () =>
      createPolledResource(async () => [
        { symbol: 'AAPL', lastPrice: 100, changePercent: 0, lastTime: null, sentimentScore: 0.2, ensembleDirection: 'up', ensembleProbabilityUp: 0.6, ticksApplied: 1, expectedMove80: null, forecastVolatility: null, volumeRatio: null },
        { symbol: 'MSFT', lastPrice: 50, changePercent: 0, lastTime: null, sentimentScore: null, ensembleDirection: null, ensembleProbabilityUp: null, ticksApplied: 3, expectedMove80: null, forecastVolatility: null, volumeRatio: null },
      ], 0),
    );
    await detail.refresh();
    await list.refresh();

    applyTickerPush(push('AAPL', 101.5, 7));

    expect(detail.getSnapshot().data?.ticker?.lastPrice).toBe(101.5);
    expect(detail.getSnapshot().data?.ticker?.ticksApplied).toBe(7);
    const rows = list.getSnapshot().data!;
    expect(rows[0]).toMatchObject({ symbol: 'AAPL', lastPrice: 101.5, ticksApplied: 7, sentimentScore: 0.2, ensembleDirection: 'up' });
    expect(rows[1]).toMatchObject({ symbol: 'MSFT', lastPrice: 50, ticksApplied: 3 });
  });
});

describe('createRealtime', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('subscribes each watched symbol once, unsubscribes after the last watcher leaves, and resubscribes after a reconnect', async () => {
    const hub = new ScriptedHub();
    const rt = createRealtime(() => hub.asHub());
    const a1 = rt.watch('aapl');
    await rt.start();
    expect(rt.status()).toBe('live');
    expect(hub.invoked).toEqual([['Subscribe', ['AAPL']]]);

    const a2 = rt.watch('AAPL');
    const all = rt.watch(ALL);
    expect(hub.invoked.slice(1)).toEqual([['Subscribe', ['*']]]);
    a1();
    a1(); // releasing twice must not drop the other watcher
    expect(hub.invoked).toHaveLength(2);
    a2();
    expect(hub.invoked[2]).toEqual(['Unsubscribe', ['AAPL']]);

    hub.reconnecting!();
    expect(rt.status()).toBe('polling');
    hub.reconnected!();
    expect(rt.status()).toBe('live');
    expect(hub.invoked[3]).toEqual(['Subscribe', ['*']]);
    all();
  });

  it('slows polling of pushed resources while live and restores it when the connection drops', async () => {
    const load = vi.fn(async () => [] as TickerSummary[]);
    const list = resource(keys.tickers(), () => createPolledResource(load, POLL.tickers));
    const off = list.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    const hub = new ScriptedHub();
    const rt = createRealtime(() => hub.asHub());
    await rt.start();

    load.mockClear();
    await vi.advanceTimersByTimeAsync(PUSHED_POLL_MS - 1000);
    expect(load).not.toHaveBeenCalled();

    hub.closed!();
    expect(rt.status()).toBe('polling');
    await vi.advanceTimersByTimeAsync(POLL.tickers + 10);
    expect(load).toHaveBeenCalled();
    off();
    await rt.stop();
  });

  it('falls back to polling when the hub cannot be reached and retries later', async () => {
    const hubs: ScriptedHub[] = [];
    const rt = createRealtime(() => {
      const h = new ScriptedHub();
      h.failStart = hubs.length === 0;
      hubs.push(h);
      return h.asHub();
    }, 5000);
    rt.watch('MSFT');
    await rt.start();
    expect(rt.status()).toBe('polling');
    await vi.advanceTimersByTimeAsync(5000);
    expect(hubs).toHaveLength(2);
    expect(rt.status()).toBe('live');
    expect(hubs[1].invoked).toEqual([['Subscribe', ['MSFT']]]);
    await rt.stop();
  });

  it('hands pushed alerts to listeners and pushed tickers to the resources', async () => {
    const hub = new ScriptedHub();
    const rt = createRealtime(() => hub.asHub());
    await rt.start();
    const alerts: string[] = [];
    rt.onAlert((a) => alerts.push(a.message));
    hub.emit('alertFired', { message: 'AAPL price 101 is above 100' });
    expect(alerts).toEqual(['AAPL price 101 is above 100']);

    const detail = resource<TickerDetail>(keys.ticker('AAPL'), () => createPolledResource(async () => ({ symbol: 'AAPL', ticker: ticker('AAPL', 100, 1) }) as unknown as TickerDetail, 0));
    await detail.refresh();
    hub.emit('tickerUpdated', push('AAPL', 99, 2));
    expect(detail.getSnapshot().data?.ticker?.lastPrice).toBe(99);
    await rt.stop();
  });
});
