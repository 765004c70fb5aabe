#!/usr/bin/env bash
# Runs the app on a fresh machine: installs Azurite (npm), starts it, creates local.settings.json from the sample
# when missing, and serves the Functions app on http://127.0.0.1:7071 through Twin.LocalHost.
# With no LLM configured it answers offline (model twin-offline).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# npm ci (package-lock.json) brings Azurite and Chart.js, which the build embeds in the dashboard: before the build.
{ [ -x node_modules/.bin/azurite ] && [ -f node_modules/chart.js/dist/chart.umd.min.js ]; } || npm ci --no-audit --no-fund
[ -f local.settings.json ] || { cp local.settings.sample.json local.settings.json; echo "Created local.settings.json from local.settings.sample.json."; }
# A copy made before a feature added settings (timer schedules the host needs to start) gets the new ones, yours kept.
node scripts/add-new-settings.mjs local.settings.sample.json local.settings.json
started_azurite=0
if [ ! -f .azurite/azurite.pid ]; then
  bash scripts/azurite.sh start
  [ -f .azurite/azurite.pid ] && started_azurite=1
fi
trap '[ "$started_azurite" = 1 ] && bash scripts/azurite.sh stop' EXIT
dotnet build src/Twin.LocalHost -c Release --nologo -v quiet
dotnet run --project src/Twin.LocalHost -c Release --no-build -- "$@"
