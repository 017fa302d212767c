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
let lastBars = null;

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
  // The number of daily bars in the last /bars answer the page received: the chart must draw one candle per bar.
  page.on('response', async (r) => {
    if (/\/api\/tickers\/[^/]+\/bars\b/.test(r.url()) && r.ok()) {
      try { lastBars = (await r.json()).length; } catch { /* a navigation may drop the body */ }
    }
  });

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
  await page.waitForSelector('[data-testid="price-chart"] canvas', { timeout: TIMEOUT });
  await page.waitForSelector('[data-testid="prediction"] .dir-up, [data-testid="prediction"] .dir-down', { timeout: TIMEOUT });
  const call = (await page.locator('[data-testid="prediction"] .dir').first().textContent())?.trim();
  // The signals table lists the ensemble's own latest call beside the other signals' calls.
  await page.waitForSelector('tr[data-signal="ensemble"] .dir-up, tr[data-signal="ensemble"] .dir-down', { timeout: TIMEOUT });
  const ensembleRow = (await page.locator('tr[data-signal="ensemble"] td').first().textContent())?.trim();
  log(`signals table: ensemble row "${ensembleRow}"`);
  // lightweight-charts draws on canvases: one candle per daily bar received (the component sets data-candles from the
  // series it hands the library), and the candles' theme colours really on the canvas.
  const chart = page.locator('[data-testid="price-chart"]');
  const deadline = Date.now() + TIMEOUT;
  let candles = 0;
  for (;;) {
    candles = Number(await chart.getAttribute('data-candles'));
    if (candles > 0 && candles === lastBars) break;
    if (Date.now() > deadline) throw new Error(`chart shows ${candles} candles, the last /bars answer had ${lastBars} bars`);
    await page.waitForTimeout(250);
  }
  const painted = await page.evaluate(() => {
    const css = getComputedStyle(document.documentElement);
    const rgb = (v) => { const n = parseInt(css.getPropertyValue(v).trim().slice(1), 16); return [(n >> 16) & 255, (n >> 8) & 255, n & 255]; };
    const want = [rgb('--up'), rgb('--down')];
    let hits = 0;
    for (const c of document.querySelectorAll('[data-testid="price-chart"] canvas')) {
      const ctx = c.getContext('2d');
      if (!ctx || !c.width || !c.height) continue;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4)
        if (d[i + 3] > 250 && want.some(([r, g, b]) => Math.abs(d[i] - r) < 4 && Math.abs(d[i + 1] - g) < 4 && Math.abs(d[i + 2] - b) < 4)) hits++;
    }
    return hits;
  });
  if (painted < 200) throw new Error(`the chart's canvases show ${painted} pixels in the candle colours: nothing drawn`);
  const attribution = await page.locator('[data-testid="price-chart"] a[href^="https://www.tradingview.com"]').count();
  if (attribution < 1) throw new Error('no TradingView attribution link beside the chart');
  // The crosshair drives the readout: away from the chart it shows the last candle's day (the summary's last day),
  // hovering an earlier day shows that day, and leaving shows the last one again.
  const readout = chart.locator('.readout-day');
  const readoutIs = (want) => page.waitForFunction(([w]) => {
    const t = document.querySelector('[data-testid="price-chart"] .readout-day')?.textContent;
    return w.startsWith('!') ? t && t !== w.slice(1) : t === w;
  }, [want], { timeout: 5000 });
  const box = await chart.locator('.chart-canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, Math.max(0, box.y - 60));
  const lastDay = (await chart.locator('[role="img"]').getAttribute('aria-label')).match(/ to (\d{4}-\d{2}-\d{2});/)?.[1];
  await readoutIs(lastDay);
  await page.mouse.move(box.x + box.width * 0.25, box.y + 80);
  await readoutIs(`!${lastDay}`);
  const hovered = await readout.textContent();
  await page.mouse.move(box.x + box.width / 2, Math.max(0, box.y - 60));
  await readoutIs(lastDay);
  log(`crosshair: readout ${lastDay}, ${hovered} while hovering a quarter of the way in`);
  log(`detail ${symbol}: chart with ${candles} candles (${painted} pixels in the candle colours), call "${call}"`);
  if (FORECASTS) {
    // The next session's expected move and its price ranges, from the forecast grain.
    await page.waitForFunction(() => /±\d/.test(document.querySelector('[data-testid="forecast-move"]')?.textContent ?? ''), null,
      { timeout: TIMEOUT, polling: 500 });
    const move = (await page.locator('[data-testid="forecast-move"]').textContent())?.trim();
    const ranges = (await page.locator('[data-testid="forecast"] dl.kv >> nth=0').textContent())?.replace(/\s+/g, ' ').trim();
    if (!/80 % range\s*[\d.,]+ – [\d.,]+/.test(ranges ?? '')) throw new Error(`forecast card without an 80 % price range: "${ranges}"`);
    log(`forecast: expected move ${move}; ${ranges?.slice(0, 80)}`);
    // On the chart: the bands of the forecast days, the realised moves of the scored ones, the volatility and the
    // server's RSI and MACD series.
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="price-chart"]');
      return ['data-band-days', 'data-moves', 'data-volatility-days', 'data-rsi-points', 'data-macd-points'].every((a) => Number(el?.getAttribute(a)) > 0);
    }, null, { timeout: TIMEOUT, polling: 500 });
    const attrs = await chart.evaluate((el) => Object.fromEntries([...el.attributes].filter((a) => a.name.startsWith('data-') && a.name !== 'data-testid').map((a) => [a.name.slice(5), Number(a.value)])));
    log(`chart series: ${JSON.stringify(attrs)}`);
  }
  await page.waitForSelector('#card-history ~ * table, #card-history ~ .state', { timeout: TIMEOUT }).catch(() => undefined);
  await page.mouse.move(0, 0); // no crosshair in the screenshots
  await chart.screenshot({ path: join(SHOTS, '02-chart.png') });
  log(`screenshot ${join(SHOTS, '02-chart.png')}`);
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
