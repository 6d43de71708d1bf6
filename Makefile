# Two commands matter: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip --disable-pip-version-check -q

.PHONY: demo test install install-test lint typecheck unit integration browser clean

$(VENV)/.installed: pyproject.toml scripts/install-system.sh
	scripts/install-system.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	scripts/install-system.sh --test
	$(PIP) install -e '.[dev]'
	if [ -x scripts/install-browser.sh ]; then scripts/install-browser.sh; fi
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Install everything, seed the demo data and start Asta on http://127.0.0.1:8000
demo: install
	$(BIN)/asta demo

## Install what the tests need, then lint, type-check and run the whole suite.
## The browser journeys run in their own process: Playwright's sync API keeps an event loop
## running in the main thread, which the asyncio tests cannot share.
test: install-test lint typecheck
	$(BIN)/python -m pytest -m "not browser"
	scripts/clock-check.sh
	$(BIN)/python -m pytest -m browser tests/browser

lint: install-test
	$(BIN)/ruff check .

typecheck: install-test
	$(BIN)/mypy

unit: install-test
	$(BIN)/python -m pytest tests/unit

integration: install-test
	$(BIN)/python -m pytest tests/integration

browser: install-test
	$(BIN)/python -m pytest -m browser tests/browser

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
