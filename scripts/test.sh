#!/usr/bin/env bash
# Runs every test on a fresh machine: installs Azurite (npm), builds the solution and runs the xUnit suites. Each test
# process starts its own in-memory Azurite on free loopback ports (tests/Twin.Testing/AzuriteFixture.cs), so two runs
# on one machine never share storage. Tests use real Azurite and real HTTP over loopback.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund
dotnet build Twin.Functions.sln -c Release --nologo -v quiet
node --test tests/widget/
# A test that hangs is reported with its name (and a dump) after 5 minutes instead of stalling the run.
dotnet test Twin.Functions.sln -c Release --no-build --nologo --blame-hang-timeout 5m "$@"
