# Two commands for a fresh machine with Python 3.11+ and pip:
#   make demo   install, then summarise the bundled sample page with the offline engine (into its own
#               store, outputs/demo/summarize.db, so the sample stays out of your real store)
#   make test   install with the test extras, then run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test test-real local-llm local-llm-start local-llm-stop install install-test clean

# The real-model tier (not part of `make test`): a llama.cpp server and a small model from the registries.
LOCAL_LLM_MODEL ?= qwen0.5b

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
	$(BIN)/ruff check agent
	$(BIN)/ruff format --check agent
	$(BIN)/mypy agent
	$(BIN)/python -m pytest -q

local-llm:
	scripts/local-llm.sh install $(LOCAL_LLM_MODEL)

local-llm-start:
	scripts/local-llm.sh start $(LOCAL_LLM_MODEL)

local-llm-stop:
	scripts/local-llm.sh stop

# Starts the server when it is installed (make local-llm), runs tests/real, stops what it started.
test-real: install-test
	@started=0; scripts/local-llm.sh status >/dev/null 2>&1 || { scripts/local-llm.sh start $(LOCAL_LLM_MODEL) && started=1; }; \
	eval "$$(scripts/local-llm.sh env $(LOCAL_LLM_MODEL))"; \
	SUMMARIZE_REAL_BASE_URL=$$OPENAI_BASE_URL SUMMARIZE_REAL_MODEL=$$SUMMARIZE_MODEL $(BIN)/python -m pytest -q tests/real; \
	code=$$?; [ $$started = 1 ] && scripts/local-llm.sh stop; exit $$code

clean:
	rm -rf $(VENV) build dist outputs/demo
