#!/usr/bin/env bash
# The scaled deployment on this machine, for ThroughputBench (docs/performance.md) — not a test:
# a throwaway PostgreSQL (cases and jobs) and Azurite (blobs), one API/review host (src/ReviewUi: ingest + review, no
# jobs) and WORKERS worker processes (src/WorkerHost), all on loopback ports chosen free at start; then ThroughputBench
# once per RUN (COUNT:RATE, rate 0 = all at once), measuring the CPU and peak memory of the API host, the workers,
# PostgreSQL and Azurite (each with its children). Everything lives in a fresh folder removed at the end (VP_BENCH_KEEP=1
# keeps it): running it again starts from nothing, and nothing outside that folder is touched.
#   tools/ThroughputBench/scaled.sh [WORKERS=1] [RUN=16:0 ...]
#   e.g. tools/ThroughputBench/scaled.sh 2 16:0 8:200       # 2 workers: saturation, then 8 at 200/h
# VP_BENCH_NO_BUILD=1 skips the solution build.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKERS=${1:-1}; shift || true
RUNS=("$@"); [ ${#RUNS[@]} -gt 0 ] || RUNS=(16:0)
scripts/setup.sh --test >/dev/null
TOOLS=${VP_TOOLS_DIR:-$HOME/.cache/verifypipeline/tools}
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
RUNDIR=$(mktemp -d "${TMPDIR:-/tmp}/vp-tbench.XXXXXX"); chmod 755 "$RUNDIR"
PGBIN=/usr/lib/postgresql/15/bin
PGPORT=$(free_port); AZPORT=$(free_port); APIPORT=$(free_port)
PIDS=()
cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 1; for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -f "$RUNDIR/pg/data/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$RUNDIR/pg/data" -m immediate -w stop >/dev/null
  [ -n "${VP_BENCH_KEEP:-}" ] && echo "kept $RUNDIR" >&2 || rm -rf "$RUNDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$RUNDIR/pg" && chown postgres:postgres "$RUNDIR/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$RUNDIR/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$RUNDIR/initdb.log"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$RUNDIR/pg/data" -l "$RUNDIR/pg/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $RUNDIR/pg -c max_connections=200" start >/dev/null
runuser -u postgres -- "$PGBIN/psql" -h "$RUNDIR/pg" -p "$PGPORT" -U postgres -qc "create database bench" >/dev/null
PGPID=$(head -1 "$RUNDIR/pg/data/postmaster.pid")
"$TOOLS/azurite/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$AZPORT" \
  --location "$RUNDIR/azurite" --skipApiVersionCheck --silent >"$RUNDIR/azurite.log" 2>&1 &
AZPID=$!; PIDS+=($AZPID)
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$AZPORT) 2>/dev/null && break; sleep 0.1; done

[ -n "${VP_BENCH_NO_BUILD:-}" ] || dotnet build VerifyPipeline.sln -c Release -nologo -clp:ErrorsOnly -v:q >/dev/null

export Storage__Cases__Provider=Postgres Storage__Cases__Connection="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=bench;Maximum Pool Size=40"
export Storage__Jobs__Provider=Postgres Storage__Jobs__Connection="$Storage__Cases__Connection"
export Storage__Blobs__Provider=Azure Storage__Blobs__Container=bench
export Storage__Blobs__Connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZPORT/devstoreaccount1;"
export VP_DEMO_CREDENTIALS=off Forms__HmacKey=bench-form-key-0123456789abcdef KEY=bench-portal-key-0123456789abcdef
export Ingest__Clients__portal__Key=$KEY Ingest__Clients__portal__Channel=Portal
export Review__KeysFolder=$RUNDIR/keys Ingest__TempFolder=$RUNDIR/tmp Pipeline__WorkFolder=$RUNDIR/work Outbox__Folder=$RUNDIR/outbox
export Hosting__WatchFaxInbox=false Logging__LogLevel__Default=Warning OMP_THREAD_LIMIT=1

Hosting__RunJobs=false dotnet src/ReviewUi/bin/Release/net10.0/VerifyPipeline.ReviewUi.dll \
  --urls "http://127.0.0.1:$APIPORT" >"$RUNDIR/api.log" 2>&1 &
APIPID=$!; PIDS+=($APIPID)
WPIDS=()
for w in $(seq 1 "$WORKERS"); do
  dotnet src/WorkerHost/bin/Release/net10.0/VerifyPipeline.WorkerHost.dll >"$RUNDIR/worker-$w.log" 2>&1 &
  WPIDS+=($!); PIDS+=($!)
done
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$APIPORT/health/live" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$APIPORT/health/live" >/dev/null || { echo "the API host did not start: $(tail -5 "$RUNDIR/api.log")" >&2; exit 1; }

ALL=$(IFS=,; echo "$APIPID,${WPIDS[*]},$PGPID,$AZPID")
echo "scaled: API host $APIPID on 127.0.0.1:$APIPORT, $WORKERS worker(s) ${WPIDS[*]}, PostgreSQL $PGPID, Azurite $AZPID" >&2
# One online PIN per submission, held by the request's codice fiscale (docs/form-example.request.json), as the embedded
# host's demo PIN is: the cases then end as they do there (in review: the sample's form is another person's).
CF=$(python3 -c 'import json;print(json.load(open("docs/form-example.request.json"))["codice_fiscale"])')
k=0
for run in "${RUNS[@]}"; do
  k=$((k + 1)); prefix="PIN-S${WORKERS}R${k}-"
  { echo "reference,codice_fiscale,status"; for i in $(seq 0 $(( ${run%%:*} - 1 ))); do printf '%s%04d,%s,online\n' "$prefix" "$i" "$CF"; done; } >"$RUNDIR/pins-$k.csv"
  dotnet src/Verify/bin/Release/net10.0/verify.dll pins import "$RUNDIR/pins-$k.csv" --provider postgres --db "$Storage__Cases__Connection" >/dev/null
  dotnet tools/ThroughputBench/bin/Release/net10.0/VerifyPipeline.ThroughputBench.dll --api "http://127.0.0.1:$APIPORT" --key "$KEY" \
    --count "${run%%:*}" --rate "${run##*:}" --pid "$ALL" --pin-prefix "$prefix" --label "scaled, $WORKERS worker(s)"
done
