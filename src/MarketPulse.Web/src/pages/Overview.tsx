import { useMemo, useState } from 'react';
import { getResource, keys, useTickers } from '../api/live';
import { ALL, useRealtimeSymbols } from '../api/realtime';
import type { TickerSummary } from '../api/types';
import { DirectionBadge, SentimentMeter } from '../components/Badges';
import { ErrorState, Loading, StaleNotice, WarmingUp } from '../components/States';
import { fmtClock, fmtInt, fmtPct, fmtPrice, fmtProb, fmtTime, isNum, trend } from '../format';
import { Link, navigate, tickerPath } from '../router';

type SortKey = 'symbol' | 'lastPrice' | 'changePercent' | 'sentimentScore' | 'ensembleProbabilityUp' | 'expectedMove80' | 'ticksApplied';

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'symbol', label: 'Symbol', numeric: false },
  { key: 'lastPrice', label: 'Last', numeric: true },
  { key: 'changePercent', label: 'Chg %', numeric: true },
  { key: 'sentimentScore', label: 'Sentiment', numeric: true },
  { key: 'ensembleProbabilityUp', label: 'Ensemble', numeric: true },
  { key: 'expectedMove80', label: 'Exp. move', numeric: true },
  { key: 'ticksApplied', label: 'Ticks', numeric: true },
];

export function sortTickers(rows: TickerSummary[], key: SortKey, desc: boolean): TickerSummary[] {
  const dir = desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (key === 'symbol') return a.symbol.localeCompare(b.symbol) * dir;
    const va = a[key];
    const vb = b[key];
    // Missing values always sort last, whatever the direction.
    if (!isNum(va) && !isNum(vb)) return a.symbol.localeCompare(b.symbol);
    if (!isNum(va)) return 1;
    if (!isNum(vb)) return -1;
    return (va - vb) * dir || a.symbol.localeCompare(b.symbol);
  });
}

export function Overview() {
  const { data, error, loading, updatedAt } = useTickers();
  useRealtimeSymbols(ALL);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'symbol', desc: false });

  const rows = useMemo(() => {
    const f = filter.trim().toUpperCase();
    const list = (data ?? []).filter((t) => !f || t.symbol.toUpperCase().includes(f));
    return sortTickers(list, sort.key, sort.desc);
  }, [data, filter, sort]);

  const stats = useMemo(() => summarize(data ?? []), [data]);
  const retry = () => void getResource(keys.tickers())?.refresh();

  let body;
  if (loading && !data) body = <Loading label="Loading tickers…" rows={6} />;
  else if (error && !data) body = <ErrorState error={error} onRetry={retry} />;
  else if (!data || data.length === 0) body = <WarmingUp what="tickers" />;
  else
    body = (
      <>
        <StaleNotice error={error} />
        <div className="table-wrap">
          <table className="grid-table overview-table">
            <caption className="sr-only">Tickers with last price, change, sentiment and ensemble prediction</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const active = sort.key === c.key;
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.numeric ? 'n' : undefined}
                      aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                    >
                      <button
                        type="button"
                        className="sort"
                        onClick={() => setSort({ key: c.key, desc: active ? !sort.desc : c.numeric })}
                      >
                        {c.label}
                        <span aria-hidden="true" className="sort-ind">{active ? (sort.desc ? '▾' : '▴') : ''}</span>
                      </button>
                    </th>
                  );
                })}
                <th scope="col" className="n hide-sm">Last update</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <TickerRow key={t.symbol} t={t} />
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={COLUMNS.length + 1} className="muted center">
                    No symbol matches “{filter}”.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </>
    );

  return (
    <section aria-labelledby="overview-h">
      <div className="page-head">
        <div>
          <h1 id="overview-h">Market overview</h1>
          <p className="sub">
            Last price, sentiment and the ensemble’s next-day call for every tracked symbol.
            <span className="live-tag" title="Refreshes every 2 seconds">
              <span className="pulse-dot" aria-hidden="true" /> Live · updated {fmtClock(updatedAt)}
            </span>
          </p>
        </div>
        <label className="filter">
          <span className="sr-only">Filter symbols</span>
          <input
            type="search"
            placeholder="Filter symbols"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
      </div>
      {data && data.length > 0 && (
        <ul className="kpis" aria-label="Market summary">
          <li><span className="kpi-label">Symbols</span><span className="kpi-value num">{stats.count}</span></li>
          <li><span className="kpi-label">Advancing / declining</span><span className="kpi-value num"><span className="t-up">{stats.up}</span> / <span className="t-down">{stats.down}</span></span></li>
          <li><span className="kpi-label">Ensemble up / down</span><span className="kpi-value num"><span className="t-up">{stats.callsUp}</span> / <span className="t-down">{stats.callsDown}</span></span></li>
          <li><span className="kpi-label">Mean sentiment</span><span className="kpi-value"><SentimentMeter score={stats.meanSentiment} /></span></li>
          <li><span className="kpi-label">Ticks applied</span><span className="kpi-value num">{fmtInt(stats.ticks)}</span></li>
        </ul>
      )}
      {body}
    </section>
  );
}

function TickerRow({ t }: { t: TickerSummary }) {
  const tr = trend(t.changePercent);
  const warming = !isNum(t.lastPrice);
  const go = () => navigate(tickerPath(t.symbol));
  return (
    <tr className="row-link" onClick={go} data-symbol={t.symbol}>
      <th scope="row">
        <Link to={tickerPath(t.symbol)} className="sym">
          {t.symbol}
        </Link>
        {warming && <span className="chip chip-warn">warming up</span>}
      </th>
      <td className="n num price" data-testid="last-price">{fmtPrice(t.lastPrice)}</td>
      <td className={`n num t-${tr}`}>
        {tr === 'up' ? '▲ ' : tr === 'down' ? '▼ ' : ''}
        {fmtPct(t.changePercent)}
      </td>
      <td className="n"><SentimentMeter score={t.sentimentScore} /></td>
      <td className="n"><DirectionBadge direction={t.ensembleDirection} probabilityUp={t.ensembleProbabilityUp} /></td>
      <td className="n num" data-testid="expected-move" title="80 % band of the next session's move">
        {isNum(t.expectedMove80) ? `±${fmtProb(t.expectedMove80, 1)}` : '—'}
      </td>
      <td className="n num">{fmtInt(t.ticksApplied)}</td>
      <td className="n num muted hide-sm">{fmtTime(t.lastTime)}</td>
    </tr>
  );
}

function summarize(rows: TickerSummary[]) {
  const scores = rows.map((r) => r.sentimentScore).filter(isNum);
  return {
    count: rows.length,
    up: rows.filter((r) => isNum(r.changePercent) && r.changePercent > 0).length,
    down: rows.filter((r) => isNum(r.changePercent) && r.changePercent < 0).length,
    callsUp: rows.filter((r) => r.ensembleDirection === 'up').length,
    callsDown: rows.filter((r) => r.ensembleDirection === 'down').length,
    meanSentiment: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
    ticks: rows.reduce((a, r) => a + (isNum(r.ticksApplied) ? r.ticksApplied : 0), 0),
  };
}
