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
