# The README's commands. Everything a fresh machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PACKAGES := -e ./intacct-client -e ./intacct-sandbox -e ./tap-intacct -e ./target-intacct
SOURCES := intacct-client/intacct_client intacct-sandbox/intacct_sandbox tap-intacct/tap_intacct target-intacct/target_intacct

.PHONY: install test test-fast lint typecheck demo bench postgres clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip==26.3 uv==0.13.9

# Bytecode is compiled at install time: with PYTHONDONTWRITEBYTECODE set (as on CI
# images) every tap, target and sandbox process would otherwise compile its imports
# again, about a second of CPU per start.
install: $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(PY) $(PACKAGES) -r requirements-dev.txt
	$(PY) -m compileall -q -j 0 $(SOURCES) $$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') > /dev/null
	@echo "installed into $(VENV)/"

postgres:
	bash scripts/ensure-postgres.sh

test: install postgres
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) tests

test-fast: install
	$(BIN)/pytest -p no:cacheprovider -m "not e2e and not slow" tests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy $(SOURCES)

demo: install
	$(PY) scripts/demo.py

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .meltano output
