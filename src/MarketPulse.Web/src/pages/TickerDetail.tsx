import { useMemo, useState, type ReactNode } from 'react';
import { getResource, keys, useDailyBars, useForecastHistory, useIndicatorSeries, usePosts, usePredictions, useTickerDetail } from '../api/live';
import { useRealtimeSymbols } from '../api/realtime';
import type { ApiError } from '../api/client';
import type { Bar, EnsembleSnapshot, ForecastRecord, ForecastSnapshot, IndicatorPoint, IntradaySnapshot, Indicators, Post, PredictionRecord, SentimentSnapshot, SignalStats, TickerState } from '../api/types';
import { DirectionBadge, ProbabilityBar, SentimentMeter } from '../components/Badges';
import { MarketChart } from '../components/MarketChart';
import { Empty, ErrorState, Loading, StaleNotice, WarmingUp } from '../components/States';
import {
  brierClass, fmtCompact, fmtDay, fmtFracPct, fmtInt, fmtNum, fmtPct, fmtPrice, fmtProb, fmtSigned, fmtTime, hitClass, isNum, polarity, signalLabel, trend,
} from '../format';
import { Link } from '../router';

const refresh = (key: string) => () => void getResource(key)?.refresh();

export function TickerDetailPage({ symbol }: { symbol: string }) {
  const detail = useTickerDetail(symbol);
  const bars = useDailyBars(symbol);
  useRealtimeSymbols(symbol);

  if (detail.loading && !detail.data) {
    return (
      <section aria-label={`${symbol} detail`}>
        <BackLink />
        <h1 className="sym-title">{symbol}</h1>
        <Loading label={`Loading ${symbol}…`} rows={5} />
      </section>
    );
  }
  if (detail.error && !detail.data) {
    return (
      <section aria-label={`${symbol} detail`}>
        <BackLink />
        <h1 className="sym-title">{symbol}</h1>
        <ErrorState error={detail.error} onRetry={detail.error.isNotFound ? undefined : refresh(keys.ticker(symbol))}>
          {detail.error.isNotFound && (
            <p className="state-detail">
              <Link to="/">Back to the overview</Link>
            </p>
          )}
        </ErrorState>
      </section>
    );
  }

  const d = detail.data!;
  const t = d.ticker;
  const noBars = !bars.loading && (bars.data?.length ?? 0) === 0 && !bars.error;
  const warming = !isNum(t?.lastPrice) && noBars;

  return (
    <section aria-labelledby="detail-h" className="detail">
      <BackLink />
      <TickerHeader symbol={d.symbol || symbol} t={t} />
      <StaleNotice error={detail.error} />
      {warming && <WarmingUp what="prices" />}
      <div className="detail-grid">
        <div className="stack">
          <Card title="Daily price" id="chart">
            <ChartPanel symbol={symbol} bars={bars.data} loading={bars.loading} error={bars.error} />
          </Card>
          <Card title="Signals: latest call and live accuracy" id="signals">
            <SignalsTable ensemble={d.ensemble} />
          </Card>
          <Card title="Prediction history" id="history">
            <HistoryPanel symbol={symbol} />
          </Card>
        </div>
        <div className="stack">
          <Card title="Next session: expected move and volume" id="forecast">
            <ForecastPanel f={d.forecasts ?? null} />
          </Card>
          <Card title="Next-day call" id="call">
            <EnsembleCall ensemble={d.ensemble} live={t?.livePriceSignal ?? null} />
          </Card>
          <Card title="Indicators" id="indicators">
            <IndicatorsPanel ind={t?.indicators ?? null} last={t?.lastPrice ?? null} />
          </Card>
          <Card title="Sentiment" id="sentiment">
            <SentimentPanel s={d.sentiment} />
          </Card>
          <Card title="Recent posts" id="posts">
            <PostsPanel symbol={symbol} />
          </Card>
        </div>
      </div>
    </section>
  );
}

/** The next session's volatility forecast as price ranges (80 % and 95 %), its volume forecast, and how the forecasts have scored. */
export function ForecastPanel({ f }: { f: ForecastSnapshot | null }) {
  const next = f?.next ?? f?.lastScored?.forecast ?? null;
  if (!f || !next) return <p className="muted">No forecast yet: it needs 23 trading days of history.</p>;
  const price = (r: number) => next.basisClose * Math.exp(r);
  const card = f.scorecard;
  const last = f.lastScored;
  return (
    <div className="forecast" data-testid="forecast">
      <p>
        <strong data-testid="forecast-move">±{fmtProb(next.expectedMove80, 1)}</strong> expected move (80 %) on {fmtDay(next.targetDay)}
        {f.next ? '' : ' (closed)'}; volatility {fmtProb(next.volatility, 2)}.
      </p>
      <dl className="kv">
        <dt>80 % range</dt>
        <dd className="num">{fmtPrice(price(next.band80Low))} – {fmtPrice(price(next.band80High))}</dd>
        <dt>95 % range</dt>
        <dd className="num">{fmtPrice(price(next.band95Low))} – {fmtPrice(price(next.band95High))}</dd>
        <dt>Volume forecast</dt>
        <dd className="num">
          {fmtCompact(next.volume)} ({fmtNum(next.volumeRatio, 2)}× the 22-day mean)
        </dd>
        {last?.outcome && (
          <>
            <dt>Last scored ({fmtDay(last.forecast.targetDay)})</dt>
            <dd className="num">
              move {fmtFracPct(last.outcome.realizedReturn)} {last.outcome.inBand80 ? 'inside' : 'outside'} the 80 % band
            </dd>
          </>
        )}
        <dt>Live score</dt>
        <dd className="num" data-testid="forecast-score">
          {card.scored} days; QLIKE {fmtNum(card.meanQlike, 3)} vs HAR {fmtNum(card.meanQlikeHar, 3)}; bands hit {fmtProb(card.band80Coverage, 0)} / {fmtProb(card.band95Coverage, 0)}
        </dd>
      </dl>
      {f.intraday && (f.intraday.next || f.intraday.lastScored || f.intraday.scored > 0) && <IntradayForecastView i={f.intraday} />}
      <p className="muted small">Model {next.modelVersion}: see the Models page for its out-of-sample evidence.</p>
    </div>
  );
}

/** The next 30 minutes of the regular session: forecast volatility of the slot's return and the live score against both baselines. */
export function IntradayForecastView({ i }: { i: IntradaySnapshot }) {
  const next = i.next;
  const last = i.lastScored;
  return (
    <dl className="kv" data-testid="intraday">
      <dt>Next 30 minutes</dt>
      <dd className="num">
        {next ? (
          <>
            ±{fmtProb(next.volatility, 2)} (σ, {fmtTime(next.slotStartUtc)}–{fmtTime(next.slotEndUtc)}, {next.method})
          </>
        ) : (
          <span className="muted">outside the regular session</span>
        )}
      </dd>
      {last && (
        <>
          <dt>Last slot</dt>
          <dd className="num">
            realised ±{fmtProb(Math.sqrt(last.outcome.realizedVariance), 2)} vs forecast ±{fmtProb(last.forecast.volatility, 2)}
          </dd>
        </>
      )}
      <dt>Intraday score</dt>
      <dd className="num" data-testid="intraday-score">
        {i.scored} slots; QLIKE {fmtNum(i.meanQlike, 3)} vs seasonal HAR {fmtNum(i.meanQlikeSeasonalHar, 3)}, previous slot{' '}
        {fmtNum(i.meanQlikePreviousSlot, 3)}
      </dd>
    </dl>
  );
}

function BackLink() {
  return (
    <nav aria-label="Breadcrumb" className="crumbs">
      <Link to="/">← Overview</Link>
    </nav>
  );
}

function Card({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={`card-${id}`}>
      <h2 id={`card-${id}`} className="card-title">{title}</h2>
      {children}
    </section>
  );
}

function TickerHeader({ symbol, t }: { symbol: string; t: TickerState | null }) {
  const tr = trend(t?.change);
  return (
    <header className="ticker-head">
      <div className="ticker-id">
        <h1 id="detail-h" className="sym-title">{symbol}</h1>
        <div className="ticker-price">
          <span className="big num" data-testid="detail-price">{fmtPrice(t?.lastPrice)}</span>
          <span className={`num t-${tr}`}>
            {fmtSigned(t?.change)} ({fmtPct(t?.changePercent)})
          </span>
        </div>
      </div>
      <dl className="meta">
        <div><dt>Last tick</dt><dd className="num">{fmtTime(t?.lastTime)}</dd></div>
        <div><dt>Prev. close</dt><dd className="num">{fmtPrice(t?.previousClose)}</dd></div>
        <div><dt>Last closed day</dt><dd className="num">{fmtDay(t?.lastClosedDay)}</dd></div>
        <div><dt>Ticks / bars applied</dt><dd className="num">{fmtInt(t?.ticksApplied)} / {fmtInt(t?.barsApplied)}</dd></div>
        <div><dt>Last ingested</dt><dd className="num">{fmtTime(t?.lastIngestedAtUtc, true)}</dd></div>
      </dl>
    </header>
  );
}

const RANGES = [
  { label: '1M', days: 21 },
  { label: '3M', days: 63 },
  { label: '6M', days: 126 },
  { label: '1Y', days: 252 },
  { label: 'All', days: 0 },
] as const;

const EMPTY_FORECASTS: ForecastRecord[] = [];
const EMPTY_INDICATORS: IndicatorPoint[] = [];

function ChartPanel({ symbol, bars, loading, error }: { symbol: string; bars: Bar[] | undefined; loading: boolean; error: ApiError | undefined }) {
  const [range, setRange] = useState<(typeof RANGES)[number]['label']>('6M');
  const sorted = useMemo(() => [...(bars ?? [])].sort((a, b) => a.tradingDay.localeCompare(b.tradingDay)), [bars]);
  const days = RANGES.find((r) => r.label === range)!.days;
  // The bands and the indicator panes are extras: while they load or if they fail, the candles still show.
  const forecasts = useForecastHistory(symbol);
  const indicators = useIndicatorSeries(symbol);

  if (loading && !bars) return <Loading label="Loading daily bars…" rows={4} />;
  if (error && !bars) return <ErrorState error={error} onRetry={refresh(keys.bars(symbol))} />;
  if (sorted.length === 0) return <WarmingUp what="daily bars" compact />;
  return (
    <>
      <div className="toolbar" role="group" aria-label="Chart range">
        {RANGES.map((r) => (
          <button key={r.label} type="button" className={`seg${r.label === range ? ' on' : ''}`} aria-pressed={r.label === range} onClick={() => setRange(r.label)}>
            {r.label}
          </button>
        ))}
        <span className="legend">
          <span className="key key-band" aria-hidden="true" /> 80 % band <span className="key key-band95" aria-hidden="true" /> 95 % band
          {' '}Realised close: <span className="key key-dot key-in" aria-hidden="true" /> inside 80 %
          <span className="key key-dot key-mid" aria-hidden="true" /> inside 95 % <span className="key key-dot key-out" aria-hidden="true" /> outside
        </span>
      </div>
      <MarketChart bars={sorted} forecasts={forecasts.data ?? EMPTY_FORECASTS} indicators={indicators.data ?? EMPTY_INDICATORS} visible={days} symbol={symbol} />
      {(forecasts.error || indicators.error) && (
        <p className="muted small" role="status">
          {forecasts.error && `Forecast bands unavailable (${forecasts.error.message}). `}
          {indicators.error && `Indicator panes unavailable (${indicators.error.message}).`}
        </p>
      )}
    </>
  );
}

function EnsembleCall({ ensemble, live }: { ensemble: EnsembleSnapshot | null; live: TickerState['livePriceSignal'] }) {
  const latest = ensemble?.latest ?? null;
  if (!latest && !live) return <WarmingUp what="prediction" compact />;
  const p = latest?.prediction;
  const explanation = [...(latest?.explanation ?? [])].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0));
  return (
    <div className="call" data-testid="prediction">
      {p ? (
        <>
          <div className="call-main">
            <DirectionBadge direction={p.direction} probabilityUp={p.probabilityUp} size="lg" />
            <ProbabilityBar direction={p.direction} probabilityUp={p.probabilityUp} />
          </div>
          <dl className="kv">
            <div><dt>Signal</dt><dd>{signalLabel(p.signal)} <span className="muted">{p.modelVersion}</span></dd></div>
            <div><dt>Horizon</dt><dd>{p.horizon}</dd></div>
            <div><dt>Basis day → target</dt><dd className="num">{fmtDay(p.basisDay)} → {fmtDay(latest?.targetDay)}</dd></div>
            <div><dt>Outcome</dt><dd><Outcome rec={latest!} /></dd></div>
            <div><dt>Closes seen</dt><dd className="num">{fmtInt(ensemble?.closesSeen)}</dd></div>
          </dl>
        </>
      ) : (
        <p className="muted">The ensemble has not issued a call yet.</p>
      )}
      {explanation.length > 0 && (
        <table className="grid-table compact explain">
          <caption>Why: weighted signals</caption>
          <thead>
            <tr><th scope="col">Signal</th><th scope="col" className="n">Weight</th><th scope="col" className="n">P(up)</th><th scope="col" className="n">Contrib.</th></tr>
          </thead>
          <tbody>
            {explanation.map((e) => (
              <tr key={e.signal}>
                <th scope="row">{signalLabel(e.signal)}</th>
                <td className="n">
                  <span className="wbar" aria-hidden="true"><span style={{ width: `${Math.max(0, Math.min(1, e.weight ?? 0)) * 100}%` }} /></span>
                  <span className="num">{fmtProb(e.weight)}</span>
                </td>
                <td className={`n num t-${trend(isNum(e.probabilityUp) ? e.probabilityUp - 0.5 : null)}`}>{fmtProb(e.probabilityUp)}</td>
                <td className="n num">{fmtNum(e.contribution, 3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {live && (
        <p className="live-signal">
          <span className="muted">Intraday price model ({fmtTime(live.madeAt)}):</span>{' '}
          <DirectionBadge direction={live.direction} probabilityUp={live.probabilityUp} />
        </p>
      )}
    </div>
  );
}

function Outcome({ rec }: { rec: PredictionRecord }) {
  if (rec.hit === null || rec.hit === undefined) return <span className="chip chip-pending">pending</span>;
  return (
    <span className={`chip ${rec.hit ? 'chip-hit' : 'chip-miss'}`}>
      {rec.hit ? '✓ hit' : '✗ miss'}
      {rec.outcome ? ` · ${rec.outcome}` : ''} {isNum(rec.realizedReturn) ? fmtFracPct(rec.realizedReturn) : ''}
    </span>
  );
}

function SignalsTable({ ensemble }: { ensemble: EnsembleSnapshot | null }) {
  const rows = useMemo(() => mergeSignals(ensemble?.signals ?? [], latestCalls(ensemble)), [ensemble]);
  if (rows.length === 0) return <WarmingUp what="signals" compact />;
  return (
    <div className="table-wrap">
      <table className="grid-table">
        <thead>
          <tr>
            <th scope="col">Signal</th>
            <th scope="col">Latest call</th>
            <th scope="col" className="n">Target day</th>
            <th scope="col" className="n">Weight</th>
            <th scope="col" className="n">Hit rate</th>
            <th scope="col" className="n">Scored</th>
            <th scope="col" className="n" title="Brier score: mean squared error of P(up); lower is better, 0.25 is a coin flip">Brier</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ name, stats, latest }) => (
            <tr key={name} data-signal={name}>
              <th scope="row">
                {signalLabel(name)} <span className="chip">{stats?.kind ?? latest?.prediction.kind ?? ''}</span>
              </th>
              <td><DirectionBadge direction={latest?.prediction.direction} probabilityUp={latest?.prediction.probabilityUp} /></td>
              <td className="n num">{fmtDay(latest?.targetDay)}</td>
              <td className="n num">{fmtProb(stats?.weight)}</td>
              <td className={`n num ${hitClass(stats?.hitRate)}`}>{fmtProb(stats?.hitRate)}</td>
              <td className="n num">{fmtInt(stats?.hits)} / {fmtInt(stats?.scored)}</td>
              <td className={`n num ${brierClass(stats?.brier)}`}>{fmtNum(stats?.brier, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The latest call of every signal: the API lists the ensemble's own call in `latest`, the others in `latestBySignal`. */
export function latestCalls(ensemble: EnsembleSnapshot | null): PredictionRecord[] {
  const bySignal = ensemble?.latestBySignal ?? [];
  const own = ensemble?.latest;
  return own && !bySignal.some((l) => l.prediction.signal === own.prediction.signal) ? [own, ...bySignal] : bySignal;
}

const SIGNAL_ORDER = ['ensemble', 'price', 'sentiment', 'persistence'];
export function mergeSignals(stats: SignalStats[], latest: PredictionRecord[]) {
  const names = new Set<string>([...stats.map((s) => s.signal), ...latest.map((l) => l.prediction.signal)]);
  const rank = (n: string) => (SIGNAL_ORDER.includes(n) ? SIGNAL_ORDER.indexOf(n) : SIGNAL_ORDER.length);
  return [...names]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => ({ name, stats: stats.find((s) => s.signal === name), latest: latest.find((l) => l.prediction.signal === name) }));
}

function IndicatorsPanel({ ind, last }: { ind: Indicators | null; last: number | null }) {
  if (!ind || (!isNum(ind.sma20) && !isNum(ind.rsi14) && !isNum(ind.return1d))) return <WarmingUp what="indicators" compact />;
  const rsiNote = !isNum(ind.rsi14) ? '' : ind.rsi14 >= 70 ? 'overbought' : ind.rsi14 <= 30 ? 'oversold' : 'neutral';
  const vsSma = isNum(last) && isNum(ind.sma20) && ind.sma20 !== 0 ? (last / ind.sma20 - 1) * 100 : null;
  return (
    <dl className="ind">
      <div><dt>SMA 20</dt><dd className="num">{fmtPrice(ind.sma20)} <small className={`t-${trend(vsSma)}`}>{isNum(vsSma) ? `${fmtPct(vsSma, 1)} vs last` : ''}</small></dd></div>
      <div><dt>EMA 12</dt><dd className="num">{fmtPrice(ind.ema12)}</dd></div>
      <div><dt>EMA 26</dt><dd className="num">{fmtPrice(ind.ema26)}</dd></div>
      <div><dt>MACD (12/26/9)</dt><dd className={`num t-${trend(ind.macdLine)}`}>{fmtSigned(ind.macdLine)} <small className="muted">signal {fmtSigned(ind.macdSignal)}</small></dd></div>
      <div><dt>MACD histogram</dt><dd className={`num t-${trend(ind.macdHistogram)}`}>{fmtSigned(ind.macdHistogram, 3)}</dd></div>
      <div><dt>RSI 14</dt><dd className="num">{fmtNum(ind.rsi14, 1)} <small className="muted">{rsiNote}</small></dd></div>
      <div><dt>Bollinger 20/2</dt><dd className="num">{fmtPrice(ind.bollingerLower)} – {fmtPrice(ind.bollingerUpper)} <small className="muted">%B {fmtNum(ind.bollingerPercentB, 2)}</small></dd></div>
      <div><dt>Z-score 20</dt><dd className={`num t-${trend(ind.zScore20)}`}>{fmtSigned(ind.zScore20, 2)}</dd></div>
      <div><dt>WMA 20</dt><dd className="num">{fmtPrice(ind.wma20)}</dd></div>
      <div><dt>ATR 14</dt><dd className="num">{fmtPrice(ind.atr14)}</dd></div>
      <div><dt>Stochastic 14/3</dt><dd className="num">%K {fmtNum(ind.stochasticK, 1)} <small className="muted">%D {fmtNum(ind.stochasticD, 1)}</small></dd></div>
      <div><dt>OBV</dt><dd className="num">{fmtCompact(ind.obv)}</dd></div>
      {isNum(ind.sessionVwap) && <div><dt>Session VWAP</dt><dd className="num">{fmtPrice(ind.sessionVwap)} <small className="muted">{fmtDay(ind.sessionVwapDay)}</small></dd></div>}
      <div><dt>Return 1d</dt><dd className={`num t-${trend(ind.return1d)}`}>{fmtFracPct(ind.return1d)}</dd></div>
      <div><dt>Return 5d</dt><dd className={`num t-${trend(ind.return5d)}`}>{fmtFracPct(ind.return5d)}</dd></div>
      <div><dt>Volatility 20d (daily)</dt><dd className="num">{fmtProb(ind.volatility20d, 2)}</dd></div>
      <div><dt>Daily bars</dt><dd className="num">{fmtInt(ind.dailyBars)}</dd></div>
    </dl>
  );
}

function SentimentPanel({ s }: { s: SentimentSnapshot | null }) {
  // The score is 0 until a post arrives: no posts scored is what says sentiment is still warming up.
  if (!s || !s.postsScored) return <WarmingUp what="sentiment" compact />;
  const delta = isNum(s.mentions24h) && isNum(s.mentionsPrevious24h) ? s.mentions24h - s.mentionsPrevious24h : null;
  return (
    <div className="senti-panel">
      <div className="senti-head">
        <SentimentMeter score={s.score} />
        <span className="muted small">as of {fmtTime(s.asOf)}</span>
      </div>
      <dl className="kv">
        <div><dt>Posts in window</dt><dd className="num">{fmtInt(s.postsInWindow)}</dd></div>
        <div><dt>Mentions 24 h</dt><dd className="num">{fmtInt(s.mentions24h)} <small className={`t-${trend(delta)}`}>{isNum(delta) ? `${fmtSigned(delta, 0)} vs prev.` : ''}</small></dd></div>
        <div><dt>Posts scored</dt><dd className="num">{fmtInt(s.postsScored)}</dd></div>
        <div><dt>Model</dt><dd>{s.model ?? '—'} <span className="muted">half-life {fmtNum(s.halfLifeHours, 0)} h</span></dd></div>
      </dl>
      {(s.bySource?.length ?? 0) > 0 && (
        <table className="grid-table compact">
          <caption className="sr-only">Sentiment by source</caption>
          <thead><tr><th scope="col">Source</th><th scope="col" className="n">Score</th><th scope="col" className="n">Posts</th></tr></thead>
          <tbody>
            {s.bySource!.map((b) => (
              <tr key={b.source}><th scope="row">{b.source}</th><td className="n"><SentimentMeter score={b.score} /></td><td className="n num">{fmtInt(b.posts)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PostsPanel({ symbol }: { symbol: string }) {
  const { data, error, loading } = usePosts(symbol, 20);
  if (loading && !data) return <Loading label="Loading posts…" />;
  if (error && !data) return <ErrorState error={error} onRetry={refresh(keys.posts(symbol, 20))} />;
  if (!data || data.length === 0) return <Empty title="No posts yet">Posts mentioning {symbol} appear here once the text replay reaches them.</Empty>;
  return (
    <ul className="posts" aria-label={`Recent posts about ${symbol}`}>
      {data.map((p) => (
        <PostItem key={`${p.source}:${p.id}`} p={p} />
      ))}
    </ul>
  );
}

function PostItem({ p }: { p: Post }) {
  const cls = polarity(p.polarity);
  const label = p.label ?? (cls === 'pos' ? 'positive' : cls === 'neg' ? 'negative' : cls === 'neu' ? 'neutral' : 'unscored');
  return (
    <li className={`post post-${cls}`}>
      <div className="post-meta">
        <span className="chip">{p.source}</span>
        {p.author && <span className="muted">@{p.author.replace(/^@/, '')}</span>}
        <time dateTime={p.time} className="muted num">{fmtTime(p.time)}</time>
      </div>
      <span className={`pol pol-${cls}`} title={isNum(p.confidence) ? `confidence ${fmtProb(p.confidence)}` : undefined}>
        {label} {fmtSigned(p.polarity, 2)}
      </span>
      <p className="post-text">{p.text}</p>
    </li>
  );
}

const PAGE = 25;
function HistoryPanel({ symbol }: { symbol: string }) {
  const { data, error, loading } = usePredictions(symbol);
  const [signal, setSignal] = useState<string | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const signals = useMemo(() => [...new Set((data ?? []).map((r) => r.prediction.signal))].sort(
    (a, b) => (SIGNAL_ORDER.indexOf(a) + 1 || 99) - (SIGNAL_ORDER.indexOf(b) + 1 || 99),
  ), [data]);
  const active = signal ?? (signals.includes('ensemble') ? 'ensemble' : 'all');
  const rows = useMemo(
    () =>
      (data ?? [])
        .filter((r) => active === 'all' || r.prediction.signal === active)
        .sort((a, b) => b.prediction.basisDay.localeCompare(a.prediction.basisDay) || b.prediction.madeAt.localeCompare(a.prediction.madeAt)),
    [data, active],
  );

  if (loading && !data) return <Loading label="Loading prediction history…" />;
  if (error && !data) return <ErrorState error={error} onRetry={refresh(keys.predictions(symbol))} />;
  if (!data || data.length === 0) return <WarmingUp what="predictions" compact />;

  const scored = rows.filter((r) => r.hit !== null && r.hit !== undefined);
  const hits = scored.filter((r) => r.hit).length;
  return (
    <>
      <div className="toolbar">
        <label className="inline-field">
          Signal{' '}
          <select value={active} onChange={(e) => { setSignal(e.target.value); setLimit(PAGE); }}>
            <option value="all">All signals</option>
            {signals.map((s) => <option key={s} value={s}>{signalLabel(s)}</option>)}
          </select>
        </label>
        <span className="muted small">
          {rows.length} predictions · {scored.length} scored · hit rate <b className={`num ${hitClass(scored.length ? hits / scored.length : null)}`}>{scored.length ? fmtProb(hits / scored.length) : '—'}</b>
        </span>
      </div>
      <div className="table-wrap">
        <table className="grid-table" aria-label="Prediction history">
          <thead>
            <tr>
              <th scope="col">Basis day</th>
              <th scope="col">Target day</th>
              {active === 'all' && <th scope="col">Signal</th>}
              <th scope="col">Call</th>
              <th scope="col" className="n">Outcome</th>
              <th scope="col" className="n">Realised</th>
              <th scope="col" className="n">Result</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, limit).map((r) => (
              <tr key={`${r.prediction.signal}:${r.prediction.basisDay}:${r.prediction.madeAt}`}>
                <td className="num">{fmtDay(r.prediction.basisDay)}</td>
                <td className="num">{fmtDay(r.targetDay)}</td>
                {active === 'all' && <td>{signalLabel(r.prediction.signal)}</td>}
                <td><DirectionBadge direction={r.prediction.direction} probabilityUp={r.prediction.probabilityUp} /></td>
                <td className={`n t-${r.outcome === 'up' ? 'up' : r.outcome === 'down' ? 'down' : 'none'}`}>{r.outcome ?? '—'}</td>
                <td className={`n num t-${trend(r.realizedReturn)}`}>{fmtFracPct(r.realizedReturn)}</td>
                <td className="n">
                  {r.hit === true ? <span className="chip chip-hit">✓ hit</span> : r.hit === false ? <span className="chip chip-miss">✗ miss</span> : <span className="chip chip-pending">pending</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > limit && (
        <button type="button" className="btn btn-ghost" onClick={() => setLimit((l) => l + 100)}>
          Show {Math.min(100, rows.length - limit)} more
        </button>
      )}
    </>
  );
}
