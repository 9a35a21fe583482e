#!/usr/bin/env bash
# llama-cpp-python (with its OpenAI-compatible server) for the LLM-path integration tests.
# PyPI ships it as source only: it compiles here (~6 min on 2 cores, needs gcc/g++/cmake).
# The wheel is kept in .venv/wheels so a second run installs in a second.
set -euo pipefail
cd "$(dirname "$0")/.."
if .venv/bin/python -c "import llama_cpp.server" 2>/dev/null; then exit 0; fi
mkdir -p .venv/wheels
if ! ls .venv/wheels/llama_cpp_python-*.whl >/dev/null 2>&1; then
  echo "building llama-cpp-python (several minutes, once)..." >&2
  CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) .venv/bin/python -m pip wheel -q --disable-pip-version-check \
    --no-deps --no-cache-dir -w .venv/wheels "llama-cpp-python==0.3.36"
fi
whl=$(ls .venv/wheels/llama_cpp_python-*.whl | head -1)
.venv/bin/uv pip install --python .venv/bin/python --compile-bytecode -q -c constraints.txt "${whl}[server]"
