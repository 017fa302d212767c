// Browser end-to-end check of the dashboard against a running gateway (or the fixture server).
//   BASE_URL=http://localhost:5080 SCREENSHOT_DIR=/tmp/shots node e2e/dashboard.e2e.mjs
// Uses Debian's Chromium through playwright-core (no browser download). Exits non-zero on failure.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL ?? 'http://localhost:5080').replace(/\/+$/, '');
const SHOTS = resolve(process.env.SCREENSHOT_DIR ?? 'e2e/screenshots');
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 90000); // a real replay may need a while to warm up
const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The recorded fixtures predate the forecasts; against the real service they must show.
const FORECASTS = process.env.E2E_FORECASTS !== '0';
mkdirSync(SHOTS, { recursive: true });

const log = (...a) => console.log('[e2e]', ...a);
const pageErrors = [];
let browser;
let page;

async function shot(name) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  log(`screenshot ${path}`);
}

async function main() {
  browser = await chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, colorScheme: 'dark' });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && pageErrors.push(m.text()));

  // 1. Overview: wait for at least one ticker row that shows a price.
  log(`open ${BASE_URL}/`);
  await page.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('heading', { name: 'Market overview' }).waitFor({ timeout: 15000 });
  const symbol = await page.waitForFunction(
    () => {
      for (const row of document.querySelectorAll('tr[data-symbol]')) {
        const price = row.querySelector('[data-testid="last-price"]')?.textContent ?? '';
        if (/\d/.test(price)) return row.getAttribute('data-symbol');
      }
      return null;
    },
    null,
    { timeout: TIMEOUT, polling: 500 },
  ).then((h) => h.jsonValue());
  const rows = await page.locator('tr[data-symbol]').count();
  log(`overview shows ${rows} tickers; first priced: ${symbol}`);
  if (FORECASTS) {
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="expected-move"]')].some((c) => /±\d/.test(c.textContent ?? '')),
      null,
      { timeout: TIMEOUT, polling: 500 },
    );
  }
  await shot('01-overview');

  // 2. Click it: the detail page must show the chart and a prediction.
  await page.locator(`tr[data-symbol="${symbol}"] a`).first().click();
  await page.waitForURL((u) => u.pathname === `/t/${encodeURIComponent(symbol)}`, { timeout: 10000 });
  await page.getByRole('heading', { level: 1, name: symbol }).waitFor({ timeout: 10000 });
  await page.waitForSelector('[data-testid="price-chart"] svg path.line', { timeout: TIMEOUT });
  await page.waitForSelector('[data-testid="prediction"] .dir-up, [data-testid="prediction"] .dir-down', { timeout: TIMEOUT });
  const call = (await page.locator('[data-testid="prediction"] .dir').first().textContent())?.trim();
  // The signals table lists the ensemble's own latest call beside the other signals' calls.
  await page.waitForSelector('tr[data-signal="ensemble"] .dir-up, tr[data-signal="ensemble"] .dir-down', { timeout: TIMEOUT });
  const ensembleRow = (await page.locator('tr[data-signal="ensemble"] td').first().textContent())?.trim();
  log(`signals table: ensemble row "${ensembleRow}"`);
  const points = await page.locator('[data-testid="price-chart"] svg path.line').getAttribute('d').then((d) => (d?.match(/[ML]/g) ?? []).length);
  log(`detail ${symbol}: chart with ${points} points, call "${call}"`);
  if (FORECASTS) {
    // The next session's expected move and its price ranges, from the forecast grain.
    await page.waitForFunction(() => /±\d/.test(document.querySelector('[data-testid="forecast-move"]')?.textContent ?? ''), null,
      { timeout: TIMEOUT, polling: 500 });
    const move = (await page.locator('[data-testid="forecast-move"]').textContent())?.trim();
    const ranges = (await page.locator('[data-testid="forecast"] dl').textContent())?.replace(/\s+/g, ' ').trim();
    if (!/80 % range\s*[\d.,]+ – [\d.,]+/.test(ranges ?? '')) throw new Error(`forecast card without an 80 % price range: "${ranges}"`);
    log(`forecast: expected move ${move}; ${ranges?.slice(0, 80)}`);
  }
  await page.waitForSelector('#card-history ~ * table, #card-history ~ .state', { timeout: TIMEOUT }).catch(() => undefined);
  await shot('02-detail');

  // 3. Models page renders (data or warm-up state).
  await page.getByRole('link', { name: 'Models' }).click();
  await page.getByRole('heading', { level: 1, name: 'Models' }).waitFor({ timeout: 10000 });
  await page.waitForSelector('table, .state-warming, .state-error', { timeout: TIMEOUT });
  await shot('03-models');

  // 4. Unknown symbol shows the ProblemDetails error state, not a blank page.
  await page.goto(`${BASE_URL}/t/NOSUCHSYM`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('alert').waitFor({ timeout: 15000 });
  log(`unknown symbol: "${(await page.getByRole('alert').textContent())?.replace(/\s+/g, ' ').trim().slice(0, 80)}"`);
  await shot('04-unknown-symbol');

  // 5. System page: the service's own numbers, refreshed live (its timestamp moves).
  await page.goto(`${BASE_URL}/`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('link', { name: 'System' }).click();
  await page.getByRole('heading', { level: 1, name: 'System' }).waitFor({ timeout: 10000 });
  await page.waitForSelector('[data-testid="silos-active"]', { timeout: TIMEOUT });
  const silos = (await page.getByTestId('silos-active').textContent())?.trim();
  if (!/^[1-9]\d* of \d+$/.test(silos ?? '')) throw new Error(`System page: silos active "${silos}"`);
  const at = await page.getByTestId('system-at').textContent();
  await page.waitForFunction((before) => document.querySelector('[data-testid="system-at"]')?.textContent !== before, at, { timeout: 15000 });
  log(`system page: silos ${silos}, grains ${(await page.getByTestId('grains-total').textContent())?.trim()}, latency ${(await page.getByTestId('latency').textContent())?.trim()}; updated live`);
  await shot('05-system');

  // 6. The Orleans dashboard on the real gateway (the fixture server has none): its overview with the silo's activations.
  if (process.env.E2E_ORLEANS_DASHBOARD === '1') {
    await page.goto(`${BASE_URL}/dashboard/`, { waitUntil: 'domcontentloaded' });
    await page.getByText('Total Activations').first().waitFor({ timeout: 30000 });
    if ((await page.title()) !== 'Orleans Dashboard') throw new Error(`dashboard title "${await page.title()}"`);
    log('orleans dashboard: overview rendered');
    await shot('06-orleans-dashboard');
  }

  if (pageErrors.length) throw new Error(`page errors:\n  ${pageErrors.join('\n  ')}`);
}

try {
  await main();
  log('PASS');
  await browser?.close();
  process.exit(0);
} catch (e) {
  console.error('[e2e] FAIL:', e instanceof Error ? e.message : e);
  if (page) await shot('failure').catch(() => undefined);
  await browser?.close().catch(() => undefined);
  process.exit(1);
}
