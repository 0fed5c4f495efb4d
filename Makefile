# make run  - install the runtime dependencies only, migrate, load demo data, serve GraphQL
#             on http://127.0.0.1:8000/graphql
# make test - install with dev extras and run the whole suite (SQLite and PostgreSQL)
# Deployment (Dockerfile, compose.yaml): docs/deploy.md
# make lint - ruff and the import contracts (.importlinter); .ci/run runs it before the tests
# make test-unit - the table-driven tests of the pure rules alone, in seconds
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per install: the runtime alone (make run) or with the dev extras (make
# install, test, lint); each is redone when pyproject.toml changes, and a dev install
# satisfies a runtime one, so switching between them reinstalls only what is missing.
STAMP  := $(VENV)/.installed-stamp
RUNTIME_STAMP := $(VENV)/.installed-runtime-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
export FACTORYLEDGER_DATABASE_URL ?= sqlite:///var/factoryledger.db

.PHONY: install install-runtime run test test-unit test-long lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if [ -f $(STAMP) ] && [ $(STAMP) -nt pyproject.toml ]; then \
	  echo "runtime dependencies already installed (with the dev extras)"; \
	else \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -e .; \
	fi
	touch $(RUNTIME_STAMP)

install: $(STAMP)

install-runtime: $(RUNTIME_STAMP)  ## the runtime dependencies only (no pytest, ortools)

run: install-runtime
	$(BIN)/factoryledger migrate
	$(BIN)/factoryledger demo
	$(BIN)/factoryledger serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: install  ## the pure rules only (tests/unit): no store, a few seconds
	$(BIN)/python -m pytest -m unit tests/unit $(PYTEST_ARGS)

test-long: install  ## the suite with the long fuzz runs (100 random examples per GraphQL operation),
## every store migrated and every scene set up from nothing (no copies: tests/conftest.py StoreCopies)
	FACTORYLEDGER_FUZZ_EXAMPLES=100 FACTORYLEDGER_FUZZ_RANDOM=1 FACTORYLEDGER_TEST_MIGRATE_EACH=1 \
	  $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install  ## ruff, then the import contracts in .importlinter (layers, no cycles)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

bench: install  ## every benchmark on both stores (tens of minutes; see docs/benchmarks.md)
	for store in sqlite postgres; do \
	  $(BIN)/python bench/ledger.py --store $$store && \
	  $(BIN)/python bench/inventory.py --store $$store && \
	  $(BIN)/python bench/shopfloor.py --store $$store && \
	  $(BIN)/python bench/flow.py --store $$store && \
	  $(BIN)/python bench/close.py --store $$store || exit 1; \
	done
	$(BIN)/python bench/mrp.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
