#!/usr/bin/env bash
# Browser end-to-end check against the REAL service: starts the Release build of MarketPulse.Server on its embedded
# default (sample replay, grain state in the embedded store, here in a temporary data path) on loopback, waits until it is ready, runs e2e/dashboard.e2e.mjs in Debian's
# Chromium, stops the server. Run by ./test.sh after `dotnet test` has built the solution in Release.
#   src/MarketPulse.Web/e2e/run-with-server.sh            (E2E_PORT, E2E_SILO_PORT, E2E_GATEWAY_PORT to move the ports)
set -uo pipefail
web="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$web/../.." && pwd)"
port="${E2E_PORT:-5480}"
log="$(mktemp)"
data="$(mktemp -d)"
server="$root/src/MarketPulse.Server/bin/Release/net10.0/MarketPulse.Server"
if [ ! -x "$server" ]; then echo "[e2e] $server not built (dotnet build -c Release first)"; exit 1; fi

# The content root is the project folder, as with `dotnet run`: wwwroot, models and data/sample are found there.
(cd "$root/src/MarketPulse.Server" && exec "$server" --urls "http://127.0.0.1:$port" \
  --MarketPulse:Orleans:SiloPort="${E2E_SILO_PORT:-11480}" --MarketPulse:Orleans:GatewayPort="${E2E_GATEWAY_PORT:-30480}" \
  --MarketPulse:Local:DataPath="$data") >"$log" 2>&1 &
pid=$!
stop() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"; }
trap stop EXIT

ready=""
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "[e2e] the server did not become ready; its log:"; tail -50 "$log"; exit 1
fi
(cd "$web" && E2E_ORLEANS_DASHBOARD=1 BASE_URL="http://127.0.0.1:$port" SCREENSHOT_DIR="${SCREENSHOT_DIR:-$web/e2e/screenshots}" node e2e/dashboard.e2e.mjs)
status=$?
if [ $status -ne 0 ]; then echo "[e2e] server log (last 50 lines):"; tail -50 "$log"; fi
rm -f "$log"
exit $status
