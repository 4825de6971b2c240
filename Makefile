# The README's commands. Everything a fresh machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PACKAGES := -e ./intacct-client -e ./intacct-sandbox -e ./tap-intacct -e ./target-intacct

.PHONY: install test test-fast lint typecheck demo bench postgres clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip uv

install: $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(PY) $(PACKAGES) -r requirements-dev.txt
	@echo "installed into $(VENV)/"

postgres:
	bash scripts/ensure-postgres.sh

test: install postgres
	$(BIN)/pytest -p no:cacheprovider tests

test-fast: install
	$(BIN)/pytest -p no:cacheprovider -m "not e2e and not slow" tests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy intacct-client/intacct_client intacct-sandbox/intacct_sandbox tap-intacct/tap_intacct target-intacct/target_intacct

demo: install
	$(PY) scripts/demo.py

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .meltano output
