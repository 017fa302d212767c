// Wire types of the gateway's REST contract: names for the schemas that src/api/schema.ts generates from the server's
// OpenAPI document (openapi/v1.json; `npm run gen:api`). Nothing here restates a field: what the server sends, and
// whether it may be null, is what its document says. camelCase; numbers are JSON numbers; a nullable number is null
// while its indicator or model is warming up.
import type { components } from './schema';

type Schemas = components['schemas'];

/** The direction of a call as the server writes it (`direction`, `ensembleDirection`); the document says only "string". */
export type Direction = 'up' | 'down';

export type TickerSummary = Schemas['TickerSummary'];
export type TickerDetail = Schemas['TickerDetail'];
export type TickerState = Schemas['TickerSnapshot'];
export type Indicators = Schemas['IndicatorValues'];
/** One closed trading day's RSI 14 and MACD 12/26/9 (GET /api/tickers/{symbol}/indicators); null while warming up. */
export type IndicatorPoint = Schemas['IndicatorPoint'];
export type Bar = Schemas['BarDto'];

export type SignalPrediction = Schemas['SignalPrediction'];
export type Contribution = Schemas['SignalContribution'];
export type PredictionRecord = Schemas['PredictionRecord'];
export type ReliabilityBin = Schemas['ReliabilityBinDto'];
export type SignalStats = Schemas['SignalStats'];
export type EnsembleSnapshot = Schemas['EnsembleSnapshot'];

export type SourceSentiment = Schemas['SourceSentiment'];
export type SentimentSnapshot = Schemas['SentimentSnapshot'];
export type Post = Schemas['ScoredPost'];

/** Next-session volatility, expected-move bands (log returns) and volume forecast. */
export type Forecast = Schemas['ForecastDto'];
export type ForecastOutcome = Schemas['ForecastOutcomeDto'];
export type ForecastRecord = Schemas['ForecastRecordDto'];
export type ForecastScorecard = Schemas['ForecastScorecardDto'];
export type ForecastSnapshot = Schemas['ForecastSnapshot'];
export type IntradayForecast = Schemas['IntradayForecastDto'];
export type IntradayOutcome = Schemas['IntradayOutcomeDto'];
/** The next 30 minutes' realised-variance forecast (regular session, from 1-minute bars). */
export type IntradaySnapshot = Schemas['IntradaySnapshot'];

export type ModelInfo = Schemas['ModelInfo'];
/** One signal's quality measured offline, out of sample; intervals are 95 %, resampling whole target days. */
export type MeasuredSignal = Schemas['MeasuredSignal'];
/** The shipped out-of-sample report (models/price-walkforward.json), or null when none ships. */
export type OutOfSampleReport = Schemas['OutOfSampleReport'];

/**
 * The forecasts' gain over HAR as `eval forecasts` reports it. The one shape kept by hand: the server serves the CLI's
 * `models/forecast-evaluation.json` as written (snake_case), so its document says only "JSON" for it.
 */
export interface ForecastEvaluation {
  n: number;
  days: number;
  from: string;
  to: string;
  volatility: { qlike_gain_vs_har: number; qlike_gain_vs_har_ci95_days: number[]; band80_coverage: number; band95_coverage: number };
  volume: { gain_vs_har: number; gain_vs_har_ci95_days: number[] };
}

/** The shipped `forecast-evaluation.json` (see {@link ForecastEvaluation}). */
export interface ForecastEvidence {
  method?: string;
  dev?: ForecastEvaluation;
  walk_forward?: ForecastEvaluation;
}

export type ForecastModelReport = Omit<Schemas['ForecastModelReport'], 'outOfSample'> & { outOfSample: ForecastEvidence | null };
export type ModelsResponse = Omit<Schemas['ModelsResponse'], 'forecasts'> & { forecasts: ForecastModelReport | null };

/** RFC 9457 problem details as the gateway returns them. */
export type ProblemDetails = Schemas['ProblemDetails'];

/** GET /api/system: the service's own numbers (ingest, latency, rejections, streams, refine queue: this process's). */
export type SystemSummary = Schemas['SystemSummary'];
