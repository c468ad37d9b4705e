#!/usr/bin/env bash
# Provider limits benchmark (issue #5): V videos (default 25) on each of C channels (default 20), every job
# a simulated provider call of a set latency through the real limiter grains, on a throwaway PostgreSQL,
# S silos (default 1) and the gateway. Writes the report to benchmarks/results/providers.md.
#
#   benchmarks/providers.sh        BENCH_VIDEOS=5 benchmarks/providers.sh        BENCH_SILOS=2 benchmarks/providers.sh
#   BENCH_MAX_VIDEOS (per channel, default 2), BENCH_WARMUP (videos per channel first, default 1),
#   PIPELINE_SIMULATED_LATENCY_MS, BENCH_KEEP=DIR (keep the call records and silo logs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd -P)
# shellcheck source=../scripts/lib/pg.sh
source scripts/lib/pg.sh

channels=${BENCH_CHANNELS:-20}
videos=${BENCH_VIDEOS:-25}
silos=${BENCH_SILOS:-1}
# Enough videos in flight per channel that the clips never run out, few enough that a video's images are not
# queued behind every other video's (images go oldest first within a channel).
max_videos=${BENCH_MAX_VIDEOS:-2}
gemini_slots=${BENCH_GEMINI_SLOTS:-12} kling_slots=${BENCH_KLING_SLOTS:-8} elevenlabs_slots=${BENCH_ELEVENLABS_SLOTS:-6}
export PIPELINE_SIMULATED_LATENCY_MS=${PIPELINE_SIMULATED_LATENCY_MS:-gemini=50,kling=300,elevenlabs=30,local=0}
report=${BENCH_REPORT:-$repo/benchmarks/results/providers.md}

tmp=$(mktemp -d -t pipeline-providers.XXXXXX)
mkdir "$tmp/calls"
pids=()
cleanup() {
    local rc=$?
    if ((rc != 0)); then
        for log in "$tmp"/silo-*.log "$tmp"/gateway.log; do
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
gateway=http://127.0.0.1:$(free_port)

ensure_packages postgresql
pg_start --throwaway "$tmp/pg"
export PIPELINE_DB="Host=127.0.0.1;Port=$PG_PORT;Username=pipeline;Database=pipeline"
export PIPELINE_ADMIN_TOKEN=benchmark-admin-token-0123456789
export DOTNET_gcServer=${BENCH_GC_SERVER:-1}

for project in Silo/Silo.csproj ApiGateway/ApiGateway.csproj benchmarks/ProviderBenchmark/ProviderBenchmark.csproj; do
    dotnet build "$project" -c Release -nologo -v quiet --disable-build-servers
done
dotnet Silo/bin/Release/net10.0/Silo.dll migrate

{
    echo "providers:"
    echo "  gemini:     { concurrency: $gemini_slots }"
    echo "  kling:      { concurrency: $kling_slots }"
    echo "  elevenlabs: { concurrency: $elevenlabs_slots }"
    echo "channels:"
    for ((c = 0; c < channels; c++)); do
        printf '  - id: bench-%02d\n    name: Bench %02d\n    weight: 1\n    max_concurrent_videos: %d\n    auto_approve: [assets, video, audio, final]\n' "$c" "$c" "$max_videos"
    done
} >"$tmp/channels.yaml"

started=$SECONDS
for ((s = 0; s < silos; s++)); do
    silo_http=$(free_port)
    PIPELINE_STEP_EXECUTOR=simulated PIPELINE_SIMULATED_CALLS_FILE="$tmp/calls/silo-$s.jsonl" \
        PIPELINE_CHANNELS="$tmp/channels.yaml" PIPELINE_SILO_HTTP_PORT=$silo_http PIPELINE_SILO_PORT=$(free_port) PIPELINE_GATEWAY_PORT=$(free_port) \
        Logging__LogLevel__Default=Warning \
        dotnet Silo/bin/Release/net10.0/Silo.dll >"$tmp/silo-$s.log" 2>&1 &
    pids+=($!)
    until curl -sf "http://127.0.0.1:$silo_http/health" >/dev/null; do sleep 0.5; done
done

PIPELINE_GATEWAY_URL=$gateway Logging__LogLevel__Default=Warning \
    dotnet ApiGateway/bin/Release/net10.0/ApiGateway.dll >"$tmp/gateway.log" 2>&1 &
pids+=($!)
until curl -sf "$gateway/ready" >/dev/null; do sleep 0.5; done
# The silo reads channels.yaml once it has started: wait until the last channel is known and kling has its slots.
until curl -sf -H "Authorization: Bearer $PIPELINE_ADMIN_TOKEN" \
    "$gateway/channels/bench-$(printf %02d $((channels - 1)))" >/dev/null; do sleep 0.5; done
until curl -sf -H "Authorization: Bearer $PIPELINE_ADMIN_TOKEN" "$gateway/limits" | grep -q "\"concurrency\":$kling_slots"; do sleep 0.5; done

BENCH_GATEWAY_URL=$gateway BENCH_CHANNELS=$channels BENCH_VIDEOS=$videos BENCH_SILOS=$silos BENCH_MAX_VIDEOS=$max_videos \
    BENCH_GEMINI_SLOTS=$gemini_slots BENCH_KLING_SLOTS=$kling_slots BENCH_ELEVENLABS_SLOTS=$elevenlabs_slots \
    BENCH_CALLS_DIR="$tmp/calls" BENCH_REPORT="$report" \
    dotnet benchmarks/ProviderBenchmark/bin/Release/net10.0/ProviderBenchmark.dll
# CPU each process used over the whole run (build and migration excluded), against the wall time: on a
# small machine the limiter's hand-overs wait for a core like everything else.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo "?"; }
postmaster=$(head -n 1 "$tmp/pg/pgdata/postmaster.pid")
pg_cpu=$(for pid in "$postmaster" $(pgrep -P "$postmaster"); do cpu "$pid"; echo; done | awk '{ s += $1 } END { printf "%.1f", s }')
echo "run: $((SECONDS - started)) s wall; CPU s: silos $(for pid in "${pids[@]:0:silos}"; do printf '%s ' "$(cpu "$pid")"; done)gateway $(cpu "${pids[silos]}"), postgres $pg_cpu (live backends only)"
if [[ -n ${BENCH_KEEP:-} ]]; then
    mkdir -p "$BENCH_KEEP" && cp "$tmp"/calls/*.jsonl "$tmp"/silo-*.log "$BENCH_KEEP"/
fi
for log in "$tmp"/silo-*.log; do
    errors=$(grep -E '"LogLevel":"(Error|Critical)"' "$log" || true)
    if [[ -n $errors ]]; then
        echo "$(basename "$log"): errors logged: $(wc -l <<<"$errors")"
        cut -c1-600 <<<"$errors" | head -n 5
    fi
done
