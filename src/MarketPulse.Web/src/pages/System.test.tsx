import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, problem } from '../test/fetchMock';
import system from '../../e2e/fixtures/system.json';
import type { SystemSummary } from '../api/types';
import { SystemPage } from './System';

const fx: SystemSummary = system;

describe('SystemPage', () => {
  it('shows rates, latency percentiles, silos, rejections, grains and stream backlog', async () => {
    mockFetch({ '/api/system': json(fx) });
    render(<SystemPage />);
    expect(screen.getByRole('status').textContent).toContain('Loading system status…');
    expect((await screen.findByTestId('silos-active')).textContent).toBe('1 of 1');
    expect(screen.getByTestId('ticks-rate').textContent).toBe('43/s');
    expect(screen.getByTestId('latency').textContent).toBe('18 ms / 96 ms');
    const rejections = screen.getByRole('region', { name: 'Rejections by reason' });
    expect(within(rejections).getByRole('rowheader', { name: 'out_of_order' }).closest('tr')!.textContent).toContain('2');
    const grains = screen.getByRole('region', { name: 'Active grains by type' });
    expect(within(grains).getAllByRole('row')).toHaveLength(fx.grains.byType.length + 1);
    const streams = screen.getByRole('region', { name: 'Streams' });
    expect(within(streams).getByRole('rowheader', { name: 'texts' }).closest('tr')!.textContent).toContain('900');
  });

  it('says so when nothing was rejected and no batch has reached a ticker yet', async () => {
    mockFetch({ '/api/system': json({ ...fx, rejections: [], pipelineLatencyMs: { ...fx.pipelineLatencyMs, count: 0, p50: null, p90: null, p99: null, max: null } }) });
    render(<SystemPage />);
    expect(await screen.findByText('Nothing rejected')).toBeTruthy();
    expect(screen.getByText('No batches yet')).toBeTruthy();
    expect(screen.getByTestId('latency').textContent).toBe('— / —');
  });

  it('shows the error state when the API fails', async () => {
    mockFetch({ '/api/system': problem(503, 'Service Unavailable', 'The cluster is not reachable.') });
    render(<SystemPage />);
    expect((await screen.findByRole('alert')).textContent).toContain('The cluster is not reachable.');
  });
});
