#!/usr/bin/env bash
# Webhook benchmark (issue #6): signed Notion events against the gateway (one silo and PostgreSQL behind it) and against
# a bare endpoint that only checks the signature (the floor), side by side: open loop at fixed rates, then closed loop
# with wrk. Writes the report to benchmarks/results/webhooks.md.
#
#   benchmarks/webhooks.sh        BENCH_RATES=500,1000 BENCH_SECONDS=5 benchmarks/webhooks.sh
#   BENCH_PAGES (distinct page ids, default 300), BENCH_WRK_THREADS (2), BENCH_WRK_CONNECTIONS (64),
#   BENCH_WRK_EVENTS (pre-signed requests for the gateway's wrk run, 100000), BENCH_REPORT
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd -P)
# shellcheck source=../scripts/lib/pg.sh
source scripts/lib/pg.sh

report=${BENCH_REPORT:-$repo/benchmarks/results/webhooks.md}
tmp=$(mktemp -d -t pipeline-webhooks.XXXXXX)
pids=()
cleanup() {
    local rc=$?
    if ((rc != 0)); then
        for log in "$tmp"/silo.log "$tmp"/gateway.log "$tmp"/floor.log; do
            # No match must not end the trap under set -e before the processes are stopped.
            [[ -f $log ]] && { echo "---- errors in $(basename "$log") ----"; grep -E '"LogLevel":"(Error|Critical)"|Unhandled|Exception' "$log" | tail -n 5 | cut -c1-1500 || true; }
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
silo_http=$(free_port) gateway=http://127.0.0.1:$(free_port) floor=http://127.0.0.1:$(free_port)

ensure_packages postgresql wrk:wrk
pg_start --throwaway "$tmp/pg"
export PIPELINE_DB="Host=127.0.0.1;Port=$PG_PORT;Username=pipeline;Database=pipeline"
export PIPELINE_ADMIN_TOKEN=benchmark-admin-token-0123456789
export NOTION_WEBHOOK_SECRET=secret_benchmark-verification-token-0123456789
export DOTNET_gcServer=${BENCH_GC_SERVER:-1}
# Page grains must not call Notion: without a token they only dedupe and store the event.
unset NOTION_TOKEN NOTION_BASE_URL

for project in Silo/Silo.csproj ApiGateway/ApiGateway.csproj benchmarks/WebhookFloor/WebhookFloor.csproj benchmarks/WebhookBenchmark/WebhookBenchmark.csproj; do
    dotnet build "$project" -c Release -nologo -v quiet --disable-build-servers
done
dotnet Silo/bin/Release/net10.0/Silo.dll migrate

# One channel without Notion: no sweep, and no channel owns the events' pages.
printf 'channels:\n  - id: bench-00\n    name: Bench 00\n' >"$tmp/channels.yaml"

PIPELINE_CHANNELS="$tmp/channels.yaml" PIPELINE_SILO_HTTP_PORT=$silo_http PIPELINE_SILO_PORT=$(free_port) PIPELINE_GATEWAY_PORT=$(free_port) \
    Logging__LogLevel__Default=Warning \
    dotnet Silo/bin/Release/net10.0/Silo.dll >"$tmp/silo.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$silo_http/health" >/dev/null; do sleep 0.5; done

PIPELINE_GATEWAY_URL=$gateway Logging__LogLevel__Default=Warning \
    dotnet ApiGateway/bin/Release/net10.0/ApiGateway.dll >"$tmp/gateway.log" 2>&1 &
pids+=($!)
until curl -sf "$gateway/ready" >/dev/null; do sleep 0.5; done
curl -sf -H "Authorization: Bearer $PIPELINE_ADMIN_TOKEN" "$gateway/notion/webhook" | grep -q '"signing_key":"configuration"' ||
    { echo "the gateway does not use NOTION_WEBHOOK_SECRET" >&2; exit 1; }

WEBHOOK_FLOOR_URL=$floor dotnet benchmarks/WebhookFloor/bin/Release/net10.0/WebhookFloor.dll >"$tmp/floor.log" 2>&1 &
pids+=($!)
until curl -s -o /dev/null -X POST -d '{}' "$floor/webhook/notion"; do sleep 0.5; done

# The generator on workstation GC: fewer threads taking cores from the targets.
BENCH_FLOOR_URL=$floor BENCH_GATEWAY_URL=$gateway BENCH_REPORT="$report" \
    BENCH_PIDS="silo=${pids[0]} gateway=${pids[1]} floor=${pids[2]}" BENCH_POSTGRES_PID=$(head -n 1 "$tmp/pg/pgdata/postmaster.pid") \
    DOTNET_gcServer=0 dotnet benchmarks/WebhookBenchmark/bin/Release/net10.0/WebhookBenchmark.dll
for log in "$tmp"/silo.log "$tmp"/gateway.log; do
    errors=$(grep -E '"LogLevel":"(Error|Critical)"' "$log" || true)
    if [[ -n $errors ]]; then
        echo "$(basename "$log"): errors logged: $(wc -l <<<"$errors")"
        head -n 5 <<<"$errors" | cut -c1-600
    fi
done
