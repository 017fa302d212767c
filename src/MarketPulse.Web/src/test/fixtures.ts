// The same deterministic fixtures the e2e fixture server uses (e2e/make-fixtures.mjs).
import type { Bar, ModelsResponse, Post, PredictionRecord, TickerDetail, TickerSummary } from '../api/types';
import tickers from '../../e2e/fixtures/tickers.json';
import aapl from '../../e2e/fixtures/tickers/AAPL.json';
import tsla from '../../e2e/fixtures/tickers/TSLA.json';
import aaplBars from '../../e2e/fixtures/bars/AAPL.json';
import aaplPredictions from '../../e2e/fixtures/predictions/AAPL.json';
import aaplPosts from '../../e2e/fixtures/posts/AAPL.json';
import models from '../../e2e/fixtures/models.json';

export const fx = {
  tickers: tickers as TickerSummary[],
  aapl: aapl as unknown as TickerDetail,
  tsla: tsla as unknown as TickerDetail,
  aaplBars: aaplBars as Bar[],
  aaplPredictions: aaplPredictions as unknown as PredictionRecord[],
  aaplPosts: aaplPosts as Post[],
  models: models as ModelsResponse,
};
