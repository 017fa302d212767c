#!/usr/bin/env bash
# Load on the real service with wrk (Debian package): GET /api/tickers/{symbol} and POST /api/ingest/ticks.
#   tests/load/run.sh            full run (30 s each, 4 threads, 64 connections), the figures in docs/performance.md
#   tests/load/run.sh --smoke    3 s each: CI's check that the service holds up under concurrency (no errors, no 5xx)
# Needs a Release build of the server (dotnet build src/MarketPulse.Server -c Release, or dotnet test of the solution).
# Rate limits are raised for the run: with the defaults one address is held to 6,000 requests a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=30s; connections=64; threads=4
[ "${1:-}" = "--smoke" ] && { duration=3s; connections=16; threads=2; }
command -v wrk >/dev/null || { echo "SKIPPED: load run (wrk not installed; apt-get install wrk)"; exit 0; }
dll=src/MarketPulse.Server/bin/Release/net10.0/MarketPulse.Server.dll
[ -f "$dll" ] || { echo "load run: build the server first (dotnet build src/MarketPulse.Server -c Release)"; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
key="load-$RANDOM$RANDOM"
log=$(mktemp)
(cd "$(dirname "$dll")" && exec dotnet MarketPulse.Server.dll --urls "http://127.0.0.1:$port" \
  --MarketPulse:Replay:Enabled=false --MarketPulse:Api:Keys:0="$key" \
  --MarketPulse:Orleans:SiloPort=$((port + 1)) --MarketPulse:Orleans:GatewayPort=$((port + 2)) \
  --MarketPulse:Api:RequestsPerMinutePerIp=100000000 --MarketPulse:Api:RequestsPerMinutePerPrincipal=100000000 \
  --MarketPulse:Api:IngestRequestsPerMinute=100000000 --Logging:LogLevel:Default=Warning) >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -fs "$base/health/ready" >/dev/null && break; sleep 0.5; done
curl -fs "$base/health/ready" >/dev/null || { echo "load run: server did not become ready"; cat "$log"; exit 1; }

# One ticker with history to read.
body=$(python3 -c 'import json; print(json.dumps([{"symbol":"AAPL","time":f"2024-05-01T14:{30+i//60:02d}:{i%60:02d}Z","price":180+i%7,"size":100} for i in range(600)]))')
curl -fs -X POST "$base/api/ingest/ticks" -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d "$body" >/dev/null
# Ingest is acknowledged once queued; wait until the ticker answers.
for _ in $(seq 1 100); do curl -fs "$base/api/tickers/AAPL" >/dev/null && break; sleep 0.1; done

fail=0
run() { # name, wrk args…
  local name=$1; shift
  local out; out=$(wrk --latency -t"$threads" -c"$connections" -d"$duration" "$@")
  local rps p50 p99 total non2xx errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  errors=$(grep -oE 'Socket errors:.*' <<<"$out" || true)
  echo "$name: ${rps} req/s, p50 ${p50}, p99 ${p99}, ${total} requests, non-2xx ${non2xx}${errors:+, $errors} ($threads threads, $connections connections, $duration)"
  if [ "$non2xx" != 0 ] || [ -n "$errors" ] || [ -z "$rps" ]; then echo "$out"; fail=1; fi
}
run "GET /api/tickers/AAPL" "$base/api/tickers/AAPL"
KEY="$key" BATCH=10 run "POST /api/ingest/ticks (10 trades each)" -s tests/load/ingest.lua "$base"
exit $fail
