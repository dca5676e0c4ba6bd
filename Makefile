# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: demo test bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,transformer]'
	touch $@

## Land the bundled sample inputs in the embedded DuckDB warehouse, classify them with the
## shipped model (models/PRODUCTION) and show what the warehouse holds.
demo: $(STAMP)
	$(BIN)/voc ingest data/samples
	$(BIN)/voc classify
	$(BIN)/voc status

## Run the test suite (slow tests are opt-in: make test PYTEST_ARGS="-m slow").
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) data/warehouse bench/out .pytest_cache .hypothesis
