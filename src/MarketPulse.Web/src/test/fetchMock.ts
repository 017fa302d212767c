import { vi } from 'vitest';

export const PENDING: unique symbol = Symbol('pending');
export type Reply = { status?: number; body?: unknown; contentType?: string } | typeof PENDING;
export type Route = Reply | ((url: URL) => Reply);

export const json = (body: unknown, status = 200): Reply => ({ status, body, contentType: 'application/json' });
export const problem = (status: number, title: string, detail?: string): Reply => ({
  status,
  body: { type: 'about:blank', title, status, detail },
  contentType: 'application/problem+json',
});
/** A request that never answers (loading state). */
export const pending: Reply = PENDING;

/**
 * Stubs global fetch. Routes are matched on pathname (query ignored) — exact first, then the longest prefix
 * ending in '*'. Unmatched requests answer 404 ProblemDetails. Returns the mock to inspect calls.
 */
export function mockFetch(routes: Record<string, Route>) {
  const fn = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    let route: Route | undefined = routes[url.pathname];
    if (!route) {
      const prefix = Object.keys(routes)
        .filter((k) => k.endsWith('*') && url.pathname.startsWith(k.slice(0, -1)))
        .sort((a, b) => b.length - a.length)[0];
      route = prefix ? routes[prefix] : problem(404, 'Not Found', `no mock for ${url.pathname}`);
    }
    const reply = typeof route === 'function' ? route(url) : route;
    if (reply === PENDING) return new Promise<never>(() => {});
    const { status = 200, body, contentType = 'application/json' } = reply;
    return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': contentType },
    });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}
