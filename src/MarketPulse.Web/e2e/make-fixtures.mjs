// Regenerates the deterministic fixture JSON under e2e/fixtures, in the shapes of the server's OpenAPI document
// (src/test/fixtures.ts type-checks them against the generated wire types).
// Usage: node e2e/make-fixtures.mjs
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
// Only what this script writes: system.json is kept by hand.
for (const d of ['tickers', 'bars', 'predictions', 'posts']) {
  rmSync(join(root, d), { recursive: true, force: true });
  mkdirSync(join(root, d), { recursive: true });
}
const write = (p, v) => writeFileSync(join(root, p), JSON.stringify(v, null, p.includes('/') ? 0 : 2) + '\n');

let seed = 42;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296);
const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
const r2 = (v, d = 2) => Number(v.toFixed(d));
const sigmoid = (z) => 1 / (1 + Math.exp(-z));

const days = [];
for (let d = new Date(Date.UTC(2015, 0, 2)); days.length < 160; d = new Date(d.getTime() + 86400000)) {
  const wd = d.getUTCDay();
  if (wd !== 0 && wd !== 6) days.push(d.toISOString().slice(0, 10));
}
const closeUtc = (day) => `${day}T21:00:00Z`;
const nextDay = (day) => ((d) => (d.setUTCDate(d.getUTCDate() + (d.getUTCDay() === 5 ? 3 : 1)), d.toISOString().slice(0, 10)))(new Date(`${day}T00:00:00Z`));
/** No forecast yet (the fixtures carry none). */
const noForecast = { expectedMove80: null, forecastVolatility: null, volumeRatio: null };
/** Sentiment served by the lexicon alone: no refinement by the transformer. */
const lexiconOnly = (scored) => ({ postsRefined: 0, postsLexiconOnly: scored, fastModel: null, topPosts: null, postsRefinedLate: 0 });
const openUtc = (day) => `${day}T14:30:00Z`;

const universe = [
  ['AAPL', 109.3, 0.0004], ['MSFT', 46.8, 0.0002], ['AMZN', 308.5, 0.0018], ['GOOG', 524.8, 0.0005],
  ['FB', 78.4, 0.0012], ['JPM', 62.5, -0.0001], ['XOM', 92.8, -0.0011], ['BABA', 103.6, -0.0015],
];
const texts = {
  pos: ['strong iPhone demand, upgrading to buy', 'beats estimates on revenue and margins, raising guidance', 'bullish breakout above resistance, volume confirms', 'record quarter, buyback expanded', 'analysts lift price target after upbeat outlook'],
  neg: ['misses on EPS, guidance cut for next quarter', 'downgraded to sell amid slowing growth', 'regulatory probe weighs on shares', 'bearish: losing support, heavy selling into the close', 'lawsuit and weak margins, taking profits'],
  neu: ['earnings call scheduled for next Tuesday', 'options volume elevated ahead of the report', 'holding my position, waiting for the print', 'files 10-Q with the SEC', 'trading flat in pre-market'],
};
const sources = ['stocknet:tweets', 'benzinga:news', 'reddit:stocks'];

const summaries = [];
const modelSignals = { price: [], sentiment: [], persistence: [], ensemble: [] };

for (const [sym, start, drift] of universe) {
  // Daily bars (geometric random walk).
  const bars = [];
  let px = start;
  for (const day of days) {
    const o = px * (1 + gauss() * 0.004);
    const c = o * (1 + drift + gauss() * 0.014);
    const h = Math.max(o, c) * (1 + Math.abs(gauss()) * 0.006);
    const l = Math.min(o, c) * (1 - Math.abs(gauss()) * 0.006);
    const vol = Math.round((30 + rnd() * 40) * 1e6 * (start < 100 ? 1.5 : 0.6));
    bars.push({ start: openUtc(day), interval: '1d', tradingDay: day, open: r2(o), high: r2(h), low: r2(l), close: r2(c), volume: vol, trades: Math.round(vol / 180) });
    px = c;
  }
  write(`bars/${sym}.json`, bars);
  const closes = bars.map((b) => b.close);
  const last = closes.at(-1);
  const prev = closes.at(-2);
  const lastPrice = r2(last * (1 + gauss() * 0.006));
  const emaSeries = (xs, n) => xs.reduce((out, c, i) => [...out, i === 0 ? c : out[i - 1] + (2 / (n + 1)) * (c - out[i - 1])], []);
  const ema = (n) => emaSeries(closes, n).at(-1);
  // MACD 12/26/9, Bollinger 20/2, z-score, WMA 20, ATR 14, stochastic 14/3 and OBV of the daily bars.
  const macd = ((line) => ((signal) => ({ line: line.at(-1), signal: signal.at(-1) }))(emaSeries(line, 9)))(
    emaSeries(closes, 12).map((e, i) => e - emaSeries(closes, 26)[i]));
  const last20 = closes.slice(-20);
  const sd20 = Math.sqrt(last20.reduce((a, c) => a + (c - last20.reduce((x, y) => x + y, 0) / 20) ** 2, 0) / 20);
  const wma20 = last20.reduce((a, c, i) => a + c * (i + 1), 0) / 210;
  const atr14 = bars.slice(-14).reduce((a, b, i, xs) => a + Math.max(b.high - b.low, Math.abs(b.high - (xs[i - 1] ?? bars.at(-15)).close), Math.abs(b.low - (xs[i - 1] ?? bars.at(-15)).close)), 0) / 14;
  const stochK = (end) => ((w) => ((lo, hi) => (100 * (closes[end] - lo)) / (hi - lo))(Math.min(...w.map((b) => b.low)), Math.max(...w.map((b) => b.high))))(bars.slice(end - 13, end + 1));
  const obv = closes.reduce((a, c, i) => a + (i === 0 ? 0 : Math.sign(c - closes[i - 1]) * bars[i].volume), 0);
  const sma20 = closes.slice(-20).reduce((a, b) => a + b, 0) / 20;
  let gains = 0, losses = 0;
  for (let i = closes.length - 14; i < closes.length; i++) { const d = closes[i] - closes[i - 1]; if (d > 0) gains += d; else losses -= d; }
  const rsi = 100 - 100 / (1 + gains / Math.max(losses, 1e-9));
  const rets = closes.slice(-21).map((c, i, a) => (i ? Math.log(c / a[i - 1]) : 0)).slice(1);
  const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
  const vol20 = Math.sqrt(rets.reduce((a, b) => a + (b - mean) ** 2, 0) / (rets.length - 1));

  // Prediction history: the last 26 closes, each signal; the newest ensemble call is pending.
  const history = [];
  const weights = { price: 0.38 + rnd() * 0.1, sentiment: 0.3 + rnd() * 0.08, persistence: 0 };
  weights.persistence = 1 - weights.price - weights.sentiment;
  let latestBySignal = {};
  const stats = {};
  for (let k = days.length - 26; k < days.length; k++) {
    const basis = days[k];
    const target = days[k + 1] ?? '2015-08-21';
    const realized = k + 1 < days.length ? Math.log(closes[k + 1] / closes[k]) : null;
    const ps = {
      price: sigmoid(gauss() * 0.5 + (realized ?? 0) * 25),
      sentiment: sigmoid(gauss() * 0.4 + (realized ?? 0) * 15),
      persistence: k > 0 && closes[k] >= closes[k - 1] ? 0.53 : 0.47,
    };
    const pe = weights.price * ps.price + weights.sentiment * ps.sentiment + weights.persistence * ps.persistence;
    const all = { ...ps, ensemble: pe };
    for (const [signal, p] of Object.entries(all)) {
      const dir = p >= 0.5 ? 'up' : 'down';
      const outcome = realized === null ? null : realized > 0 ? 'up' : realized < 0 ? 'down' : 'flat';
      const hit = outcome === null ? null : outcome === dir;
      const kind = { ensemble: 'ensemble', persistence: 'baseline', sentiment: 'lexicon', price: 'rule' }[signal];
      const rec = {
        prediction: { signal, kind, modelVersion: { ensemble: 'hedge-v1', price: 'rule.momentum', sentiment: 'lm-lexicon-v1', persistence: 'persistence-v1' }[signal], madeAt: closeUtc(basis), horizon: '1d', direction: dir, probabilityUp: r2(p, 4), basisDay: basis, topFeatures: null },
        targetDay: target,
        realizedReturn: realized === null ? null : r2(realized, 5),
        outcome,
        hit,
        explanation: signal === 'ensemble'
          ? Object.entries(ps).map(([s, q]) => ({ signal: s, weight: r2(weights[s], 4), probabilityUp: r2(q, 4), contribution: r2(weights[s] * (q - 0.5), 4), coefficient: null }))
          : null,
      };
      history.push(rec);
      latestBySignal[signal] = rec;
      const st = (stats[signal] ??= { signal, kind, weight: signal === 'ensemble' ? 1 : r2(weights[signal], 4), scored: 0, hits: 0, sq: 0, bins: Array.from({ length: 5 }, (_, i) => ({ from: i / 5, to: (i + 1) / 5, n: 0, f: 0, o: 0 })) });
      if (hit !== null) {
        st.scored++; if (hit) st.hits++;
        const y = outcome === 'up' ? 1 : 0;
        st.sq += (p - y) ** 2;
        const b = st.bins[Math.min(4, Math.floor(p * 5))];
        b.n++; b.f += p; b.o += y;
      }
    }
  }
  const signals = Object.values(stats).map((s) => {
    const out = {
      signal: s.signal, kind: s.kind, weight: s.weight, scored: s.scored, hits: s.hits,
      hitRate: s.scored ? r2(s.hits / s.scored, 4) : null, brier: s.scored ? r2(s.sq / s.scored, 4) : null,
      // The server lists only the bins that hold forecasts.
      reliability: s.bins.filter((b) => b.n > 0).map((b) => ({ from: b.from, to: b.to, count: b.n, meanForecast: r2(b.f / b.n, 4), observedFrequency: r2(b.o / b.n, 4) })),
      coefficient: null,
    };
    modelSignals[s.signal].push(out);
    return out;
  });
  const sortedSignals = ['ensemble', 'price', 'sentiment', 'persistence'].map((n) => signals.find((s) => s.signal === n));
  write(`predictions/${sym}.json`, history);

  // Posts.
  const posts = [];
  for (let i = 0; i < 24; i++) {
    const r = rnd();
    const cls = r < 0.4 ? 'pos' : r < 0.7 ? 'neg' : 'neu';
    const pol = cls === 'pos' ? 0.1 + rnd() * 0.7 : cls === 'neg' ? -0.1 - rnd() * 0.7 : (rnd() - 0.5) * 0.08;
    const t = new Date(Date.parse(closeUtc(days.at(-1))) - i * 47 * 60000 - Math.floor(rnd() * 20) * 60000);
    posts.push({
      source: sources[i % 3], id: `${sym.toLowerCase()}-${1000 + i}`, time: t.toISOString().replace('.000', ''),
      text: `$${sym} ${texts[cls][Math.floor(rnd() * 5)]}`, author: i % 3 === 1 ? null : `trader${Math.floor(rnd() * 900 + 100)}`,
      polarity: r2(pol, 4), label: { pos: 'positive', neg: 'negative', neu: 'neutral' }[cls], confidence: r2(0.5 + Math.abs(pol) / 2, 3), model: 'lm-lexicon-v1',
    });
  }
  write(`posts/${sym}.json`, posts);
  const score = r2(posts.slice(0, 12).reduce((a, p) => a + p.polarity, 0) / 12, 4);
  const ens = latestBySignal.ensemble;
  const lastTime = `${days.at(-1)}T19:58:${String(Math.floor(rnd() * 60)).padStart(2, '0')}Z`;
  const ticks = 180000 + Math.floor(rnd() * 90000);

  write(`tickers/${sym}.json`, {
    symbol: sym,
    ticker: {
      symbol: sym, lastPrice, lastTime, previousClose: prev, change: r2(lastPrice - prev, 4), changePercent: r2(((lastPrice - prev) / prev) * 100, 4),
      ticksApplied: ticks, barsApplied: bars.length,
      indicators: {
        sma20: r2(sma20, 4), ema12: r2(ema(12), 4), ema26: r2(ema(26), 4), rsi14: r2(rsi, 3), return1d: r2(Math.log(last / prev), 5), return5d: r2(Math.log(last / closes.at(-6)), 5), volatility20d: r2(vol20, 5), dailyBars: bars.length,
        macdLine: r2(macd.line, 4), macdSignal: r2(macd.signal, 4), macdHistogram: r2(macd.line - macd.signal, 4),
        bollingerUpper: r2(sma20 + 2 * sd20, 4), bollingerMiddle: r2(sma20, 4), bollingerLower: r2(sma20 - 2 * sd20, 4), bollingerPercentB: r2((last - (sma20 - 2 * sd20)) / (4 * sd20), 4),
        atr14: r2(atr14, 4), obv, stochasticK: r2(stochK(closes.length - 1), 3), stochasticD: r2((stochK(closes.length - 1) + stochK(closes.length - 2) + stochK(closes.length - 3)) / 3, 3),
        zScore20: r2((last - sma20) / sd20, 4), wma20: r2(wma20, 4),
        // End-of-day bars only: no session VWAP.
        sessionVwap: null, sessionVwapDay: null,
      },
      livePriceSignal: ((p) => ({ signal: 'price', kind: 'rule', modelVersion: 'rule.momentum', madeAt: lastTime, horizon: '1d', direction: p >= 0.5 ? 'up' : 'down', probabilityUp: r2(p, 4), basisDay: days.at(-1), topFeatures: null }))(0.35 + rnd() * 0.3),
      lastClosedDay: days.at(-2), lastIngestedAtUtc: '2024-05-01T12:00:03.512Z',
      calendar: 'us-equities', marketSession: 'closed', nextCloseUtc: `${nextDay(days.at(-1))}T20:00:00Z`,
    },
    sentiment: {
      symbol: sym, asOf: closeUtc(days.at(-1)), score, postsInWindow: 96 + Math.floor(rnd() * 80), mentions24h: 40 + Math.floor(rnd() * 60), mentionsPrevious24h: 40 + Math.floor(rnd() * 60),
      bySource: sources.map((s, i) => ({ source: s, score: r2(score + (i - 1) * 0.08, 4), posts: 20 + Math.floor(rnd() * 60) })),
      ...((n) => ({ postsScored: n, model: 'lm-lexicon-v1', halfLifeHours: 24, ...lexiconOnly(n) }))(2400 + Math.floor(rnd() * 900)),
    },
    ensemble: { symbol: sym, latest: ens, latestBySignal: ['ensemble', 'price', 'sentiment', 'persistence'].map((s) => latestBySignal[s]), signals: sortedSignals, closesSeen: bars.length - 1 },
    forecasts: null,
  });
  summaries.push({ symbol: sym, lastPrice, changePercent: r2(((lastPrice - prev) / prev) * 100, 4), lastTime, sentimentScore: score, ensembleDirection: ens.prediction.direction, ensembleProbabilityUp: ens.prediction.probabilityUp, ticksApplied: ticks, ...noForecast });
}
// A symbol still warming up: every nullable field null.
summaries.push({ symbol: 'TSLA', lastPrice: null, changePercent: null, lastTime: null, sentimentScore: null, ensembleDirection: null, ensembleProbabilityUp: null, ticksApplied: 0, ...noForecast });
const warmingUp = Object.fromEntries(['sma20', 'ema12', 'ema26', 'rsi14', 'return1d', 'return5d', 'volatility20d', 'dailyBars', 'macdLine', 'macdSignal', 'macdHistogram',
  'bollingerUpper', 'bollingerMiddle', 'bollingerLower', 'bollingerPercentB', 'atr14', 'obv', 'stochasticK', 'stochasticD', 'zScore20', 'wma20', 'sessionVwap', 'sessionVwapDay']
  .map((k) => [k, k === 'dailyBars' ? 0 : null]));
write('tickers/TSLA.json', {
  symbol: 'TSLA',
  ticker: { symbol: 'TSLA', lastPrice: null, lastTime: null, previousClose: null, change: null, changePercent: null, ticksApplied: 0, barsApplied: 0, indicators: warmingUp, livePriceSignal: null, lastClosedDay: null, lastIngestedAtUtc: null, calendar: 'us-equities', marketSession: 'closed', nextCloseUtc: null },
  sentiment: { symbol: 'TSLA', asOf: null, score: 0, postsInWindow: 0, mentions24h: 0, mentionsPrevious24h: 0, bySource: [], postsScored: 0, model: 'lm-lexicon-v1', halfLifeHours: 24, ...lexiconOnly(0) },
  ensemble: { symbol: 'TSLA', latest: null, latestBySignal: [], signals: [], closesSeen: 0 },
  forecasts: null,
});
write('bars/TSLA.json', []);
write('predictions/TSLA.json', []);
write('posts/TSLA.json', []);
write('tickers.json', summaries);

const agg = (name) => {
  const list = modelSignals[name];
  const scored = list.reduce((a, s) => a + s.scored, 0);
  const hits = list.reduce((a, s) => a + s.hits, 0);
  const brier = list.reduce((a, s) => a + (s.brier ?? 0) * s.scored, 0) / scored;
  // The tickers' bins pooled by their lower edge, as the market directory pools them.
  const pooled = new Map();
  for (const b of list.flatMap((s) => s.reliability)) pooled.set(b.from, [...(pooled.get(b.from) ?? []), b]);
  const bins = [...pooled.entries()].sort(([a], [b]) => a - b).map(([from, bs]) => {
    const n = bs.reduce((a, b) => a + b.count, 0);
    const f = bs.reduce((a, b) => a + b.meanForecast * b.count, 0);
    const o = bs.reduce((a, b) => a + b.observedFrequency * b.count, 0);
    return { from, to: bs[0].to, count: n, meanForecast: r2(f / n, 4), observedFrequency: r2(o / n, 4) };
  });
  return { signal: name, kind: list[0].kind, weight: r2(list.reduce((a, s) => a + s.weight, 0) / list.length, 4), scored, hits, hitRate: r2(hits / scored, 4), brier: r2(brier, 4), reliability: bins, coefficient: null };
};
write('models.json', {
  models: [
    { name: 'rule.momentum', kind: 'price', version: '1.0.0', description: 'EMA(12/26) momentum scaled by 20-day volatility, damped by RSI extremes' },
    { name: 'lm-lexicon-v1', kind: 'sentiment', version: '2024.1', description: 'Loughran–McDonald finance lexicon with VADER-style negation and intensity' },
    { name: 'persistence-v1', kind: 'baseline', version: '1.0.0', description: 'Tomorrow moves like today: the naive baseline every model must beat' },
    { name: 'hedge-v1', kind: 'ensemble', version: '1.0.0', description: 'Hedge (exponentiated gradient) over signal log-loss, learning rate 0.5' },
  ],
  signals: ['ensemble', 'price', 'sentiment', 'persistence'].map(agg),
  outOfSample: null,
  forecasts: null,
});
console.log(`fixtures written to ${root}`);
