#!/usr/bin/env bash
# Starts Azurite from node_modules on 127.0.0.1 unless something already listens on its ports.
# Usage: scripts/azurite.sh start [--in-memory] | stop
# Only an Azurite this script started is stopped (its pid is in .azurite/azurite.pid).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.azurite"
pidfile="$state/azurite.pid"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "${1:-start}" in
  start)
    if listening 10000 && listening 10001 && listening 10002; then
      echo "Azurite: already listening on 127.0.0.1:10000-10002; using it."
      exit 0
    fi
    [ -x "$root/node_modules/.bin/azurite" ] || (cd "$root" && npm ci --no-audit --no-fund)
    mkdir -p "$state"
    persistence=(--location "$state/data")
    [ "${2:-}" = "--in-memory" ] && persistence=(--inMemoryPersistence)
    nohup "$root/node_modules/.bin/azurite" --silent --skipApiVersionCheck --disableTelemetry "${persistence[@]}" \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >"$state/azurite.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      if listening 10000 && listening 10001 && listening 10002; then
        echo "Azurite: started (pid $(cat "$pidfile")), log in .azurite/azurite.log."
        exit 0
      fi
      sleep 0.2
    done
    echo "Azurite did not start; see $state/azurite.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
      echo "Azurite: stopped."
    fi
    ;;
  *) echo "usage: $0 start [--in-memory] | stop" >&2; exit 2 ;;
esac
