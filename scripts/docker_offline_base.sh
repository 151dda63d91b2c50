#!/usr/bin/env bash
# Docker where no container registry is reachable (this project's machines and its CI).
#
# The one place for the offline recipe (shared/notes/docker-offline.md); the Dockerfile knows
# nothing of it and keeps building FROM python:3.11-slim on users' machines.
#
#   1. installs Debian's docker.io and mmdebstrap if they are missing (root, apt-get);
#   2. starts a private dockerd in low-footprint mode (no iptables, no bridge) whose data root,
#      exec root, pid file and socket all live in one temp dir, so the host is left as it was;
#   3. bootstraps a Debian bookworm base image with python3 + venv + CA certificates from Debian's
#      packages (mmdebstrap), imports it as $SANDBOX_DOCKER_BASE_IMAGE;
#   4. exports DOCKER_HOST (the private socket), DOCKER (Debian's client: a newer client on PATH
#      may lack buildx), DOCKER_BUILDKIT=0 and SANDBOX_DOCKER_BASE_IMAGE.
# With this daemon, build and run with --network=host (-p publishes nothing here).
#
# Use, sourced:
#     source scripts/docker_offline_base.sh
#     docker_offline_start || echo "no docker here"    # returns 1 with a reason on failure
#     ...                                              # docker build --build-arg BASE_IMAGE=...
#     docker_offline_stop                              # kills dockerd by PID, unmounts, cleans
# or executed:
#     bash scripts/docker_offline_base.sh run COMMAND [ARGS...]   # start, run, stop; exit as COMMAND
#
# Env: SANDBOX_DOCKER_CACHE_DIR (optional) keeps the bootstrapped rootfs tar between runs;
#      SANDBOX_DOCKER_BASE_TAG (default dispute-sandbox-base:bookworm).

_dob_log() { echo "docker-offline: $*" >&2; }

_dob_tail_log() {
    if [ -n "${_DOB_DIR:-}" ] && [ -f "$_DOB_DIR/dockerd.log" ]; then
        _dob_log "last lines of dockerd.log:"
        tail -n 15 "$_DOB_DIR/dockerd.log" >&2
    fi
}

_dob_install() {
    if command -v dockerd >/dev/null && [ -x /usr/bin/docker ] && command -v mmdebstrap >/dev/null; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        _dob_log "docker.io/mmdebstrap missing and not root: cannot install them"
        return 1
    fi
    _dob_log "installing docker.io and mmdebstrap from Debian"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -qq >/dev/null 2>&1 || { _dob_log "apt-get update failed"; return 1; }
    timeout 600 apt-get install -y -qq --no-install-recommends docker.io mmdebstrap >/dev/null 2>&1 \
        || { _dob_log "apt-get install docker.io mmdebstrap failed"; return 1; }
}

_dob_start_daemon() {
    _DOB_DIR=$(mktemp -d /tmp/dispute-sandbox-docker.XXXXXX) || return 1
    local dir=$_DOB_DIR
    dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
        -H "unix://$dir/docker.sock" --iptables=false --ip-forward=false --bridge=none \
        >"$dir/dockerd.log" 2>&1 </dev/null &
    _DOB_PID=$!
    echo "$_DOB_PID" >"$dir/dockerd.ourpid"
    export DOCKER_HOST="unix://$dir/docker.sock"
    export DOCKER=/usr/bin/docker
    export DOCKER_BUILDKIT=0
    local i
    for i in $(seq 1 150); do
        if ! kill -0 "$_DOB_PID" 2>/dev/null; then
            _dob_log "dockerd exited at start"
            _dob_tail_log
            return 1
        fi
        if "$DOCKER" version >/dev/null 2>&1; then
            _dob_log "dockerd pid $_DOB_PID up on $DOCKER_HOST after $((i / 5)).$((i % 5 * 2))s"
            return 0
        fi
        sleep 0.2
    done
    _dob_log "dockerd did not answer within 30 s"
    _dob_tail_log
    return 1
}

_dob_base_image() {
    local tag=${SANDBOX_DOCKER_BASE_TAG:-dispute-sandbox-base:bookworm}
    local tar="$_DOB_DIR/rootfs.tar"
    local cache=${SANDBOX_DOCKER_CACHE_DIR:-}
    if [ -n "$cache" ] && [ -s "$cache/rootfs-bookworm.tar" ]; then
        tar="$cache/rootfs-bookworm.tar"
        _dob_log "reusing $tar"
    else
        local sources=()
        [ -f /etc/apt/sources.list.d/debian.sources ] && sources=(/etc/apt/sources.list.d/debian.sources)
        local start=$SECONDS
        _dob_log "bootstrapping a bookworm base (python3, venv, CA certs) with mmdebstrap"
        # shellcheck disable=SC2016  # $1 is expanded by mmdebstrap's hook shell
        if ! timeout 600 mmdebstrap --quiet --variant=minbase \
            --include=python3,python3-venv,python3-pip,ca-certificates \
            --customize-hook='cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/" 2>/dev/null || true' \
            --customize-hook='chroot "$1" update-ca-certificates >/dev/null' \
            bookworm "$tar" "${sources[@]}" >"$_DOB_DIR/mmdebstrap.log" 2>&1; then
            _dob_log "mmdebstrap failed; last lines:"
            tail -n 15 "$_DOB_DIR/mmdebstrap.log" >&2
            return 1
        fi
        _dob_log "rootfs built in $((SECONDS - start))s"
        if [ -n "$cache" ]; then
            mkdir -p "$cache" && cp "$tar" "$cache/rootfs-bookworm.tar"
        fi
    fi
    "$DOCKER" import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
        --change 'CMD ["python3"]' \
        "$tar" "$tag" >/dev/null || { _dob_log "docker import failed"; return 1; }
    rm -f "$_DOB_DIR/rootfs.tar"
    export SANDBOX_DOCKER_BASE_IMAGE=$tag
    _dob_log "base image $tag ready"
}

# Start everything; on any failure clean up and return 1 (the reason is on stderr).
docker_offline_start() {
    if [ -n "${_DOB_PID:-}" ] && kill -0 "$_DOB_PID" 2>/dev/null; then
        return 0
    fi
    if [ "$(uname -s)" != Linux ]; then
        _dob_log "not Linux"
        return 1
    fi
    _dob_install || return 1
    if ! _dob_start_daemon; then
        docker_offline_stop
        return 1
    fi
    if ! _dob_base_image; then
        docker_offline_stop
        return 1
    fi
}

# Stop the dockerd we started (by its PID, never by name), unmount what it left, remove its dir.
docker_offline_stop() {
    local dir=${_DOB_DIR:-}
    local pid=${_DOB_PID:-}
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        local i
        for i in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            _dob_log "dockerd $pid still up after 20 s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    fi
    if [ -n "$dir" ] && [ -d "$dir" ]; then
        # dockerd's own containerd, if it outlived dockerd
        local cpid=""
        [ -f "$dir/exec/containerd/containerd.pid" ] && cpid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null)
        if [ -n "$cpid" ] && kill -0 "$cpid" 2>/dev/null; then
            kill -TERM "$cpid" 2>/dev/null || true
            sleep 1
            if kill -0 "$cpid" 2>/dev/null; then kill -KILL "$cpid" 2>/dev/null || true; fi
        fi
        # every mount under our dir, deepest first (netns/default, overlay merged dirs, shm)
        local m
        awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
            umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || _dob_log "could not unmount $m"
        done
        rm -rf "$dir" 2>/dev/null || _dob_log "could not remove $dir"
        if [ -d "$dir" ]; then _dob_log "left $dir behind"; fi
    fi
    unset DOCKER_HOST DOCKER DOCKER_BUILDKIT SANDBOX_DOCKER_BASE_IMAGE _DOB_PID _DOB_DIR
    return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-}" in
        run)
            shift
            [ $# -gt 0 ] || { echo "usage: $0 run COMMAND [ARGS...]" >&2; exit 64; }
            docker_offline_start || exit 1
            trap 'docker_offline_stop' EXIT
            trap 'exit 130' INT TERM
            "$@"
            exit $?
            ;;
        *)
            echo "usage: source $0 (then docker_offline_start / docker_offline_stop), or: $0 run COMMAND [ARGS...]" >&2
            exit 64
            ;;
    esac
fi
