// A tiny stand-in for the gateway: serves the built SPA (index.html fallback) and the fixture JSON under
// e2e/fixtures with the REST paths of design.md §5. Usage: PORT=5099 node e2e/fixture-server.mjs
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const staticDir = resolve(process.env.STATIC_DIR ?? join(here, '..', '..', 'MarketPulse.Server', 'wwwroot'));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json' };

const json = (res, status, body, type = 'application/json; charset=utf-8') => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};
const problem = (res, status, title, detail) =>
  json(res, status, { type: `https://httpstatuses.io/${status}`, title, status, detail }, 'application/problem+json');
const fixture = (p) => {
  const file = join(fixtures, p);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
};

function api(url, res) {
  const path = url.pathname;
  if (path === '/api/tickers') return json(res, 200, fixture('tickers.json'));
  if (path === '/api/models') return json(res, 200, fixture('models.json'));
  if (path === '/api/system') return json(res, 200, { ...fixture('system.json'), atUtc: new Date().toISOString() });
  const m = /^\/api\/tickers\/([^/]+)(?:\/(bars|predictions|posts|forecasts|indicators))?$/.exec(path);
  if (!m) return problem(res, 404, 'Not Found', `No API route for ${path}.`);
  const sym = decodeURIComponent(m[1]).toUpperCase();
  if (!/^[A-Z0-9.\-]{1,12}$/.test(sym) || !fixture(`tickers/${sym}.json`))
    return problem(res, 404, 'Unknown symbol', `MarketPulse does not track '${sym}'.`);
  switch (m[2]) {
    case undefined:
      return json(res, 200, fixture(`tickers/${sym}.json`));
    case 'bars': {
      const interval = url.searchParams.get('interval') ?? '1d';
      if (interval !== '1d' && interval !== '1m') return problem(res, 400, 'Invalid interval', "interval must be '1m' or '1d'.");
      return json(res, 200, interval === '1d' ? fixture(`bars/${sym}.json`) : []);
    }
    case 'predictions': {
      const signal = url.searchParams.get('signal');
      const all = fixture(`predictions/${sym}.json`);
      return json(res, 200, signal ? all.filter((r) => r.prediction.signal === signal) : all);
    }
    case 'forecasts':
    case 'indicators':
      // The recorded fixtures predate both: an empty history, as a service that has not scored anything yet serves.
      return json(res, 200, fixture(`${m[2]}/${sym}.json`) ?? []);
    case 'posts': {
      const limit = Math.max(1, Math.min(200, Number(url.searchParams.get('limit') ?? 50) || 50));
      return json(res, 200, fixture(`posts/${sym}.json`).slice(0, limit));
    }
  }
}

function file(url, res) {
  let rel;
  try {
    rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
  } catch {
    rel = '';
  }
  let target = join(staticDir, rel);
  if (!target.startsWith(staticDir + sep) || !existsSync(target) || !statSync(target).isFile()) target = join(staticDir, 'index.html');
  if (!existsSync(target)) return problem(res, 500, 'SPA not built', `Run npm run build first (looked in ${staticDir}).`);
  res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
  res.end(readFileSync(target));
}

export function startFixtureServer(port = 0) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'Method Not Allowed', 'Fixtures are read-only.');
    if (url.pathname.startsWith('/health/')) return json(res, 200, { status: 'Healthy' });
    if (url.pathname.startsWith('/api/')) return api(url, res);
    return file(url, res);
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startFixtureServer(Number(process.env.PORT ?? 5099));
  console.log(`fixture gateway on http://127.0.0.1:${server.address().port} (static: ${staticDir})`);
}
