#!/usr/bin/env bash
# End-to-end check of the metrics path: the real service (replaying the sample) scraped by a real Prometheus on loopback,
# then Prometheus' HTTP API is asked for MarketPulse's series. Needs: prometheus (Debian package), python3, and the
# service built in Release (test.sh builds it). Bounded: gives up after 60 s; stops both processes on exit.
# A SignalR client (long polling over curl, the protocol's plain-HTTP transport) subscribes to every ticker, so the
# connection gauge and the push path are exercised and the pushes it receives are checked too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dll=src/MarketPulse.Server/bin/Release/net10.0/MarketPulse.Server.dll
[ -f "$dll" ] || dotnet build src/MarketPulse.Server -c Release -v q
command -v prometheus >/dev/null || { echo "e2e: prometheus not installed (apt-get install prometheus)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
api=$(free_port); silo=$(free_port); gw=$(free_port); prom=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# One replayed trading day per second: fast enough that a minute holds dozens of closes, predictions and scores, and a
# load a 2-core machine sustains, so the latency percentiles measure the pipeline. (The replay keeps its speed whatever
# the pipeline does: at ten days per second a loaded machine falls behind and the percentiles measure the backlog.)
dotnet "$dll" --urls "http://127.0.0.1:$api" --MarketPulse:Orleans:SiloPort=$silo --MarketPulse:Orleans:GatewayPort=$gw \
  --MarketPulse:Replay:Speed=86400 --MarketPulse:Local:DataPath="$work/local" --Logging:LogLevel:Default=Warning > "$work/service.log" 2>&1 &
pids+=($!)

cat > "$work/prometheus.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [ "$root/infra/prometheus/alerts.yml" ]
scrape_configs:
  - job_name: marketpulse-gateway
    static_configs: [ { targets: [ "127.0.0.1:$api" ] } ]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$prom" > "$work/prometheus.log" 2>&1 &
pids+=($!)

# Wait for the service, then connect to /hubs/market: negotiate, handshake, subscribe to "*", and keep long-polling.
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$api/health/ready" >/dev/null && break; sleep 1; done
hub="http://127.0.0.1:$api/hubs/market"
token=$(curl -sf -X POST "$hub/negotiate?negotiateVersion=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["connectionToken"])')
rs=$'\x1e'
curl -sf -X POST -H 'Content-Type: text/plain' --data-binary "{\"protocol\":\"json\",\"version\":1}$rs" "$hub?id=$token" >/dev/null
curl -sf -X POST -H 'Content-Type: text/plain' --data-binary "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[[\"*\"]]}$rs" "$hub?id=$token" >/dev/null
( while curl -sf -m 100 "$hub?id=$token" >> "$work/pushes.txt"; do :; done ) &
pids+=($!)

query() { curl -sf --get "http://127.0.0.1:$prom/api/v1/query" --data-urlencode "query=$1" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(max((float(x["value"][1]) for x in r), default=float("nan")))'; }

declare -A want=(
  ['up{job="marketpulse-gateway"}']='== 1'
  ['sum(marketpulse_ticks_ingested_total{source="replay:stocknet"})']='> 0'
  ['sum(marketpulse_texts_ingested_total{source="replay:stocknet"})']='> 0'
  ['sum(marketpulse_predictions_emitted_total{signal="ensemble"})']='> 0'
  ['sum(marketpulse_predictions_scored_total)']='> 0'
  ['histogram_quantile(0.99, sum by (le) (rate(marketpulse_pipeline_latency_milliseconds_bucket[30s])))']='< 5000'
  ['sum(signalr_server_active_connections)']='>= 1'
  ['sum(marketpulse_push_messages_total{kind="ticker"})']='> 0'
  ['histogram_quantile(0.99, sum by (le) (rate(marketpulse_push_latency_milliseconds_bucket[30s])))']='< 5000'
  ['sum(marketpulse_stream_batches_delivered_total{namespace="ticks"})']='> 0'
  ['marketpulse:stream_queue_depth:batches']='< 1000'
  ['marketpulse:brier:6h{signal="ensemble"}']='< 0.5'
)
deadline=$((SECONDS + 60))
for q in "${!want[@]}"; do
  while :; do
    v=$(query "$q" 2>/dev/null || echo nan)
    if [ "$v" != nan ] && python3 -c "import sys; sys.exit(0 if float('$v') ${want[$q]} else 1)"; then
      echo "e2e: $q = $v (${want[$q]})"; break
    fi
    if ((SECONDS > deadline)); then
      echo "e2e: FAILED: $q = $v, wanted ${want[$q]}" >&2
      tail -n 20 "$work/service.log" "$work/prometheus.log" >&2
      exit 1
    fi
    sleep 1
  done
done
grep -q '"target":"TickerUpdated"' "$work/pushes.txt" || { echo "e2e: FAILED: the SignalR client received no TickerUpdated push" >&2; exit 1; }
echo "e2e: the long-polling SignalR client received $(grep -o '"target":"TickerUpdated"' "$work/pushes.txt" | wc -l) TickerUpdated pushes"
firing=$(curl -sf "http://127.0.0.1:$prom/api/v1/rules" | python3 -c 'import json,sys; print(sum(len(g["rules"]) for g in json.load(sys.stdin)["data"]["groups"]))')
echo "e2e: Prometheus loaded $firing alert rules and sees MarketPulse's metrics"
