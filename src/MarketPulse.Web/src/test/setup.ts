import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { resetResources } from '../api/live';
import { inertRealtime, setRealtime } from '../api/realtime';

beforeEach(() => {
  resetResources();
  // Page tests exercise polling; the SignalR transport has its own tests (realtime.test.ts).
  setRealtime(inertRealtime);
  window.history.replaceState(null, '', '/');
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
