#!/usr/bin/env bash
# Runs every test on a fresh machine: installs Azurite and Chart.js (npm) and Chromium (apt, for the dashboard's
# browser test), builds the solution and runs the xUnit suites. Each test process starts its own in-memory Azurite on
# free loopback ports (tests/Twin.Testing/AzuriteFixture.cs), so two runs on one machine never share storage. Tests
# use real Azurite, real HTTP over loopback and a real headless browser.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# npm ci (package-lock.json) brings Azurite and Chart.js, which the build embeds in the dashboard: before the build.
{ [ -x node_modules/.bin/azurite ] && [ -f node_modules/chart.js/dist/chart.umd.min.js ]; } || npm ci --no-audit --no-fund
# The dashboard's browser test (tests/Twin.Functions.Tests/Dashboard) drives Debian's Chromium at /usr/bin/chromium.
# Installed here as root with apt-get; elsewhere install it yourself (the test then fails naming this step).
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq chromium >/dev/null; } \
      || echo "scripts/test.sh: installing chromium with apt-get failed; the dashboard browser test will fail." >&2
  else
    echo "scripts/test.sh: chromium is missing and cannot be installed here (needs root and apt-get): run 'apt-get install -y chromium'; the dashboard browser test will fail." >&2
  fi
fi
# Compiles and lints infra/ with the Bicep CLI from NuGet (offline, seconds); any warning fails (infra/bicepconfig.json).
dotnet msbuild infra/Infra.Lint.csproj -restore -t:BicepCheck -warnaserror -nologo -v:m
dotnet build Twin.Functions.sln -c Release --nologo -v quiet
node --test tests/widget/
# A test that hangs is reported with its name (and a dump) after 5 minutes instead of stalling the run.
dotnet test Twin.Functions.sln -c Release --no-build --nologo --blame-hang-timeout 5m "$@"
