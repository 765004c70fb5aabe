#!/usr/bin/env bash
# Deploy smoke test: scripts/smoke.sh BASE_URL [ADMIN_KEY]
# Checks a running app (deployed, or the local host) end to end: health, the OpenAPI document, an admin route refusing
# anonymous callers, a twin of its own with a widget origin (preflight), a share link whose URL uses the app's public
# base URL (PUBLIC_BASE_URL, default BASE_URL), and a chat through that link whose caller X-Trace-Id comes back
# unchanged. Prints one line per check; exits 1 if any failed. Every request has a deadline; the twin is deleted at the end.
set -uo pipefail
base="${1:?usage: scripts/smoke.sh BASE_URL [ADMIN_KEY]}"
base="${base%/}"
key="${2:-${TWIN_ADMIN_KEY:-twin-local-admin-key}}"
public="${PUBLIC_BASE_URL:-$base}"
public="${public%/}"
origin="https://smoke.example"
twin="smoke-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
failures=0
body="$(mktemp)"
trap 'rm -f "$body"; curl -s -m 10 -o /dev/null -X DELETE -H "X-Api-Key: $key" "$base/api/manage/twins/$twin" || true' EXIT

# check NAME EXPECTED_STATUS CURL_ARGS... : one request, its status compared, the body kept in $body.
check() {
  local name="$1" expected="$2"
  shift 2
  local status
  status="$(curl -s -m 30 -o "$body" -w '%{http_code}' "$@")" || status="000"
  if [ "$status" = "$expected" ]; then
    echo "ok    $name ($status)"
    return 0
  fi
  echo "FAIL  $name: HTTP $status, expected $expected: $(head -c 300 "$body")"
  failures=$((failures + 1))
  return 1
}

# json FIELD: a top-level string field of the last body (node is already needed for Azurite and the widget tests).
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v==null?"":String(v))}catch{}})' "$1" < "$body"; }

check "health" 200 "$base/api/health"
if check "openapi document" 200 "$base/api/openapi.json" && [ -z "$(json openapi)" ]; then
  echo "FAIL  openapi document: no 'openapi' version field"; failures=$((failures + 1))
fi
check "admin route refuses anonymous callers" 401 "$base/api/manage/twins"
check "create a smoke twin" 201 -X POST -H "X-Api-Key: $key" -H "Content-Type: application/json" \
  -d "{\"id\":\"$twin\",\"name\":\"Smoke\",\"persona\":\"You are a smoke test.\",\"knowledge\":[\"I check deployments.\"],\"allowedOrigins\":[\"$origin\"]}" \
  "$base/api/manage/twins"
check "widget preflight for an allowed origin" 204 -X OPTIONS -H "Origin: $origin" -H "Access-Control-Request-Method: POST" \
  -H "Access-Control-Request-Headers: content-type" "$base/api/chat-widget/$twin"
if check "create a share link" 201 -X POST -H "X-Api-Key: $key" "$base/api/manage/twins/$twin/share-tokens"; then
  url="$(json url)"
  token="$(json token)"
  case "$url" in
    "$public"/*) echo "ok    share link uses the public base URL ($public)" ;;
    *) echo "FAIL  share link URL '$url' does not start with '$public'"; failures=$((failures + 1)) ;;
  esac
  trace="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  headers="$(mktemp)"
  if check "chat through the share link" 200 -D "$headers" -X POST -H "Content-Type: application/json" -H "X-Trace-Id: $trace" \
    -d '{"message":"What do you check?"}' "$base/api/public/chat/$twin/$token"; then
    echo_trace="$(tr -d '\r' < "$headers" | sed -nE 's/^[Xx]-[Tt]race-[Ii]d: *//p' | head -1)"
    if [ "$echo_trace" = "$trace" ]; then
      echo "ok    the caller's X-Trace-Id came back unchanged"
    else
      echo "FAIL  X-Trace-Id: sent $trace, got '$echo_trace'"; failures=$((failures + 1))
    fi
  fi
  rm -f "$headers"
fi

if [ "$failures" -gt 0 ]; then
  echo "smoke: $failures check(s) failed against $base"
  exit 1
fi
echo "smoke: all checks passed against $base"
