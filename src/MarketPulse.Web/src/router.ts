// A tiny history router: three routes do not need a library. The gateway (and the dev server) fall back
// to index.html for unknown paths, so deep links such as /t/AAPL work on reload.
import { createElement, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export type Route =
  | { name: 'overview' }
  | { name: 'ticker'; symbol: string }
  | { name: 'models' }
  | { name: 'system' }
  | { name: 'notFound'; path: string };

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'overview' };
  if (path === '/models') return { name: 'models' };
  if (path === '/system') return { name: 'system' };
  const m = /^\/t\/([^/]+)$/.exec(path);
  if (m) {
    let symbol: string;
    try {
      symbol = decodeURIComponent(m[1]);
    } catch {
      symbol = m[1];
    }
    return { name: 'ticker', symbol: symbol.toUpperCase() };
  }
  return { name: 'notFound', path: pathname };
}

export const tickerPath = (symbol: string) => `/t/${encodeURIComponent(symbol.toUpperCase())}`;

const EVENT = 'marketpulse:navigate';

export function navigate(to: string, replace = false): void {
  if (to === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
  window.scrollTo?.(0, 0);
}

function subscribe(cb: () => void) {
  window.addEventListener('popstate', cb);
  window.addEventListener(EVENT, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(EVENT, cb);
  };
}

const getPath = () => window.location.pathname;

export function usePathname(): string {
  return useSyncExternalStore(subscribe, getPath, () => '/');
}

export function useRoute(): Route {
  return parseRoute(usePathname());
}

/** Ordinary anchor that navigates in-app on plain left clicks (new-tab clicks keep working). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const { to, onClick, ...rest } = props;
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return createElement('a', { ...rest, href: to, onClick: handle });
}
