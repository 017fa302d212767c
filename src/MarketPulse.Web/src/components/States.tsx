import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

export function Loading({ label = 'Loading…', rows = 3 }: { label?: string; rows?: number }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="sr-only">{label}</span>
      <div aria-hidden="true" className="skeleton-stack">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="skeleton" style={{ width: `${90 - i * 12}%` }} />
        ))}
      </div>
      <p className="state-caption" aria-hidden="true">{label}</p>
    </div>
  );
}

export function ErrorState({ error, onRetry, children }: { error: ApiError; onRetry?: () => void; children?: ReactNode }) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">
        <span aria-hidden="true" className="state-icon">!</span>
        {error.title}
        {error.status > 0 && <span className="state-code">HTTP {error.status}</span>}
      </p>
      {error.detail && <p className="state-detail">{error.detail}</p>}
      {children}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" role="status">
      <p className="state-title">{title}</p>
      {children && <div className="state-detail">{children}</div>}
    </div>
  );
}

/** The pipeline is up but the replay has not produced enough data yet. */
export function WarmingUp({ what = 'data', compact = false }: { what?: string; compact?: boolean }) {
  return (
    <div className={`state state-warming${compact ? ' compact' : ''}`} role="status">
      <span className="pulse-dot" aria-hidden="true" />
      <div>
        <p className="state-title">No {what} yet: replay warming up</p>
        {!compact && (
          <p className="state-detail">
            The pipeline is running, but not enough ticks, bars or closes have arrived to compute this. The page refreshes by itself.
          </p>
        )}
      </div>
    </div>
  );
}

/** A stale-data notice shown above content when a refresh failed but older data is still on screen. */
export function StaleNotice({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <p className="stale" role="status">
      Showing last known data: {error.title}
      {error.detail ? ` — ${error.detail}` : ''}
    </p>
  );
}
