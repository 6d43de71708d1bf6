# Two commands matter: `make demo` and `make test` (see README.md).
PYTHON ?= python3
PORT   ?= 8000
VENV   := .venv
BIN    := $(VENV)/bin
# Every install syncs the virtualenv from uv.lock (exact versions and hashes). uv itself is
# pinned and bootstrapped with pip into .uv-tool, so a bare machine needs only python3-venv.
UV_VERSION := 0.13.9
UV     := .uv-tool/bin/uv
# One test process per core. Tests are handed out one at a time, not in chunks of a quarter
# of the suite: the slow ones (sorted first) then spread over every process.
PARALLEL := -n auto --maxschedchunk 1
# The slowest tests are named at the end of each run, to see where the minutes go.
DURATIONS := --durations=15
SYNC   := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON=$(PYTHON) UV_PYTHON_DOWNLOADS=never \
          $(UV) sync --locked

.PHONY: demo test install install-test upgrade lint typecheck unit integration browser clean

$(UV):
	$(PYTHON) -m venv .uv-tool
	.uv-tool/bin/pip install --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: uv.lock pyproject.toml scripts/install-system.sh | $(UV)
	scripts/install-system.sh
	$(SYNC)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	scripts/install-system.sh --test
	$(SYNC) --extra dev
	if [ -x scripts/install-browser.sh ]; then scripts/install-browser.sh; fi
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Move every locked version to the newest release that pyproject.toml's bounds allow.
upgrade: | $(UV)
	$(UV) lock --upgrade
	$(SYNC) --extra dev

## Install everything, seed the demo data and start Asta on http://127.0.0.1:$(PORT)
demo: install
	$(BIN)/asta demo --port $(PORT)

## Install what the tests need, then lint, type-check and run the whole suite.
## The browser journeys run in their own process: Playwright's sync API keeps an event loop
## running in the main thread, which the asyncio tests cannot share. The type check and the
## clock check run beside them (scripts/browser-and-checks.sh).
test: install-test lint
	$(BIN)/python -m pytest -m "not browser" $(PARALLEL) $(DURATIONS)
	scripts/browser-and-checks.sh

lint: install-test
	$(BIN)/ruff check .

typecheck: install-test
	$(BIN)/mypy

unit: install-test
	$(BIN)/python -m pytest tests/unit $(PARALLEL)

integration: install-test
	$(BIN)/python -m pytest tests/integration $(PARALLEL)

browser: install-test
	$(BIN)/python -m pytest -m browser tests/browser

clean:
	rm -rf $(VENV) .uv-tool .pytest_cache .mypy_cache .ruff_cache
