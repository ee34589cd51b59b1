# Two commands for a new machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= eventwire.duckdb
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test test-fast lint bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Code the bundled sample corpus into the default DuckDB file, show what came out, then serve
# the web UI on localhost (Ctrl-C stops it; `make run PORT=8001` if 8000 is taken).
run: install
	$(BIN)/eventwire ingest samples/text samples/html samples/corpus.jsonl --db $(DB)
	$(BIN)/eventwire events --db $(DB) --limit 40
	$(BIN)/eventwire serve --db $(DB) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not slow"

bench: install
	$(BIN)/eventwire bench

clean:
	rm -rf $(VENV) *.duckdb .pytest_cache .mypy_cache .ruff_cache
