#!/usr/bin/env bash
# Runs every test on a fresh machine: installs Azurite (npm), starts it in memory unless one already listens,
# builds the solution and runs the xUnit suites. Tests use real Azurite and real HTTP over loopback.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund
started_azurite=0
if [ ! -f .azurite/azurite.pid ]; then
  bash scripts/azurite.sh start --in-memory
  [ -f .azurite/azurite.pid ] && started_azurite=1
fi
trap '[ "$started_azurite" = 1 ] && bash scripts/azurite.sh stop' EXIT
dotnet build Twin.Functions.sln -c Release --nologo -v quiet
node --test tests/widget/
dotnet test Twin.Functions.sln -c Release --no-build --nologo "$@"
