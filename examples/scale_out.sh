#!/usr/bin/env bash
# Several chat servers on one host serving one index: one `chroma run` holds the vectors,
# the state database (SQLite in WAL mode) in DATA_DIR is read by every server, and each
# server listens on its own port (put a reverse proxy in front for one address; see
# docs/benchmarks.md, "More users than one process serves").
#
#   examples/scale_out.sh DATA_DIR [SERVERS=2] [FIRST_PORT=7861] [CHROMA_PORT=8000] [ARCHIVE]
#
# With ARCHIVE, it is ingested first (vectors to the Chroma server). Stops everything on
# Ctrl-C or TERM. MINUTES_RAG_BIN names the folder of the minutes-rag and chroma commands
# (default: the project's .venv/bin).
set -euo pipefail

DATA=${1:?usage: scale_out.sh DATA_DIR [SERVERS] [FIRST_PORT] [CHROMA_PORT] [ARCHIVE]}
SERVERS=${2:-2}
FIRST_PORT=${3:-7861}
CHROMA_PORT=${4:-8000}
ARCHIVE=${5:-}
BIN=${MINUTES_RAG_BIN:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin}

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$DATA"
"$BIN/chroma" run --path "$DATA/chroma-server" --host 127.0.0.1 --port "$CHROMA_PORT" \
    >"$DATA/chroma-server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$CHROMA_PORT") 2>/dev/null; then break; fi
    sleep 0.2
done
export MINUTES_RAG_CHROMA_URL="http://127.0.0.1:$CHROMA_PORT"
echo "chroma: $MINUTES_RAG_CHROMA_URL (log $DATA/chroma-server.log)"

if [ -n "$ARCHIVE" ]; then
    "$BIN/minutes-rag" ingest "$ARCHIVE" --data-dir "$DATA"
fi

for i in $(seq 0 $((SERVERS - 1))); do
    port=$((FIRST_PORT + i))
    "$BIN/minutes-rag" serve --data-dir "$DATA" --port "$port" >"$DATA/serve-$port.log" 2>&1 &
    pids+=($!)
    echo "server $((i + 1)): http://127.0.0.1:$port (log $DATA/serve-$port.log)"
done
wait
