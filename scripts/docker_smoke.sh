#!/usr/bin/env bash
# Smoke test of the Docker image: build, run, health, the control token (control plane locked without one,
# 401 without it), one authenticated call per provider, a mounted scenario (control waived), `validate`
# exit codes, non-root, SIGTERM stop time and exit code 0; prints image size, build time and
# run-to-first-200 time; removes every container and image it made.
#
#   bash scripts/docker_smoke.sh
#
# Needs a reachable Docker daemon (DOCKER_HOST as usual), curl and python3 on the host. Builds and
# runs with --network=host, so it also works with the low-footprint daemon of
# scripts/docker_offline_base.sh (which exports DOCKER, DOCKER_HOST and SANDBOX_DOCKER_BASE_IMAGE).
# Env: DOCKER (client, default docker), SANDBOX_DOCKER_BASE_IMAGE (passed as --build-arg BASE_IMAGE;
# unset: the Dockerfile's python:3.11-slim), SANDBOX_DOCKER_KEEP_IMAGE=1 keeps the image.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKER=${DOCKER:-docker}
BASE_IMAGE=${SANDBOX_DOCKER_BASE_IMAGE:-}
TAG="dispute-sandbox-smoke:$$-$RANDOM"
STOP_LIMIT=${SANDBOX_DOCKER_STOP_LIMIT:-1.0}
TMP=$(mktemp -d /tmp/dispute-sandbox-smoke.XXXXXX)
chmod 755 "$TMP"
CONTAINERS=()
IMAGE_BUILT=0
TOKEN="smoke-$$-$RANDOM"  # the control token the containers get (without one /_sandbox is locked)
AUTH="Authorization: Bearer $TOKEN"

# A list path per provider; {tenant_id} is the first tenant's id from GET /_sandbox/scenario.
declare -A LIST_PATH=(
    [whop]="/whop/api/v1/resolution_center_cases"
    [orderprotection]="/orderprotection/v1/claims"
    [pandabase]="/pandabase/v2/core/stores/{tenant_id}/cases"
    [shoplazza]="/shoplazza/openapi/2024-07/shoplazza-payment/disputes"
    [riverty]="/riverty/{tenant_id}/disputes"
)

log() { echo "docker-smoke: $*"; }
fail() { echo "docker-smoke: FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
lt() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$1" "$2"; }

cleanup() {
    local rc=$?
    local c
    for c in "${CONTAINERS[@]}"; do
        "$DOCKER" rm -f "$c" >/dev/null 2>&1 || true
    done
    if [ "$IMAGE_BUILT" = 1 ] && [ "${SANDBOX_DOCKER_KEEP_IMAGE:-0}" != 1 ]; then
        "$DOCKER" rmi -f "$TAG" >/dev/null 2>&1 || true
        # the untagged build-stage image this build left (the legacy builder keeps it)
        local img
        for img in $("$DOCKER" images -q -f dangling=true 2>/dev/null | sort -u); do
            grep -qx "$img" "$TMP/dangling.before" 2>/dev/null || "$DOCKER" rmi "$img" >/dev/null 2>&1 || true
        done
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()"
}

# GET url [header-line]: prints the status code, body to $TMP/body
http_get() {
    local url=$1
    shift
    curl -sS -o "$TMP/body" -w '%{http_code}' --max-time 10 "$@" "$url" 2>"$TMP/curl.err" || echo 000
}

# wait_200 PORT CONTAINER: poll /_sandbox/health every 10 ms for up to 30 s
wait_200() {
    local port=$1 cid=$2 deadline
    deadline=$(($(date +%s) + 30))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/_sandbox/health" 2>/dev/null)" = 200 ]; then
            return 0
        fi
        if [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$cid" 2>/dev/null)" != true ]; then
            "$DOCKER" logs "$cid" 2>&1 | tail -n 20 >&2
            fail "container $cid exited before answering"
        fi
        sleep 0.01
    done
    "$DOCKER" logs "$cid" 2>&1 | tail -n 20 >&2
    fail "no 200 from /_sandbox/health on port $port within 30 s"
}

# stop_timed CONTAINER: docker stop (SIGTERM), prints seconds taken
stop_timed() {
    local cid=$1 t0 t1
    t0=$(now)
    "$DOCKER" stop -t 10 "$cid" >/dev/null
    t1=$(now)
    elapsed "$t0" "$t1"
}

for tool in curl python3; do
    command -v "$tool" >/dev/null || fail "$tool is needed on the host"
done
"$DOCKER" version >/dev/null 2>&1 || fail "no Docker daemon reachable with '$DOCKER' (DOCKER_HOST=${DOCKER_HOST:-unset})"

# ---- build ----
build_args=(--network=host -t "$TAG")
[ -n "$BASE_IMAGE" ] && build_args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
log "building $TAG${BASE_IMAGE:+ on BASE_IMAGE=$BASE_IMAGE}"
"$DOCKER" images -q -f dangling=true | sort -u >"$TMP/dangling.before"
t0=$(now)
IMAGE_BUILT=1
if ! "$DOCKER" build "${build_args[@]}" "$ROOT" >"$TMP/build.log" 2>&1; then
    tail -n 40 "$TMP/build.log" >&2
    fail "docker build failed"
fi
BUILD_S=$(elapsed "$t0" "$(now)")
SIZE_B=$("$DOCKER" image inspect -f '{{.Size}}' "$TAG")
SIZE_MB=$(python3 -c "import sys; print(f'{int(sys.argv[1]) / 1e6:.1f}')" "$SIZE_B")
GZ_MB=$("$DOCKER" save "$TAG" | gzip -1 | wc -c | python3 -c "import sys; print(f'{int(sys.stdin.read()) / 1e6:.1f}')")
ADDED=""
if [ -n "$BASE_IMAGE" ]; then
    BASE_B=$("$DOCKER" image inspect -f '{{.Size}}' "$BASE_IMAGE")
    ADDED=$(python3 -c "import sys; print(f'{(int(sys.argv[1]) - int(sys.argv[2])) / 1e6:.1f}')" "$SIZE_B" "$BASE_B")
fi
log "built in ${BUILD_S}s: ${SIZE_MB} MB${ADDED:+ (${ADDED} MB on top of the base)}, ${GZ_MB} MB gzipped"

# ---- non-root, shipped scenarios ----
uid=$("$DOCKER" run --rm --network=host --entrypoint id "$TAG" -u)
[ "$uid" != 0 ] || fail "the image runs as root"
shipped=$("$DOCKER" run --rm --network=host "$TAG" scenarios)
grep -qx default <<<"$shipped" || fail "shipped scenarios do not include 'default': $shipped"
# every shipped scenario loads inside the image (this also catches data the image trimmed away)
# shellcheck disable=SC2046
if ! "$DOCKER" run --rm --network=host "$TAG" validate $(cat <<<"$shipped") >"$TMP/v.out" 2>&1; then
    fail "a shipped scenario does not validate inside the image: $(cat "$TMP/v.out")"
fi
log "runs as uid $uid; shipped scenarios: $(tr '\n' ' ' <<<"$shipped")"

# ---- bound beyond loopback without a token: providers served, control plane locked ----
PORT0=$(free_port)
CID0=$("$DOCKER" run -d --network=host -e "SANDBOX_PORT=$PORT0" "$TAG")
CONTAINERS+=("$CID0")
wait_200 "$PORT0" "$CID0"
code=$(http_get "http://127.0.0.1:$PORT0/whop/api/v1/resolution_center_cases" -H "Authorization: Bearer whop_test_pickaxe_read")
[ "$code" = 200 ] || fail "without a control token the providers are not served: $code"
[ "$(http_get "http://127.0.0.1:$PORT0/_sandbox/reset" -X POST)" = 403 ] || fail "without a control token /_sandbox is not locked"
grep -q SANDBOX_CONTROL_TOKEN "$TMP/body" || fail "the lock does not name SANDBOX_CONTROL_TOKEN: $(cat "$TMP/body")"
# read the log whole first: `logs | grep -q` under pipefail fails when grep exits early (SIGPIPE)
"$DOCKER" logs "$CID0" >"$TMP/open.log" 2>&1
grep -q "is locked" "$TMP/open.log" || fail "the start does not warn that /_sandbox is locked: $(head -c 300 "$TMP/open.log")"
"$DOCKER" rm -f "$CID0" >/dev/null
log "without a control token on 0.0.0.0: providers 200, /_sandbox 403 (locked)"

# ---- default scenario: run to first 200 ----
PORT=$(free_port)
t0=$(now)
CID=$("$DOCKER" run -d --network=host -e "SANDBOX_PORT=$PORT" -e "SANDBOX_CONTROL_TOKEN=$TOKEN" "$TAG")
CONTAINERS+=("$CID")
wait_200 "$PORT" "$CID"
FIRST200_S=$(elapsed "$t0" "$(now)")
log "first 200 from /_sandbox/health ${FIRST200_S}s after docker run (port $PORT)"
lt "$FIRST200_S" 1.0 || log "WARN: run-to-first-200 ${FIRST200_S}s is above the 1 s target (a loaded machine, or scenario load got slower)"
BASE="http://127.0.0.1:$PORT"

[ "$(http_get "$BASE/_sandbox/health")" = 200 ] || fail "health"
python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['status'] == 'ok'" "$TMP/body" || fail "health body: $(cat "$TMP/body")"
"$DOCKER" logs "$CID" >"$TMP/start.log" 2>&1
grep -q "control plane" "$TMP/start.log" || fail "no start banner in the logs: $(head -c 300 "$TMP/start.log")"

# ---- the control token, then one authenticated call per provider ----
[ "$(http_get "$BASE/_sandbox/scenario")" = 401 ] || fail "GET /_sandbox/scenario without the control token is not 401"
[ "$(http_get "$BASE/_sandbox/scenario" -H "$AUTH")" = 200 ] || fail "GET /_sandbox/scenario"
cp "$TMP/body" "$TMP/scenario.json"
python3 - "$TMP/scenario.json" >"$TMP/providers.tsv" <<'EOF' || fail "cannot read providers from /_sandbox/scenario"
import json, sys
info = json.load(open(sys.argv[1]))
for key, p in info["providers"].items():
    tenants = p.get("tenants") or []
    creds = tenants[0]["credentials"] if tenants else []
    if not creds:
        print(f"{key}\t\t\t")
        continue
    print(f"{key}\t{tenants[0]['id']}\t{creds[0]['header']}\t{creds[0]['value']}")
EOF
listed=$(cut -f1 "$TMP/providers.tsv" | tr '\n' ' ')
log "providers in the image: $listed"
calls=0
while IFS=$'\t' read -r provider tenant header value; do
    path=${LIST_PATH[$provider]:-}
    [ -n "$path" ] || fail "provider '$provider' has no list path in this script's LIST_PATH table: add one"
    [ -n "$header" ] || fail "provider '$provider': the default scenario's first tenant has no credential"
    path=${path//\{tenant_id\}/$tenant}
    code=$(http_get "$BASE$path" -H "$header: $value")
    if [ "$code" != 200 ]; then
        fail "$provider GET $path with $header -> $code: $(head -c 300 "$TMP/body")"
    fi
    python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$TMP/body" || fail "$provider GET $path: body is not JSON"
    log "ok   $provider GET $path ($header) -> 200, $(wc -c <"$TMP/body") bytes"
    calls=$((calls + 1))
done <"$TMP/providers.tsv"
for provider in whop orderprotection pandabase shoplazza riverty; do
    grep -q "^$provider"$'\t' "$TMP/providers.tsv" || log "SKIP $provider: not registered in this image yet"
done
[ "$calls" -gt 0 ] || fail "no provider answered"

# the image's own HEALTHCHECK turns healthy
deadline=$(($(date +%s) + 30))
health=""
while [ "$(date +%s)" -lt "$deadline" ]; do
    health=$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$CID")
    [ "$health" = healthy ] && break
    sleep 0.5
done
[ "$health" = healthy ] || fail "HEALTHCHECK status is '$health', not healthy"
log "HEALTHCHECK: healthy"

STOP_S=$(stop_timed "$CID")
lt "$STOP_S" "$STOP_LIMIT" || fail "docker stop (SIGTERM) took ${STOP_S}s (limit ${STOP_LIMIT}s)"
exit_code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$CID")
[ "$exit_code" = 0 ] || fail "SIGTERM stop exited $exit_code, not 0"
log "SIGTERM stop in ${STOP_S}s (exit code $exit_code)"

# ---- a mounted scenario ----
cat >"$TMP/x.yaml" <<'EOF'
version: 1
name: docker-smoke
description: One Whop company, one case; mounted into the container by scripts/docker_smoke.sh.
seed: 7
clock:
  start: "2026-01-01T00:00:00Z"
providers:
  whop:
    companies:
      - id: biz_DockerSmoke01
        title: Docker Smoke
        api_keys:
          - key: whop_test_docker_smoke
        cases:
          - id: reso_DockerSmoke01
            status: merchant_response_needed
EOF
cat >"$TMP/bad.yaml" <<'EOF'
version: 1
name: docker-smoke-bad
seed: not-a-number
providers:
  whop:
    companies:
      - id: not_a_company_id
        title: ""
EOF
chmod 644 "$TMP/x.yaml" "$TMP/bad.yaml"

if "$DOCKER" run --rm --network=host -v "$TMP/x.yaml:/scenarios/x.yaml:ro" "$TAG" validate /scenarios/x.yaml >"$TMP/v.out" 2>&1; then
    log "validate /scenarios/x.yaml -> exit 0: $(cat "$TMP/v.out")"
else
    fail "validate of a good file exited $?: $(cat "$TMP/v.out")"
fi
set +e
"$DOCKER" run --rm --network=host -v "$TMP/bad.yaml:/scenarios/bad.yaml:ro" "$TAG" validate /scenarios/bad.yaml >"$TMP/v.out" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "validate of a bad file exited $rc, not 2: $(cat "$TMP/v.out")"
grep -q '^/scenarios/bad.yaml:[0-9]*: ' "$TMP/v.out" || fail "validate's problems are not 'file:line: path: message': $(cat "$TMP/v.out")"
grep -q Traceback "$TMP/v.out" && fail "validate printed a traceback: $(cat "$TMP/v.out")"
log "validate /scenarios/bad.yaml -> exit 2, $(wc -l <"$TMP/v.out") problem line(s)"

PORT2=$(free_port)
CID2=$("$DOCKER" run -d --network=host -e "SANDBOX_PORT=$PORT2" -e SANDBOX_ALLOW_OPEN_CONTROL=1 \
    -v "$TMP/x.yaml:/scenarios/x.yaml:ro" -e SANDBOX_SCENARIO=/scenarios/x.yaml "$TAG")
CONTAINERS+=("$CID2")
wait_200 "$PORT2" "$CID2"
BASE2="http://127.0.0.1:$PORT2"
[ "$(http_get "$BASE2/_sandbox/scenario")" = 200 ] || fail "GET /_sandbox/scenario (mounted, control waived)"
name=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['name'])" "$TMP/body")
[ "$name" = docker-smoke ] || fail "mounted scenario not loaded: name is '$name'"
code=$(http_get "$BASE2/whop/api/v1/resolution_center_cases" -H "Authorization: Bearer whop_test_docker_smoke")
[ "$code" = 200 ] || fail "whop list on the mounted scenario -> $code: $(head -c 300 "$TMP/body")"
grep -q reso_DockerSmoke01 "$TMP/body" || fail "the mounted scenario's case is not listed: $(head -c 300 "$TMP/body")"
log "mounted scenario: name docker-smoke, whop lists reso_DockerSmoke01"
STOP2_S=$(stop_timed "$CID2")
lt "$STOP2_S" "$STOP_LIMIT" || fail "docker stop (SIGTERM) took ${STOP2_S}s (limit ${STOP_LIMIT}s)"

echo
echo "docker-smoke: PASS"
echo "  image size        ${SIZE_MB} MB${ADDED:+ (${ADDED} MB on top of ${BASE_IMAGE})}, ${GZ_MB} MB gzipped"
echo "  build time        ${BUILD_S} s${BASE_IMAGE:+ (BASE_IMAGE=${BASE_IMAGE})}"
echo "  run to first 200  ${FIRST200_S} s"
echo "  SIGTERM stop      ${STOP_S} s, ${STOP2_S} s"
echo "  providers called  ${calls}: ${listed}"
