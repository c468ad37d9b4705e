#!/usr/bin/env bash
# Workflow benchmark (issue: workflow core): rounds (default 3) of N tasks (default 10,000) on M channels (default 20)
# driven through every status with the instant executor, on a throwaway PostgreSQL, one silo and
# the gateway. Writes the report to benchmarks/results/workflow.md.
#
#   benchmarks/workflow.sh            BENCH_TASKS=2000 benchmarks/workflow.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd -P)
# shellcheck source=../scripts/lib/pg.sh
source scripts/lib/pg.sh

tasks=${BENCH_TASKS:-10000}
channels=${BENCH_CHANNELS:-20}
tmp=$(mktemp -d -t pipeline-bench.XXXXXX)
pids=()
cleanup() {
    local rc=$?
    if ((rc != 0)); then
        for log in "$tmp"/silo.log "$tmp"/gateway.log; do
            [[ -f $log ]] && { echo "---- errors in $(basename "$log") ----"; grep -E '"LogLevel":"(Error|Critical)"' "$log" | tail -n 5 | cut -c1-1500; }
        done
    fi
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 100); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.2
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    pg_stop "$tmp/pg" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# Free ports, so a leftover process can never answer in this run's place.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
silo_http=$(free_port) silo_port=$(free_port) silo_gateway=$(free_port) gateway=http://127.0.0.1:$(free_port)

ensure_packages postgresql
# pg_stat_statements: the report says which statements took PostgreSQL's time.
PG_SERVER_OPTIONS="-c shared_preload_libraries=pg_stat_statements ${BENCH_PG_OPTIONS:-}" pg_start --throwaway "$tmp/pg"
# As scripts/run.sh connects to its own cluster: over the unix socket (BENCH_DB_TCP=1 for TCP on 127.0.0.1).
if [[ -n ${BENCH_DB_TCP:-} ]]; then
    export PIPELINE_DB=$PG_CONNECTION_STRING
else
    export PIPELINE_DB=$PG_LOCAL_CONNECTION_STRING
fi
export PIPELINE_ADMIN_TOKEN=benchmark-admin-token-0123456789
export DOTNET_gcServer=${BENCH_GC_SERVER:-1}

dotnet build Pipeline.sln -c Release -nologo -v quiet --disable-build-servers
dotnet Silo/bin/Release/net10.0/Silo.dll migrate

{
    echo "channels:"
    for ((c = 0; c < channels; c++)); do
        printf '  - id: bench-%02d\n    name: Bench %02d\n    max_concurrent_videos: 50\n    auto_approve: [assets, video, audio, final]\n' "$c" "$c"
    done
} >"$tmp/channels.yaml"

PIPELINE_STEP_EXECUTOR=instant PIPELINE_CHANNELS="$tmp/channels.yaml" PIPELINE_SILO_HTTP_PORT=$silo_http PIPELINE_SILO_PORT=$silo_port PIPELINE_GATEWAY_PORT=$silo_gateway \
    Logging__LogLevel__Default=Warning \
    dotnet Silo/bin/Release/net10.0/Silo.dll >"$tmp/silo.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$silo_http/health" >/dev/null; do sleep 0.5; done

PIPELINE_GATEWAY_URL=$gateway Logging__LogLevel__Default=Warning \
    dotnet ApiGateway/bin/Release/net10.0/ApiGateway.dll >"$tmp/gateway.log" 2>&1 &
pids+=($!)
until curl -sf "$gateway/ready" >/dev/null; do sleep 0.5; done
# The silo reads channels.yaml once it has started; wait until the last channel is known.
until curl -sf -H "Authorization: Bearer $PIPELINE_ADMIN_TOKEN" \
    "$gateway/channels/bench-$(printf %02d $((channels - 1)))" >/dev/null; do sleep 0.5; done

BENCH_SILO_PID=${pids[0]} BENCH_GATEWAY_PID=${pids[1]} BENCH_PG_PID=$(head -n 1 "$tmp/pg/pgdata/postmaster.pid") \
    BENCH_GATEWAY_URL=$gateway BENCH_TASKS=$tasks BENCH_CHANNELS=$channels \
    BENCH_REPORT="$repo/benchmarks/results/workflow.md" \
    dotnet benchmarks/WorkflowBenchmark/bin/Release/net10.0/WorkflowBenchmark.dll
errors=$(grep -E '"LogLevel":"(Error|Critical)"' "$tmp/silo.log" || true)
if [[ -n $errors ]]; then
    echo "silo errors logged: $(wc -l <<<"$errors")"
    cut -c1-600 <<<"$errors" | head -n 5
fi
