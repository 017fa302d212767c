import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, pending, problem } from '../test/fetchMock';
import { fx } from '../test/fixtures';
import { ModelsPage } from './Models';

describe('ModelsPage', () => {
  it('shows loading, then models and per-signal accuracy with a reliability plot', async () => {
    mockFetch({ '/api/models': json(fx.models) });
    render(<ModelsPage />);
    expect(screen.getByRole('status').textContent).toContain('Loading models…');
    const models = await screen.findByRole('region', { name: 'Loaded models' });
    expect(within(models).getAllByRole('row')).toHaveLength(fx.models.models!.length + 1);
    expect(models.textContent).toContain('hedge-v1');
    const acc = screen.getByRole('region', { name: /Live accuracy/ });
    const price = fx.models.signals!.find((s) => s.signal === 'price')!;
    const row = within(acc).getByRole('rowheader', { name: /Price model/ }).closest('tr')!;
    expect(row.textContent).toContain(`${(price.hitRate! * 100).toFixed(1)}%`);
    expect(within(row).getByRole('img').getAttribute('aria-label')).toMatch(/^Reliability of Price model: forecast/);
  });

  it('shows the shipped out-of-sample report with its intervals, and nothing when none ships', async () => {
    const outOfSample = {
      method: 'Walk-forward: refitted monthly.',
      from: '2014-09-01',
      to: '2015-10-01',
      days: 273,
      signals: [
        { signal: 'ensemble', n: 14966, accuracy: 0.4935, accuracyCi95: [0.4535, 0.5339], mcc: -0.0178, mccCi95: [-0.0972, 0.0653], brier: 0.2541 },
        { signal: 'always_rise', n: 14966, accuracy: 0.4856, accuracyCi95: [0.4448, 0.5309], mcc: 0, mccCi95: [0, 0], brier: 0.251 },
      ],
    };
    mockFetch({ '/api/models': json({ ...fx.models, outOfSample }) });
    const { unmount } = render(<ModelsPage />);
    const oos = await screen.findByRole('region', { name: /Measured out of sample \(2014-09-01 – 2015-10-01, 273 trading days\)/ });
    const ensemble = within(oos).getByRole('rowheader', { name: 'Ensemble' }).closest('tr')!;
    expect(ensemble.textContent).toContain('49.4% [45.4%, 53.4%]');
    expect(ensemble.textContent).toContain('−0.018 [−0.097, 0.065]');
    expect(within(oos).getByRole('rowheader', { name: 'Always rise (baseline)' })).toBeTruthy();
    expect(oos.textContent).toContain('Walk-forward: refitted monthly.');
    unmount();

    mockFetch({ '/api/models': json(fx.models) });
    render(<ModelsPage />);
    await screen.findByRole('region', { name: 'Loaded models' });
    expect(screen.queryByRole('region', { name: /Measured out of sample/ })).toBeNull();
  });

  it('shows empty and warm-up states', async () => {
    mockFetch({ '/api/models': json({ models: [], signals: [] }) });
    render(<ModelsPage />);
    expect(await screen.findByText('No models loaded')).toBeTruthy();
    expect(screen.getByText('No scored predictions yet: replay warming up')).toBeTruthy();
  });

  it('shows errors', async () => {
    mockFetch({ '/api/models': problem(500, 'Model registry failed', 'models/price.onnx is missing') });
    render(<ModelsPage />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Model registry failed');
    expect(alert.textContent).toContain('models/price.onnx is missing');
  });

  it('never leaves the loading state for a hung request (stays loading)', () => {
    mockFetch({ '/api/models': pending });
    render(<ModelsPage />);
    expect(screen.getByRole('status')).toBeTruthy();
  });
});
