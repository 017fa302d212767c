#!/usr/bin/env bash
# Compiles and lints the Bicep deployment with a pinned Bicep CLI restored from NuGet
# (Azure.Bicep.CommandLine.<rid>, version in tools/BicepTool.csproj). No Azure CLI needed.
# Fails on any error or warning: bicepconfig.json raises the linter rules to error, and the
# output is checked for warnings as well.
#
# Usage: bicep/build.sh [output-dir]      (ARM JSON goes to output-dir, default a temp dir)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid=linux-x64 ;;
    Linux-aarch64) rid=linux-arm64 ;;
    Darwin-x86_64) rid=osx-x64 ;;
    Darwin-arm64) rid=osx-arm64 ;;
    *) echo "build.sh: no Bicep CLI package for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

dotnet restore tools/BicepTool.csproj -p:BicepRid="$rid" --verbosity quiet
version="$(dotnet msbuild tools/BicepTool.csproj -getProperty:BicepVersion)"
packages="$(dotnet nuget locals global-packages --list | sed -e 's/^global-packages: *//')"
bicep="${packages%/}/azure.bicep.commandline.$rid/$version/tools/bicep"
[[ -x "$bicep" ]] || chmod +x "$bicep"
"$bicep" --version

out="${1:-$(mktemp -d)}"
mkdir -p "$out"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# The parameter files read secrets from the environment at build time; compile them with
# throwaway values when the caller has none (nothing is deployed from this output).
export MARKETPULSE_POSTGRES_ADMIN_PASSWORD="${MARKETPULSE_POSTGRES_ADMIN_PASSWORD:-check-only-not-a-secret}"
export MARKETPULSE_IMAGE_TAG="${MARKETPULSE_IMAGE_TAG:-check-only}"

status=0
run() {
    echo "+ bicep $*"
    "$bicep" "$@" 2>&1 | tee -a "$log" || status=1
}

run build main.bicep --outfile "$out/main.json"
run lint main.bicep
for params in parameters/*.bicepparam; do
    name="$(basename "$params" .bicepparam)"
    run build-params "$params" --outfile "$out/$name.parameters.json"
    run lint "$params"
done

warnings="$(grep -c -E ': Warning ' "$log" || true)"
errors="$(grep -c -E ': Error ' "$log" || true)"
echo "bicep: $errors error(s), $warnings warning(s); ARM JSON in $out"
if (( status != 0 || warnings > 0 || errors > 0 )); then
    exit 1
fi
