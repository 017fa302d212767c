#!/usr/bin/env bash
# The project's one test command (README): .NET tests, then the SPA's tests and the infra checks where their tools exist.
# .ci/run installs those tools first; on a machine with only the .NET SDK the .NET suite still runs and the rest is reported as skipped.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0; failed=0; status=0
log=$(mktemp)

dotnet test MarketPulse.sln -c Release 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 16, ...").
while read -r f p; do failed=$((failed + f)); passed=$((passed + p)); done < <(
  grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\1 \2/')

# A short load smoke run with wrk against the Release build that dotnet test just made (the full run: tests/load/run.sh).
if command -v wrk >/dev/null; then
  if tests/load/run.sh --smoke; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
else
  echo "SKIPPED: load smoke run (wrk not installed)"
fi

if [ -f src/MarketPulse.Web/package.json ]; then
  if command -v npm >/dev/null; then
    (cd src/MarketPulse.Web && npm ci --no-audit --no-fund && npx vitest run --reporter=default) 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    line=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^[[:space:]]*Tests[[:space:]]' | tail -1)
    p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || true)
    f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || true)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    # The dashboard in a real browser against the real service (sample replay), built in Release by dotnet test above.
    if command -v "${CHROMIUM_PATH:-chromium}" >/dev/null; then
      if src/MarketPulse.Web/e2e/run-with-server.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
    else
      echo "SKIPPED: dashboard browser test (chromium not installed)"
    fi
  else
    echo "SKIPPED: SPA tests (npm not installed)"
  fi
fi

if [ -x infra/check.sh ]; then
  if command -v promtool >/dev/null; then
    if infra/check.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
    if infra/prometheus/e2e.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
  else
    echo "SKIPPED: infra checks (promtool not installed)"
  fi
fi

rm -f "$log"
echo "$passed passed, $failed failed"
exit $status
