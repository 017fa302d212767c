#!/usr/bin/env bash
# Static checks for the deployment assets. Installs nothing; expects on PATH:
#   promtool (Debian/Ubuntu: `apt-get install prometheus`), dotnet (for bicep/build.sh),
#   python3 (YAML/JSON well-formedness of compose and Grafana files).
# Usage: infra/check.sh            (from anywhere; exits non-zero on the first failure)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n== %s\n' "$*"; }

for tool in promtool python3 dotnet; do
    command -v "$tool" >/dev/null || { echo "check.sh: '$tool' not found on PATH" >&2; exit 1; }
done

step "promtool check config infra/prometheus/prometheus.yml"
promtool check config infra/prometheus/prometheus.yml

step "promtool check rules infra/prometheus/alerts.yml"
promtool check rules infra/prometheus/alerts.yml

step "promtool test rules infra/prometheus/alerts.test.yml"
promtool test rules infra/prometheus/alerts.test.yml

step "YAML and JSON well-formedness (compose, Grafana provisioning and dashboards)"
python3 infra/validate_files.py

step "bicep/build.sh"
bicep/build.sh

printf '\ncheck.sh: all checks passed\n'
