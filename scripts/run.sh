#!/usr/bin/env bash
# Sets up and runs the pipeline on this machine (DESIGN.md §10).
#
# Installs what is missing (apt), starts a private PostgreSQL under the data directory,
# builds, applies sql/, starts the silo(s) and the gateway, prints their URLs and runs
# until Ctrl-C / SIGTERM, then stops everything it started. State lives in
# $PIPELINE_DATA_DIR (default .data/) and survives restarts.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/run.sh [--silos N] [--demo] [--no-build] [--help]

  --silos N   run N silo processes (default 1); silo i uses ports base+i
  --demo      after startup, take a sample video per channel (up to 3) from draft
              to published, approving each gate through the admin API; print
              the videos' paths, stop everything and exit (non-zero if one fails)
  --no-build  use the existing Release build (e.g. right after scripts/test.sh)
  --help      this text

Environment (all optional; see DESIGN.md §10):
  PIPELINE_DATA_DIR        data directory (default: <repo>/.data)
  PIPELINE_DB              PostgreSQL connection string; when set, no private cluster
  PIPELINE_GATEWAY_URL     gateway listen URL (default http://127.0.0.1:5080)
  PIPELINE_SILO_HTTP_PORT  first silo's HTTP/dashboard port (default 8080)
  PIPELINE_SILO_PORT       first silo's Orleans silo port (default 11111)
  PIPELINE_GATEWAY_PORT    first silo's Orleans gateway port (default 30000)
  PIPELINE_ADMIN_TOKEN     admin bearer token (default: generated into the data dir)
  PIPELINE_ENCRYPTION_KEY  base64 32-byte key (default: generated into the data dir)
  PIPELINE_WORKSPACE       workspace root (default: <data dir>/workspaces)
  PIPELINE_OUTBOX          where channels without YouTube credentials publish (default: <data dir>/outbox)
  PIPELINE_CHANNELS        channels.yaml path (default: <repo>/channels.yaml)
  PIPELINE_STARTUP_TIMEOUT seconds to wait for /health and /ready (default 90)
EOF
}

say() { printf 'run.sh: %s\n' "$*" 2>/dev/null || true; }
die() {
    printf 'run.sh: error: %s\n' "$*" >&2
    exit 1
}

# Relative paths given in the environment mean relative to where the user ran us.
invoked_from=$PWD
abspath() { if [[ $1 == /* ]]; then echo "$1"; else echo "$invoked_from/$1"; fi; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib/pg.sh
source scripts/lib/pg.sh

silos=1
demo=0
build=1
while (($# > 0)); do
    case $1 in
    --silos) silos=${2:-}; shift 2 || shift ;;
    --silos=*) silos=${1#*=}; shift ;;
    --demo) demo=1; shift ;;
    --no-build) build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ $silos =~ ^[1-9][0-9]*$ ]] || die "--silos needs a positive number"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
command -v dotnet >/dev/null || die "dotnet not found; install the .NET 10 SDK"

data=$(abspath "${PIPELINE_DATA_DIR:-$repo/.data}")
mkdir -p "$data" "$data/logs" "$data/run"
data=$(cd "$data" && pwd -P)
logs=$data/logs
silo_bin=$repo/Silo/bin/Release/net10.0
gateway_bin=$repo/ApiGateway/bin/Release/net10.0

silo_port=${PIPELINE_SILO_PORT:-11111}
gateway_port=${PIPELINE_GATEWAY_PORT:-30000}
http_port=${PIPELINE_SILO_HTTP_PORT:-8080}
gateway_url=${PIPELINE_GATEWAY_URL:-http://127.0.0.1:5080}
for v in PIPELINE_SILO_PORT:silo_port PIPELINE_GATEWAY_PORT:gateway_port \
    PIPELINE_SILO_HTTP_PORT:http_port; do
    var=${v#*:}
    p=${!var}
    if ! [[ $p =~ ^[0-9]+$ ]] || ((p == 0 || p + silos - 1 > 65535)); then
        die "${v%%:*}: '$p' is not a usable port base for $silos silo(s)"
    fi
done
# The gateway may listen on several URLs or a wildcard; we probe the first one locally.
gateway_probe=${gateway_url%%;*}
gateway_probe=${gateway_probe%/}
gateway_probe=$(sed -E 's#://(\*|\+|0\.0\.0\.0|\[::\])(:|/|$)#://127.0.0.1\2#' <<<"$gateway_probe")

# --- one run.sh per data directory -----------------------------------------------
# A second instance would fight over ports and stop the first one's PostgreSQL.
lockfile=$data/run/run.sh.pid
if [[ -f $lockfile ]]; then
    other=$(<"$lockfile")
    if [[ $other =~ ^[0-9]+$ && $other != "$$" ]] &&
        tr '\0' ' ' 2>/dev/null <"/proc/$other/cmdline" | grep -q 'run\.sh'; then
        die "another run.sh (pid $other) is using $data"
    fi
fi
echo $$ >"$lockfile"

# --- process handling ------------------------------------------------------------
# Each silo/gateway runs in its own session (setsid), so its PID is also its process
# group: we signal the whole group (that includes tools it spawns, e.g. ffmpeg), and
# Ctrl-C in the terminal reaches only this script, which then stops things in order.

# True when process PID exists and is not a zombie.
proc_alive() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# True when any live (non-zombie) process is in process group PGID.
group_alive() {
    local f stat state _ppid pgrp _rest
    for f in /proc/[0-9]*/stat; do
        read -r stat 2>/dev/null <"$f" || continue
        read -r state _ppid pgrp _rest <<<"${stat##*) }"
        [[ $pgrp == "$1" && $state != Z ]] && return 0
    done
    return 1
}

# stop_groups TIMEOUT PGID...: SIGTERM the groups, wait up to TIMEOUT s, then SIGKILL.
stop_groups() {
    local timeout=$1 pg left i
    shift
    (($# > 0)) || return 0
    for pg in "$@"; do kill -TERM -- "-$pg" 2>/dev/null || true; done
    for ((i = 0; i < timeout * 5; i++)); do
        left=()
        for pg in "$@"; do group_alive "$pg" && left+=("$pg"); done
        ((${#left[@]} > 0)) || return 0
        sleep 0.2
    done
    say "still running after ${timeout}s, killing: ${left[*]}"
    for pg in "${left[@]}"; do kill -KILL -- "-$pg" 2>/dev/null || true; done
}

# Processes a previous run.sh left behind when it was killed with SIGKILL. We only
# touch PIDs we recorded that still run our DLLs.
stop_leftovers() {
    local f pid pids=()
    for f in "$data"/run/*.pid; do
        [[ -f $f && $f != "$lockfile" ]] || continue
        pid=$(<"$f")
        rm -f "$f"
        [[ $pid =~ ^[0-9]+$ ]] || continue
        if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q 'Silo\.dll\|ApiGateway\.dll'; then
            pids+=("$pid")
        fi
    done
    if ((${#pids[@]} > 0)); then
        say "stopping processes left by a previous run: ${pids[*]}"
        stop_groups 20 "${pids[@]}"
    fi
}

# start_dotnet NAME DIR DLL [ARGS...]: start in the background in its own session,
# cwd = DIR (the app's content root: appsettings.json is found there), output to
# $logs/NAME.log (the previous run's log is kept as NAME.log.1). Sets STARTED_PID.
start_dotnet() {
    local name=$1 dir=$2 dll=$3
    shift 3
    [[ -f $logs/$name.log ]] && mv -f "$logs/$name.log" "$logs/$name.log.1"
    (cd "$dir" && exec setsid dotnet "$dll" "$@") >"$logs/$name.log" 2>&1 </dev/null &
    STARTED_PID=$!
    echo "$STARTED_PID" >"$data/run/$name.pid"
}

# run_child CMD...: run CMD in the foreground, but interruptible: bash runs traps only
# between commands, so a long `dotnet build` would otherwise delay SIGTERM handling.
# Own process group too, so cleanup also stops what it spawned (MSBuild runs csc).
fg_pid=
run_child() {
    local rc=0
    setsid "$@" &
    fg_pid=$!
    wait "$fg_pid" || rc=$?
    fg_pid=
    return "$rc"
}

# tail_log NAME: the end of a log, for failures.
tail_log() {
    echo "---- last lines of $logs/$1.log ----" >&2
    tail -n 40 "$logs/$1.log" >&2 || true
    echo "----" >&2
}

gateway_pid=
silo_pids=()
pg_dir=
cleanup() {
    local rc=$?
    trap - EXIT
    # Finish cleaning up even if Ctrl-C is pressed again, or if our output pipe (| tee) is gone.
    trap '' INT TERM HUP PIPE
    [[ -n $fg_pid ]] && stop_groups 10 "$fg_pid"
    if [[ -n $gateway_pid || ${#silo_pids[@]} -gt 0 ]]; then
        say "stopping"
    fi
    # Gateway first (no new work comes in), then all silos together (they hand over
    # grains and leave the cluster gracefully), then the database they write to.
    [[ -n $gateway_pid ]] && stop_groups 20 "$gateway_pid"
    stop_groups 20 "${silo_pids[@]}"
    rm -f "$data"/run/gateway.pid "$data"/run/silo-*.pid
    if [[ -n $pg_dir ]]; then
        pg_stop "$pg_dir" || say "could not stop PostgreSQL in $pg_dir"
    fi
    rm -f "$lockfile"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# wait_http NAME PID URL DEADLINE: until URL answers 200; fail if PID dies or time runs out.
wait_http() {
    local name=$1 pid=$2 url=$3 deadline=$4 answer
    while true; do
        # -w prints the status code after the body; 000 when nothing answered.
        answer=$(curl -sS --max-time 2 -w '\n%{http_code}' "$url" 2>/dev/null) || true
        [[ ${answer##*$'\n'} == 200 ]] && return 0
        if ! proc_alive "$pid"; then
            tail_log "$name"
            die "$name exited during startup (log: $logs/$name.log)"
        fi
        if ((SECONDS >= deadline)); then
            tail_log "$name"
            printf 'last answer from %s: %s %.300s\n' "$url" "${answer##*$'\n'}" "${answer%$'\n'*}" >&2
            die "$name: no 200 from $url within ${startup_timeout}s (log: $logs/$name.log)"
        fi
        sleep 0.5
    done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The hook for --demo (implemented by a later issue): runs after everything is up.
# One sample video per channel, draft to published on local providers (or real ones where keys
# are set), every gate approved through the admin API; prints the videos' paths.
run_demo() {
    PIPELINE_GATEWAY_URL=$gateway_url python3 "$repo/scripts/lib/demo.py"
}

# --- setup -----------------------------------------------------------------------
stop_leftovers

packages=(ffmpeg:ffmpeg espeak-ng:espeak-ng fonts-dejavu-core curl:curl python3:python3)
[[ -n ${PIPELINE_DB:-} ]] || packages+=(postgresql)
ensure_packages "${packages[@]}"

# Fail early and clearly on a busy port rather than with a silo stack trace.
gateway_listen_port=$(sed -nE 's#^[a-z]+://[^/]*:([0-9]+).*#\1#p' <<<"$gateway_probe")
busy=()
for ((i = 0; i < silos; i++)); do
    for p in $((silo_port + i)) $((gateway_port + i)) $((http_port + i)); do
        port_in_use "$p" && busy+=("$p")
    done
done
[[ -n $gateway_listen_port ]] && port_in_use "$gateway_listen_port" && busy+=("$gateway_listen_port")
((${#busy[@]} == 0)) ||
    die "port(s) already in use: ${busy[*]} (another run? else set PIPELINE_SILO_PORT / PIPELINE_GATEWAY_PORT / PIPELINE_SILO_HTTP_PORT / PIPELINE_GATEWAY_URL)"

if ((build)); then
    say "building (Release)"
    run_child dotnet build "$repo/Pipeline.sln" -c Release -nologo -v quiet --disable-build-servers ||
        die "build failed"
else
    [[ -f $silo_bin/Silo.dll ]] || die "--no-build, but there is no Release build in $silo_bin"
fi

if [[ -n ${PIPELINE_DB:-} ]]; then
    say "using PIPELINE_DB from the environment"
    db_note="PIPELINE_DB (from the environment)"
else
    pg_dir=$data/postgres
    pg_start "$pg_dir"
    # The silos and the gateway run here as this user: the socket spares every statement the TCP stack.
    PIPELINE_DB=$PG_LOCAL_CONNECTION_STRING
    db_note="PostgreSQL on its socket in $PG_SOCKET_DIR, and on 127.0.0.1:$PG_PORT for other users (data: $pg_dir, password: $pg_dir/secrets/db_password)"
fi
export PIPELINE_DB

# Secrets: the environment wins; otherwise generated once and kept in the data dir.
(umask 077 && mkdir -p "$data/secrets")
chmod 700 "$data/secrets"
# secret NAME COMMAND...: print the content of $data/secrets/NAME, creating it with COMMAND.
secret() {
    local file=$data/secrets/$1
    shift
    if [[ ! -s $file ]]; then
        (umask 077 && "$@" >"$file.tmp" && mv -f "$file.tmp" "$file")
    fi
    chmod 600 "$file"
    cat "$file"
}
new_token() { head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }
new_key() { head -c 32 /dev/urandom | base64 -w0; }
if [[ -n ${PIPELINE_ADMIN_TOKEN:-} ]]; then
    token_note="(from PIPELINE_ADMIN_TOKEN)"
else
    PIPELINE_ADMIN_TOKEN=$(secret admin_token new_token)
    token_note="in $data/secrets/admin_token"
fi
if [[ -z ${PIPELINE_ENCRYPTION_KEY:-} ]]; then
    PIPELINE_ENCRYPTION_KEY=$(secret encryption_key new_key)
fi
[[ $(base64 -d <<<"$PIPELINE_ENCRYPTION_KEY" 2>/dev/null | wc -c) -eq 32 ]] ||
    die "PIPELINE_ENCRYPTION_KEY must be the base64 of 32 bytes"
export PIPELINE_ADMIN_TOKEN PIPELINE_ENCRYPTION_KEY

export PIPELINE_DATA_DIR=$data
PIPELINE_WORKSPACE=$(abspath "${PIPELINE_WORKSPACE:-$data/workspaces}")
PIPELINE_CHANNELS=$(abspath "${PIPELINE_CHANNELS:-$repo/channels.yaml}")
PIPELINE_OUTBOX=$(abspath "${PIPELINE_OUTBOX:-$data/outbox}")
export PIPELINE_WORKSPACE PIPELINE_CHANNELS PIPELINE_OUTBOX PIPELINE_GATEWAY_URL=$gateway_url
export PIPELINE_SCRIPTS=$repo/scripts
mkdir -p "$PIPELINE_WORKSPACE"
[[ -f $PIPELINE_CHANNELS ]] || say "warning: $PIPELINE_CHANNELS does not exist"

say "applying sql/ (log: $logs/migrate.log)"
if ! run_child env -C "$silo_bin" dotnet Silo.dll migrate >"$logs/migrate.log" 2>&1 </dev/null; then
    tail_log migrate
    die "migration failed (log: $logs/migrate.log)"
fi

# --- start -----------------------------------------------------------------------
startup_timeout=${PIPELINE_STARTUP_TIMEOUT:-90}
deadline=$((SECONDS + startup_timeout))
for ((i = 0; i < silos; i++)); do
    PIPELINE_SILO_PORT=$((silo_port + i)) \
        PIPELINE_GATEWAY_PORT=$((gateway_port + i)) \
        PIPELINE_SILO_HTTP_PORT=$((http_port + i)) \
        start_dotnet "silo-$i" "$silo_bin" Silo.dll
    silo_pids+=("$STARTED_PID")
    say "silo $i started (pid $STARTED_PID, log: $logs/silo-$i.log)"
done
for ((i = 0; i < silos; i++)); do
    wait_http "silo-$i" "${silo_pids[i]}" "http://127.0.0.1:$((http_port + i))/health" "$deadline"
done

# The gateway connects as an Orleans client, so it starts once a silo is up.
start_dotnet gateway "$gateway_bin" ApiGateway.dll
gateway_pid=$STARTED_PID
say "gateway started (pid $gateway_pid, log: $logs/gateway.log)"
wait_http gateway "$gateway_pid" "$gateway_probe/ready" "$((SECONDS + startup_timeout))"

echo
echo "Pipeline is running."
echo "  gateway:      $gateway_url  (GET /health, GET /ready)"
echo "  admin token:  $token_note"
for ((i = 0; i < silos; i++)); do
    echo "  silo $i:       dashboard http://127.0.0.1:$((http_port + i))/dashboard/"
done
echo "  database:     $db_note"
echo "  data:         $data"
echo "  logs:         $logs"
echo

if ((demo)); then
    run_demo || die "the demo did not finish (logs: $logs)"
    exit 0
fi

echo "Press Ctrl-C to stop."
# Sleep until a signal (the traps exit) or until one of our processes dies.
while true; do
    wait -n || true
    for ((i = 0; i < silos; i++)); do
        if ! proc_alive "${silo_pids[i]}"; then
            tail_log "silo-$i"
            die "silo $i exited unexpectedly"
        fi
    done
    if ! proc_alive "$gateway_pid"; then
        tail_log gateway
        die "the gateway exited unexpectedly"
    fi
done
