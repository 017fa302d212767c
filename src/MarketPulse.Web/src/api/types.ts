// Wire types of the gateway's REST contract (design.md §5). camelCase; any number may be null before warm-up.

export type Direction = 'up' | 'down';
export type Outcome = 'up' | 'down' | 'flat';

export interface TickerSummary {
  symbol: string;
  lastPrice: number | null;
  changePercent: number | null; // percent units (1.5 = +1.5 %)
  lastTime: string | null;
  sentimentScore: number | null; // [-1, 1]
  ensembleDirection: Direction | null;
  ensembleProbabilityUp: number | null; // [0, 1]
  ticksApplied: number | null;
  expectedMove80?: number | null; // fraction of the price: the 80 % band's half-width for the next session
  forecastVolatility?: number | null; // fraction: next-session Garman–Klass volatility
  volumeRatio?: number | null; // volume forecast / 22-day mean volume
}

export interface SignalPrediction {
  signal: string;
  kind: string;
  modelVersion: string;
  madeAt: string;
  horizon: string;
  direction: Direction | null;
  probabilityUp: number | null;
  basisDay: string;
}

export interface Contribution {
  signal: string;
  weight: number | null;
  probabilityUp: number | null;
  contribution: number | null;
}

export interface PredictionRecord {
  prediction: SignalPrediction;
  targetDay: string | null;
  realizedReturn: number | null;
  outcome: Outcome | null;
  hit: boolean | null;
  explanation: Contribution[] | null;
}

export interface Indicators {
  sma20: number | null;
  ema12: number | null;
  ema26: number | null;
  rsi14: number | null;
  return1d: number | null; // fraction (log return)
  return5d: number | null; // fraction (log return)
  volatility20d: number | null; // daily, fraction
  dailyBars: number | null;
  macdLine?: number | null; // MACD 12/26/9: EMA12 − EMA26 of closes
  macdSignal?: number | null; // EMA9 of the line
  macdHistogram?: number | null; // line − signal
}

/** One closed trading day's RSI 14 and MACD 12/26/9 (GET /api/tickers/{symbol}/indicators); null while warming up. */
export interface IndicatorPoint {
  tradingDay: string;
  rsi14: number | null;
  macdLine: number | null;
  macdSignal: number | null;
  macdHistogram: number | null;
}

export interface TickerState {
  symbol: string;
  lastPrice: number | null;
  lastTime: string | null;
  previousClose: number | null;
  change: number | null;
  changePercent: number | null;
  ticksApplied: number | null;
  barsApplied: number | null;
  indicators: Indicators | null;
  livePriceSignal: SignalPrediction | null;
  lastClosedDay: string | null;
  lastIngestedAtUtc: string | null;
}

export interface SourceSentiment {
  source: string;
  score: number | null;
  posts: number | null;
}

export interface SentimentSnapshot {
  symbol: string;
  asOf: string | null;
  score: number | null;
  postsInWindow: number | null;
  mentions24h: number | null;
  mentionsPrevious24h: number | null;
  bySource: SourceSentiment[] | null;
  postsScored: number | null;
  model: string | null;
  halfLifeHours: number | null;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanForecast: number | null;
  observedFrequency: number | null;
}

export interface SignalStats {
  signal: string;
  kind: string;
  weight: number | null;
  scored: number | null;
  hits: number | null;
  hitRate: number | null;
  brier: number | null;
  reliability: ReliabilityBin[] | null;
}

export interface EnsembleSnapshot {
  symbol: string;
  latest: PredictionRecord | null;
  latestBySignal: PredictionRecord[] | null;
  signals: SignalStats[] | null;
  closesSeen: number | null;
}

export interface TickerDetail {
  symbol: string;
  ticker: TickerState | null;
  sentiment: SentimentSnapshot | null;
  ensemble: EnsembleSnapshot | null;
  forecasts?: ForecastSnapshot | null;
}

/** Next-session volatility, expected-move bands (log returns) and volume forecast. */
export interface Forecast {
  symbol: string;
  basisDay: string;
  targetDay: string;
  issuedAtUtc: string;
  modelVersion: string;
  variance: number;
  volatility: number;
  band80Low: number;
  band80High: number;
  band95Low: number;
  band95High: number;
  basisClose: number;
  volume: number;
  volumeAverage22: number;
  harVariance: number;
  harVolume: number;
  expectedMove80: number;
  volumeRatio: number;
}

export interface ForecastOutcome {
  realizedVariance: number;
  realizedReturn: number;
  realizedVolume: number;
  qlike: number | null;
  qlikeHar: number | null;
  inBand80: boolean;
  inBand95: boolean;
  volumeSquaredLogError: number | null;
  volumeSquaredLogErrorHar: number | null;
  scoredAtUtc: string;
}

export interface ForecastRecord {
  forecast: Forecast;
  outcome: ForecastOutcome | null;
}

export interface ForecastScorecard {
  scored: number;
  meanQlike: number | null;
  meanQlikeHar: number | null;
  qlikeGainVsHar: number | null;
  band80Coverage: number | null;
  band95Coverage: number | null;
  volumeScored: number;
  volumeMse: number | null;
  volumeMseHar: number | null;
  volumeGainVsHar: number | null;
  skippedNoRange: number;
}

export interface ForecastSnapshot {
  symbol: string;
  next: Forecast | null;
  lastScored: ForecastRecord | null;
  scorecard: ForecastScorecard;
  modelVersion: string | null;
  /** The next 30 minutes' realised-variance forecast (regular session, from 1-minute bars); absent without minute data. */
  intraday?: IntradaySnapshot | null;
}

export interface IntradayForecast {
  symbol: string;
  day: string;
  slot: number;
  slotStartUtc: string;
  slotEndUtc: string;
  issuedAtUtc: string;
  /** "intraday-har" once the symbol has enough history to fit it, "seasonal-har" before. */
  method: string;
  variance: number;
  seasonalHarVariance: number;
  previousSlotVariance: number;
  volatility: number;
}

export interface IntradayOutcome {
  realizedVariance: number;
  minutes: number;
  qlike: number | null;
  qlikeSeasonalHar: number | null;
  qlikePreviousSlot: number | null;
  scoredAtUtc: string;
}

export interface IntradaySnapshot {
  next: IntradayForecast | null;
  lastScored: { forecast: IntradayForecast; outcome: IntradayOutcome } | null;
  scored: number;
  meanQlike: number | null;
  meanQlikeSeasonalHar: number | null;
  meanQlikePreviousSlot: number | null;
  skippedZeroVariance: number;
}

export interface Bar {
  start: string;
  interval: string;
  tradingDay: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
}

export interface Post {
  source: string;
  id: string;
  time: string;
  text: string;
  author: string | null;
  polarity: number | null;
  label: string | null;
  confidence: number | null;
  model: string | null;
}

export interface ModelInfo {
  name: string;
  kind: string;
  version: string;
  description: string | null;
}

/** One signal's quality measured offline, out of sample; intervals are 95 %, resampling whole target days. */
export interface MeasuredSignal {
  signal: string;
  n: number;
  accuracy: number;
  accuracyCi95: number[] | null;
  mcc: number;
  mccCi95: number[] | null;
  brier: number;
}

/** The shipped out-of-sample report (models/price-walkforward.json), or null when none ships. */
export interface OutOfSampleReport {
  method: string;
  from: string;
  to: string;
  days: number;
  signals: MeasuredSignal[];
}

export interface ModelsResponse {
  models: ModelInfo[] | null;
  signals: SignalStats[] | null;
  outOfSample?: OutOfSampleReport | null;
  forecasts?: ForecastModelReport | null;
}

/** The forecasts' gain over HAR as eval forecasts reports it (snake_case: the CLI's JSON, served as written). */
export interface ForecastEvaluation {
  n: number;
  days: number;
  from: string;
  to: string;
  volatility: { qlike_gain_vs_har: number; qlike_gain_vs_har_ci95_days: number[]; band80_coverage: number; band95_coverage: number };
  volume: { gain_vs_har: number; gain_vs_har_ci95_days: number[] };
}

export interface ForecastModelReport {
  version: string | null;
  trainedFrom: string | null;
  trainedTo: string | null;
  trainingRows: number | null;
  live: ForecastScorecard;
  outOfSample: { method?: string; dev?: ForecastEvaluation; walk_forward?: ForecastEvaluation } | null;
}

/** RFC 9457 problem details as the gateway returns them. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
}

/** GET /api/system: the service's own numbers (ingest, latency, rejections, streams, refine queue: this process's). */
export interface SystemSummary {
  atUtc: string;
  scope: string;
  ingest: { ticksTotal: number; textsTotal: number; ticksPerSecond: number; textsPerSecond: number; windowSeconds: number };
  pipelineLatencyMs: { count: number; p50: number | null; p90: number | null; p99: number | null; max: number | null; windowSeconds: number };
  rejections: { kind: string; reason: string; count: number }[];
  silos: { address: string; name: string; status: string; startedAtUtc: string }[];
  grains: { total: number; byType: { type: string; activations: number }[] };
  refineQueue: number | null;
  streams: { namespace: string; published: number; delivered: number; backlog: number }[];
}
