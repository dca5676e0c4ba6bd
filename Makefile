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

## The main job on the bundled samples, embedded DuckDB warehouse: copy data/samples into the
## inbox, run the nightly flow as of the samples' last day (ingest, classify with the shipped
## model, callback list, spike alerts, file away), then the monthly flow for the latest month.
demo: $(STAMP)
	mkdir -p data/inbox && cp -r data/samples/. data/inbox/
	$(BIN)/voc run nightly --today 2026-10-31
	$(BIN)/voc run monthly --month latest
	$(BIN)/voc status
	@echo
	@echo "outputs: warehouse data/warehouse/voc.duckdb; callback lists reports/callbacks/;"
	@echo "         spike alerts reports/alerts/; committee report reports/<month>/report.html; inbox archive data/inbox/archive/"

## Run the test suite (slow tests are opt-in: make test PYTEST_ARGS="-m slow").
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) data/warehouse bench/out .pytest_cache .hypothesis
