#!/usr/bin/env bash
# The whole test suite: lint and types (ruff, mypy on src/), unit tests (fast, no models, no
# network) then integration tests (real bundled model, real Chroma embedded and server, real
# LLM server, real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 ANONYMIZED_TELEMETRY=False
.venv/bin/ruff check src tests bench
.venv/bin/mypy
.venv/bin/python scripts/config_table.py --check
.venv/bin/python -m pytest tests -q -p no:cacheprovider "$@"
