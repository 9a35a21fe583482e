#!/usr/bin/env bash
# Creates .venv with everything minutes-rag needs. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.setup-stamp
want=$(cat pyproject.toml constraints.txt scripts/setup.sh | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade "uv>=0.5"
# torch first, on its own: pip takes the CPU wheel this machine kind keeps on disk (pip's
# find-links); asking uv or a resolver for torch would fetch a multi-GB CUDA build.
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  .venv/bin/python -m pip install -q --disable-pip-version-check "torch==2.13.0"
fi
.venv/bin/uv pip install --python .venv/bin/python --compile-bytecode -q \
  -c constraints.txt -e ".[eval]" --group test
echo "$want" > "$stamp"
