// Measures ingest → SignalR push latency against a running service (Local profile, replay off):
//   dotnet run --project src/MarketPulse.Server -c Release -- --MarketPulse:Replay:Enabled=false --MarketPulse:Api:Keys:0=k --urls http://127.0.0.1:5393
//   node e2e/push-latency.mjs [baseUrl] [apiKey]
// Sends one tick at a time for a fresh random symbol and waits for the push that includes it (ticksApplied); 20 warm-up rounds,
// then 200 measured. Prints one JSON line. A measurement, not a test.
import * as signalRModule from '@microsoft/signalr';
const signalR = signalRModule.default ?? signalRModule;
const base = process.argv[2] ?? 'http://127.0.0.1:5393';
const key = process.argv[3] ?? 'k';
const symbol = 'LT' + Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
const c = new signalR.HubConnectionBuilder().withUrl(base + '/hubs/market', { transport: signalR.HttpTransportType.WebSockets }).configureLogging(signalR.LogLevel.Warning).build();
let waiter = null;
c.on('TickerUpdated', (p) => { if (waiter && p.ticker.ticksApplied >= waiter.n) { const w = waiter; waiter = null; w.resolve(); } });
await c.start();
await c.invoke('Subscribe', [symbol]);
const ms = [];
for (let i = 1; i <= 220; i++) {
  const t = new Date(Date.UTC(2024, 4, 1, 14, 30, 0) + i * 1000).toISOString();
  const p = new Promise((resolve) => (waiter = { n: i, resolve }));
  const t0 = performance.now();
  const r = await fetch(base + '/api/ingest/ticks', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify([{ symbol, time: t, price: 10 + (i % 5), size: 1 }]) });
  if (!r.ok) throw new Error(await r.text());
  await p;
  if (i > 20) ms.push(performance.now() - t0); // first 20 warm up
}
ms.sort((a, b) => a - b);
const q = (f) => ms[Math.min(ms.length - 1, Math.floor(f * ms.length))].toFixed(1);
console.log(JSON.stringify({ n: ms.length, p50_ms: q(0.5), p90_ms: q(0.9), p99_ms: q(0.99), max_ms: ms[ms.length - 1].toFixed(1) }));
await c.stop();
