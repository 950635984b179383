#!/usr/bin/env bash
# The soak of issue 11 (not a test): COUNT uploads from CONCURRENCY clients through the API of a scaled ingest host,
# WORKERS `verify worker` processes against a throwaway PostgreSQL and Azurite, one worker killed with SIGKILL every
# KILL_EVERY seconds and started again, for KILL_MINUTES (0: until the end); then every case must be decided: 0 lost,
# 0 duplicated.
#   tools/Soak/soak.sh [COUNT=2000] [CONCURRENCY=20] [KILL_EVERY=30] [WORKERS=2] [TIMEOUT_MINUTES=180] [KILL_MINUTES=0]
# Prints the client's progress (stderr) and JSON line, then the kills and when they stopped (seconds after the start;
# drain_after_kills_s = the last decision after that), and exits non-zero when anything was lost, duplicated or undecided.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-2000}; CONCURRENCY=${2:-20}; KILL_EVERY=${3:-30}; WORKERS=${4:-2}; TIMEOUT_MINUTES=${5:-180}; KILL_MINUTES=${6:-0}
scripts/setup.sh --test >/dev/null
TOOLS=${VP_TOOLS_DIR:-$HOME/.cache/verifypipeline/tools}
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
RUNDIR=$(mktemp -d "${TMPDIR:-/tmp}/vp-soak.XXXXXX"); chmod 755 "$RUNDIR"
PGBIN=/usr/lib/postgresql/15/bin
PGPORT=$(free_port); AZPORT=$(free_port); APIPORT=$(free_port)
PIDS=()
cleanup() {
  set +e
  [ -f "$RUNDIR/killer.pid" ] && kill -KILL "$(cat "$RUNDIR/killer.pid")" 2>/dev/null
  for p in $(cat "$RUNDIR"/worker-*.pid 2>/dev/null) "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -f "$RUNDIR/pg/data/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$RUNDIR/pg/data" -m immediate -w stop >/dev/null
  [ -n "${VP_SOAK_KEEP:-}" ] && echo "kept $RUNDIR" >&2 || rm -rf "$RUNDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$RUNDIR/pg" && chown postgres:postgres "$RUNDIR/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$RUNDIR/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$RUNDIR/initdb.log"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$RUNDIR/pg/data" -l "$RUNDIR/pg/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $RUNDIR/pg -c max_connections=300" start >/dev/null
runuser -u postgres -- "$PGBIN/psql" -h "$RUNDIR/pg" -p "$PGPORT" -U postgres -qc "create database soak" >/dev/null
"$TOOLS/azurite/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$AZPORT" \
  --location "$RUNDIR/azurite" --skipApiVersionCheck --silent >"$RUNDIR/azurite.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$AZPORT) 2>/dev/null && break; sleep 0.1; done

[ -n "${VP_SOAK_NO_BUILD:-}" ] || dotnet build VerifyPipeline.sln -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null

export Storage__Cases__Provider=Postgres Storage__Cases__Connection="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=soak;Maximum Pool Size=40"
export Storage__Jobs__Provider=Postgres Storage__Jobs__Connection="$Storage__Cases__Connection"
export Storage__Blobs__Provider=Azure Storage__Blobs__Container=soak
export Storage__Blobs__Connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZPORT/devstoreaccount1;"
export VP_DEMO_CREDENTIALS=off Forms__HmacKey=soak-form-key-0123456789abcdef KEY=soak-portal-key-0123456789abcdef
export Ingest__Clients__portal__Key=$KEY Ingest__Clients__portal__Channel=Portal
export Review__KeysFolder=$RUNDIR/keys Ingest__TempFolder=$RUNDIR/tmp Pipeline__WorkFolder=$RUNDIR/work Outbox__Folder=$RUNDIR/outbox
export Hosting__WatchFaxInbox=false Logging__LogLevel__Default=Warning OMP_THREAD_LIMIT=1

Hosting__RunJobs=false Hosting__ServeReview=false dotnet src/ReviewUi/bin/Release/net10.0/VerifyPipeline.ReviewUi.dll \
  --urls "http://127.0.0.1:$APIPORT" >"$RUNDIR/ingest.log" 2>&1 &
PIDS+=($!)
start_worker() { dotnet src/Verify/bin/Release/net10.0/verify.dll worker >>"$RUNDIR/worker-$1.log" 2>&1 & echo $! >"$RUNDIR/worker-$1.pid"; }
for w in $(seq 1 "$WORKERS"); do start_worker "$w"; done
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$APIPORT/health/live" >/dev/null && break; sleep 0.2; done

# Worker 1 is killed with SIGKILL every KILL_EVERY seconds and started again at once; the others keep running.
START=$(date +%s)
( kills=0
  while sleep "$KILL_EVERY"; do
    [ "$KILL_MINUTES" != 0 ] && [ $(( $(date +%s) - START )) -ge $(( KILL_MINUTES * 60 )) ] && break
    kill -KILL "$(cat "$RUNDIR/worker-1.pid")" 2>/dev/null || true
    kills=$((kills + 1)); echo "$kills" >"$RUNDIR/kills"; echo $(( $(date +%s) - START )) >"$RUNDIR/last-kill"
    start_worker 1
  done ) &
echo $! >"$RUNDIR/killer.pid"

set +e
dotnet tools/Soak/bin/Release/net10.0/VerifyPipeline.Soak.dll "http://127.0.0.1:$APIPORT" "$KEY" "$COUNT" "$CONCURRENCY" "$TIMEOUT_MINUTES" | tee "$RUNDIR/result.json"
rc=${PIPESTATUS[0]}
set -e
last_kill=$(cat "$RUNDIR/last-kill" 2>/dev/null || echo 0)
all_decided=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["all_decided_seconds"])' "$RUNDIR/result.json" 2>/dev/null || echo 0)
echo "{\"worker_kills\": $(cat "$RUNDIR/kills" 2>/dev/null || echo 0), \"kill_every_s\": $KILL_EVERY, \"workers\": $WORKERS, \"last_kill_s\": $last_kill, \"drain_after_kills_s\": $(python3 -c "print(max(0, round($all_decided - $last_kill, 1)))")}"
exit $rc
