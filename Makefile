# The two commands a newcomer needs:
#   make run    set up, ingest the sample archive, start the chat
#   make test   set up and run the whole test suite (what CI runs)
DATA_DIR ?= data
PY := .venv/bin/python
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run ingest test test-unit system-deps llama bench clean

setup:
	bash scripts/setup.sh

ingest: setup
	.venv/bin/minutes-rag ingest ingest/sample --data-dir $(DATA_DIR) --prune

run: ingest
	MINUTES_RAG_DATA_DIR=$(DATA_DIR) $(PY) app.py

# llama-cpp-python, built from source once, for the LLM server tests.
llama: setup
	bash scripts/llama.sh

# Debian packages for the browser test and the LLM server build (CI runs as root).
system-deps:
	bash scripts/system-deps.sh

test: setup system-deps llama
	bash scripts/test.sh

test-unit: setup
	$(PY) -m pytest tests/unit -q

bench: setup
	$(PY) bench/bench_ask.py

clean:
	rm -rf $(DATA_DIR) .pytest_cache
