#!/usr/bin/env bash
# Post-deploy smoke test against a running server: liveness, readiness, one real conversion that is stored and
# reads back from the history API, and the Prometheus metrics. Exits non-zero at the first failure.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  cat <<USAGE
usage: smoke-test.sh [--url URL] [--image FILE] [--api-key KEY] [--metrics-token TOKEN]
  URL defaults to http://127.0.0.1:\${PORT:-3000}; the image to scripts/deploy/fixtures/smoke-logo.png.
  API key and metrics token also come from SMOKE_API_KEY / METRICS_TOKEN.
  Prints CONVERSION_ID=<id> of the conversion it made.
USAGE
}

URL="http://127.0.0.1:${PORT:-3000}"
IMAGE="$SCRIPT_DIR/fixtures/smoke-logo.png"
API_KEY="${SMOKE_API_KEY:-}"
METRICS_TOKEN="${METRICS_TOKEN:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL="${2%/}"; shift 2 ;;
    --image) IMAGE="$2"; shift 2 ;;
    --api-key) API_KEY="$2"; shift 2 ;;
    --metrics-token) METRICS_TOKEN="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; echo "[smoke-test] ERROR: unknown argument: $1" >&2; exit 2 ;;
  esac
done

fail() {
  echo "[smoke-test] FAIL: $*" >&2
  exit 1
}
ok() { echo "[smoke-test] ok: $*" >&2; }
command -v curl >/dev/null || fail "curl is required"
command -v node >/dev/null || fail "node is required"
[ -f "$IMAGE" ] || fail "image not found: $IMAGE"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# get PATH EXPECTED_STATUS [curl args...] -> body in $tmp/body (EXPECTED_STATUS may list several: 200|403)
request() {
  local path="$1" expected="$2" status
  shift 2
  # The cookie jar keeps the anonymous history cookie the convert call sets, so the conversion can be read back.
  status="$(curl -sS -o "$tmp/body" -w '%{http_code}' --max-time 60 -c "$tmp/cookies" -b "$tmp/cookies" "$@" "$URL$path")" ||
    fail "$path: no answer from $URL"
  [[ "$status" =~ ^($expected)$ ]] || fail "$path answered $status (expected $expected): $(head -c 400 "$tmp/body")"
}
json() { node -e 'const v=process.argv[2].split(".").reduce((o,k)=>o?.[k],JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")));process.stdout.write(v===undefined?"":typeof v==="object"?JSON.stringify(v):String(v))' "$tmp/body" "$1"; }

request /api/health/live 200
ok "liveness"
request /api/health/ready 200
ok "readiness ($(json status))"

auth=()
[ -z "$API_KEY" ] || auth=(-H "Authorization: Bearer $API_KEY")
request /api/v1/convert 200 "${auth[@]}" -H 'Accept: application/json' -F "file=@$IMAGE"
svg="$(json svg)"
[[ "$svg" == "<svg"* ]] || fail "convert returned no SVG: $(head -c 300 "$tmp/body")"
id="$(json id)"
ok "conversion: type $(json type), tier $(json tier), ssim $(json quality.ssim), $(json bytes) bytes, $(json durationMs) ms"

if [ -n "$id" ]; then
  # Reading history takes the history:read scope; a key made for converting only is refused with 403.
  request "/api/v1/conversions/$id" '200|403' "${auth[@]}"
  if [ "$(json status)" = 403 ]; then
    ok "stored conversion $id not read back: the API key lacks the history:read scope"
  else
    [ "$(json id)" = "$id" ] || fail "history returned another conversion for $id"
    ok "stored conversion $id reads back"
  fi
fi

margs=()
[ -z "$METRICS_TOKEN" ] || margs=(-H "Authorization: Bearer $METRICS_TOKEN")
request /api/metrics 200 "${margs[@]}"
grep -q '^svgai_http_requests_total{' "$tmp/body" || fail "metrics lack svgai_http_requests_total"
grep -q '^svgai_conversions_total{' "$tmp/body" || fail "metrics lack svgai_conversions_total after a conversion"
ok "metrics"
echo "CONVERSION_ID=$id"
