import type { Bar, ForecastRecord, IndicatorPoint, ModelsResponse, Post, PredictionRecord, ProblemDetails, SystemSummary, TickerDetail, TickerSummary } from './types';

/** An HTTP or network failure, carrying the server's ProblemDetails title/detail when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly type?: string;

  constructor(status: number, title: string, detail?: string, type?: string) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

function statusTitle(status: number): string {
  switch (status) {
    case 400: return 'Bad request';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'Not found';
    case 429: return 'Too many requests';
    case 500: return 'Server error';
    case 502: return 'Bad gateway';
    case 503: return 'Service unavailable';
    case 504: return 'Gateway timeout';
    default: return `HTTP ${status}`;
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: ProblemDetails | null = null;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      problem = (await res.json()) as ProblemDetails;
    } catch {
      problem = null;
    }
  }
  return new ApiError(
    res.status,
    problem?.title || statusTitle(res.status),
    problem?.detail || undefined,
    problem?.type ?? undefined,
  );
}

/** GET a JSON document; throws ApiError for non-2xx answers and network failures. Aborts propagate as AbortError. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    if (signal?.aborted) throw e;
    throw new ApiError(0, 'Gateway unreachable', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return null as T;
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'Malformed response', `The gateway answered ${path} with something that is not JSON.`);
  }
}

function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const sym = (s: string) => encodeURIComponent(s.toUpperCase());

export const api = {
  tickers: (signal?: AbortSignal) => getJson<TickerSummary[]>('/api/tickers', signal),
  ticker: (symbol: string, signal?: AbortSignal) => getJson<TickerDetail>(`/api/tickers/${sym(symbol)}`, signal),
  bars: (symbol: string, opts: { interval?: '1d' | '1m'; from?: string; to?: string } = {}, signal?: AbortSignal) =>
    getJson<Bar[]>(`/api/tickers/${sym(symbol)}/bars${query({ interval: opts.interval ?? '1d', from: opts.from, to: opts.to })}`, signal),
  predictions: (symbol: string, opts: { from?: string; to?: string; signal?: string } = {}, signal?: AbortSignal) =>
    getJson<PredictionRecord[]>(`/api/tickers/${sym(symbol)}/predictions${query(opts)}`, signal),
  forecasts: (symbol: string, opts: { from?: string; to?: string } = {}, signal?: AbortSignal) =>
    getJson<ForecastRecord[]>(`/api/tickers/${sym(symbol)}/forecasts${query(opts)}`, signal),
  indicators: (symbol: string, opts: { from?: string; to?: string } = {}, signal?: AbortSignal) =>
    getJson<IndicatorPoint[]>(`/api/tickers/${sym(symbol)}/indicators${query(opts)}`, signal),
  posts: (symbol: string, limit = 20, signal?: AbortSignal) =>
    getJson<Post[]>(`/api/tickers/${sym(symbol)}/posts${query({ limit })}`, signal),
  models: (signal?: AbortSignal) => getJson<ModelsResponse>('/api/models', signal),
  system: (signal?: AbortSignal) => getJson<SystemSummary>('/api/system', signal),
};
