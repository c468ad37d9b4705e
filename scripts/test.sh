#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL cluster.
#
#   scripts/test.sh [dotnet test args...]      e.g. scripts/test.sh --filter "FullyQualifiedName~Storage"
#
# Installs what is missing (apt), starts PostgreSQL in a temp dir (trust auth, free
# port), exports PIPELINE_TEST_DB (superuser `pipeline`, database `postgres`, so test
# classes can CREATE DATABASE their own), builds Release, runs `dotnet test`, and prints
# as its very last line: "N passed, N failed, N skipped". Exits non-zero when anything
# failed or when no test ran; above that line, each failed test with the start of its
# message. TRX files stay in $PIPELINE_TEST_RESULTS (default
# TestResults/).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib/pg.sh
source scripts/lib/pg.sh

results=${PIPELINE_TEST_RESULTS:-$repo/TestResults}
tmp=$(mktemp -d -t pipeline-test.XXXXXX)

cleanup() {
    trap - EXIT INT TERM
    pg_stop "$tmp/pg" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Node.js and npm run the official Notion SDK against our fake Notion (tests/Pipeline.Tests/Notion/node).
ensure_packages postgresql ffmpeg:ffmpeg espeak-ng:espeak-ng fonts-dejavu-core python3:python3 nodejs:node npm:npm
pg_start --throwaway "$tmp/pg"
export PIPELINE_TEST_DB="Host=127.0.0.1;Port=$PG_PORT;Username=pipeline;Database=postgres"
# The same server over its unix socket, as scripts/run.sh connects its silos to its own cluster.
export PIPELINE_TEST_DB_LOCAL="Host=$PG_SOCKET_DIR;Port=$PG_PORT;Username=pipeline;Database=postgres"

echo "building (Release)..."
if ! dotnet build Pipeline.sln -c Release -nologo -v quiet --disable-build-servers; then
    cleanup
    echo "build failed"
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
fi

rm -rf "$results"
rc=0
dotnet test Pipeline.sln -c Release --no-build --nologo \
    --results-directory "$results" \
    --logger trx --logger "console;verbosity=normal" \
    "$@" || rc=$?

# Count the results in every TRX file (one per test project that ran). A theory's data
# rows count one each. Skipped = NotExecuted (xunit's Skip); Failed also covers
# Error, Timeout and Aborted. The failed tests are listed with the first lines of their
# messages just above the count, so the end of the output says what failed.
summary=$(
    python3 - "$results" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
n = {"passed": 0, "failed": 0, "skipped": 0}
failures = []
for path in glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:  # a run that died while writing its report
        print(f"unreadable {path}: {e}", file=sys.stderr)
        n["failed"] += 1
        continue
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] != "UnitTestResult":
            continue
        outcome = el.get("outcome", "")
        if outcome == "Passed":
            n["passed"] += 1
        elif outcome in ("NotExecuted", "Inconclusive", "Pending"):
            n["skipped"] += 1
        else:
            n["failed"] += 1
            message = next((m.text or "" for m in el.iter() if m.tag.rsplit("}", 1)[-1] == "Message"), "")
            lines = [line.strip() for line in message.strip().splitlines() if line.strip()][:3]
            failures.append((el.get("testName", "?"), el.get("duration", "?"), [line[:300] for line in lines]))
print(n["passed"], n["failed"], n["skipped"])
for name, duration, lines in failures[:20]:
    print(f"FAILED {name} [{duration}]")
    for line in lines:
        print(f"    {line}")
PY
) || true
read -r passed failed skipped <<<"${summary%%$'\n'*}" || true

: "${passed:=0}" "${failed:=0}" "${skipped:=0}"

cleanup
if ((rc != 0 && failed == 0)); then
    echo "dotnet test exited with $rc (test host crash or aborted run?)"
fi
if ((passed + failed + skipped == 0)); then
    echo "no tests ran"
    ((rc != 0)) || rc=1
fi
((failed == 0 || rc != 0)) || rc=1
if [[ $summary == *$'\n'* ]]; then
    echo "${summary#*$'\n'}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
