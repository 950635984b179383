#!/usr/bin/env bash
# Runs the whole system in one process on the embedded defaults (SQLite, Hangfire in memory, blobs in ./data):
# the portal and fax-gateway API, the fax inbox ./data/fax-inbox, the review UI, the pipeline (src/Host, the all-in-one). Extra arguments go to the host,
# e.g. ./run.sh --urls http://127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
dotnet build src/Host -c Release -nologo -clp:ErrorsOnly -v:q
export OMP_THREAD_LIMIT=1   # Tesseract: 0.4 s/page with one OpenMP thread, 2 s without (reference facts)
exec dotnet src/Host/bin/Release/net10.0/VerifyPipeline.Host.dll "$@"
