# Two commands for a fresh machine with Python 3.11+ and pip:
#   make demo   install, then summarise the bundled sample page with the offline engine (into its own
#               store, outputs/demo/summarize.db, so the sample stays out of your real store)
#   make test   install with the test extras, then run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"

demo: install
	$(BIN)/summarize run tests/data/hf_page_sample.txt --engine rules --out outputs/demo --db outputs/demo/summarize.db

test: install-test
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build dist outputs/demo
