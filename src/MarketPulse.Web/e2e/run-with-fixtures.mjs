// Runs the browser e2e script against the fixture gateway: `npm run build && npm run e2e:fixtures`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureServer } from './fixture-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const server = await startFixtureServer(0);
const base = `http://127.0.0.1:${server.address().port}`;
console.log(`fixture gateway on ${base}`);
const child = spawn(process.execPath, [join(here, 'dashboard.e2e.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, BASE_URL: base, SCREENSHOT_DIR: process.env.SCREENSHOT_DIR ?? join(here, 'screenshots'), E2E_TIMEOUT_MS: process.env.E2E_TIMEOUT_MS ?? '15000', E2E_FORECASTS: '0' },
});
child.on('exit', (code, signal) => {
  server.close();
  process.exit(code ?? (signal ? 1 : 0));
});
