#!/usr/bin/env bash
# The project's one test command (README): .NET tests, then the SPA's tests and the infra checks where their tools exist.
# .ci/run installs those tools first; on a machine with only the .NET SDK the .NET suite still runs and the rest is reported as skipped.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0; failed=0; skipped=0; status=0
skips=()  # what was not run, and why; printed before the last line
log=$(mktemp)

# Normal verbosity so that xunit prints each skipped test's reason; the per-test "Passed" lines stay in the log only.
dotnet test MarketPulse.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log" | grep -v '^  Passed '
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# Sum the per-assembly summaries ("Total tests: 20", "     Passed: 16", "     Failed: 2", "    Skipped: 2"; a zero
# count is left out).
while read -r kind n; do
  case "$kind" in Passed) passed=$((passed + n)) ;; Failed) failed=$((failed + n)) ;; Skipped) skipped=$((skipped + n)) ;; esac
done < <(sed -nE 's/^ +(Passed|Failed|Skipped): +([0-9]+)$/\1 \2/p' "$log")
# The failed tests by name with the head of their error message, repeated here because the log above is long.
failures=$(awk '/^  Failed [^ ]/ { print; n = 8; next } n > 0 && /^  Stack Trace:/ { n = 0; next } n > 0 { print; n-- }' "$log")
# Skipped tests (a shared data set or a server absent, CI unset), counted by reason: xunit prints the reason on the
# line after "<test> [SKIP]".
if [ "$skipped" -gt 0 ]; then
  skips+=("$skipped .NET tests:")
  while IFS= read -r line; do skips+=("  $line"); done < <(
    awk '/\[SKIP\]$/ { want = 1; next } want { sub(/^\[xUnit\.net [0-9:.]+\] +/, ""); print; want = 0 }' "$log" |
      sort | uniq -c | sort -rn | sed -E 's/^ *([0-9]+) (.*)/\1 × \2/')
fi

# Formatting and the import order of .editorconfig (the .NET runtime's conventions): a file dotnet format would change
# fails the run; `dotnet format MarketPulse.sln` fixes it.
if dotnet format MarketPulse.sln --verify-no-changes --no-restore; then
  passed=$((passed + 1))
else
  echo "FAILED: dotnet format --verify-no-changes (run: dotnet format MarketPulse.sln)"; failed=$((failed + 1)); status=1
fi

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
      skips+=("dashboard browser test: chromium not installed")
    fi
  else
    skips+=("SPA tests: npm not installed")
  fi
fi

if [ -x infra/check.sh ]; then
  if command -v promtool >/dev/null; then
    if infra/check.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
    if infra/prometheus/e2e.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
  else
    skips+=("infra checks: promtool not installed")
  fi
fi

rm -f "$log"
if ((${#skips[@]})); then
  echo "SKIPPED (run .ci/run, or see the README's Data sets, to run them):"
  printf '  %s\n' "${skips[@]}"
fi
if [ -n "$failures" ]; then
  echo "FAILED .NET tests:"
  printf '%s\n' "$failures"
fi
echo "$passed passed, $failed failed"
exit $status
