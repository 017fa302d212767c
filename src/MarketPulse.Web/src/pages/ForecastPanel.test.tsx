import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ForecastSnapshot } from '../api/types';
import { ForecastPanel } from './TickerDetail';

const snapshot: ForecastSnapshot = {
  symbol: 'AAPL',
  modelVersion: 'forecast-harx-qlike-v1',
  next: {
    symbol: 'AAPL', basisDay: '2015-03-16', targetDay: '2015-03-17', issuedAtUtc: '2015-03-17T00:00:00Z', modelVersion: 'forecast-harx-qlike-v1',
    variance: 0.0001789, volatility: 0.013375, band80Low: -0.0196, band80High: 0.0198, band95Low: -0.035, band95High: 0.0337,
    basisClose: 100, volume: 50_600_000, volumeAverage22: 59_100_000, harVariance: 0.00019, harVolume: 44_500_000,
    expectedMove80: 0.0197, volumeRatio: 0.856,
  },
  lastScored: null,
  intraday: null,
  scorecard: {
    scored: 40, meanQlike: 0.281, meanQlikeHar: 0.304, qlikeGainVsHar: 0.074, band80Coverage: 0.82, band95Coverage: 0.98,
    volumeScored: 40, volumeMse: 0.057, volumeMseHar: 0.061, volumeGainVsHar: 0.065, skippedNoRange: 0,
  },
};

describe('ForecastPanel', () => {
  it('shows the expected move, the bands as price ranges, the volume forecast and the live score', () => {
    render(<ForecastPanel f={snapshot} />);
    expect(screen.getByTestId('forecast-move').textContent).toBe('±2.0%');
    const text = screen.getByTestId('forecast').textContent ?? '';
    // 100 × e^−0.0196 … 100 × e^0.0198
    expect(text).toContain('98.06 – 102.00');
    expect(text).toContain('0.86× the 22-day mean');
    expect(screen.getByTestId('forecast-score').textContent).toContain('QLIKE 0.281 vs HAR 0.304');
  });

  it('shows the next 30 minutes and the intraday score against both baselines, or says the session is closed', () => {
    const forecast = {
      symbol: 'AAPL', day: '2014-06-06', slot: 4, slotStartUtc: '2014-06-06T15:30:00Z', slotEndUtc: '2014-06-06T16:00:00Z',
      issuedAtUtc: '2014-06-06T15:30:00Z', method: 'intraday-har', variance: 0.0000016, seasonalHarVariance: 0.0000018,
      previousSlotVariance: 0.000003, volatility: 0.0012649,
    };
    const intraday = {
      next: forecast,
      lastScored: { forecast, outcome: { realizedVariance: 0.0000025, minutes: 30, qlike: 0.12, qlikeSeasonalHar: 0.14, qlikePreviousSlot: 0.4, scoredAtUtc: '2014-06-06T16:00:00Z' } },
      scored: 12, meanQlike: 0.144, meanQlikeSeasonalHar: 0.141, meanQlikePreviousSlot: 0.382, skippedZeroVariance: 0,
    };
    const { unmount } = render(<ForecastPanel f={{ ...snapshot, intraday }} />);
    const text = screen.getByTestId('intraday').textContent ?? '';
    expect(text).toContain('±0.13%');
    expect(text).toContain('intraday-har');
    expect(text).toContain('realised ±0.16% vs forecast ±0.13%');
    expect(screen.getByTestId('intraday-score').textContent).toContain('12 slots; QLIKE 0.144 vs seasonal HAR 0.141, previous slot 0.382');
    unmount();
    render(<ForecastPanel f={{ ...snapshot, intraday: { ...intraday, next: null } }} />);
    expect(screen.getByTestId('intraday').textContent).toContain('outside the regular session');
  });

  it('shows no intraday part for a symbol without minute data', () => {
    const { unmount } = render(<ForecastPanel f={{ ...snapshot, intraday: null }} />);
    expect(screen.queryByTestId('intraday')).toBeNull();
    unmount();
    // A daily-only feed: the ticker composes an empty intraday snapshot.
    const empty = { next: null, lastScored: null, scored: 0, meanQlike: null, meanQlikeSeasonalHar: null, meanQlikePreviousSlot: null, skippedZeroVariance: 0 };
    render(<ForecastPanel f={{ ...snapshot, intraday: empty }} />);
    expect(screen.queryByTestId('intraday')).toBeNull();
  });

  it('says why there is no forecast yet', () => {
    render(<ForecastPanel f={{ ...snapshot, next: null }} />);
    expect(screen.getByText(/needs 23 trading days/)).toBeTruthy();
  });
});

describe('ForecastScores', () => {
  it('shows the live score beside the out-of-sample gains with their day-clustered intervals', async () => {
    const { ForecastScores } = await import('./Models');
    render(
      <ForecastScores
        report={{
          version: 'forecast-harx-qlike-v1', trainedFrom: '2014-01-15', trainedTo: '2015-08-01', trainingRows: 33346,
          live: snapshot.scorecard,
          outOfSample: {
            walk_forward: {
              n: 25363, days: 294, from: '2014-08-01', to: '2015-10-01',
              volatility: { qlike_gain_vs_har: 0.2424, qlike_gain_vs_har_ci95_days: [0.0303, 0.3408], band80_coverage: 0.7886, band95_coverage: 0.9442 },
              volume: { gain_vs_har: 0.1833, gain_vs_har_ci95_days: [0.1374, 0.2303] },
            },
          },
        }}
      />,
    );
    const text = screen.getByTestId('forecast-scores').textContent ?? '';
    expect(text).toContain('24.2% [3.0%, 34.1%]');
    expect(text).toContain('78.9% / 94.4%');
    expect(text).toContain('Live, all tickers40');
  });
});
