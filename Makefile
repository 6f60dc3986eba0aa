# One command to run the app, one to run every test. Both install what they need on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint install install-dev system-deps a11y-deps bench bench-browser clean

run: install  ## Start the app on the embedded SQLite database (or on DATABASE_URL if set)
	$(BIN)/python -m gcm_guide.server --server.port $(PORT)

test: install-dev system-deps a11y-deps  ## Lint and type-check, then the whole test suite (SQLite, PostgreSQL, browser)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m gcm_guide.catalogs check
	$(BIN)/python -m pytest

lint: install-dev  ## ruff, mypy, and every interface string translated in every language
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m gcm_guide.catalogs check

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

system-deps:
	scripts/install-system-deps.sh

# axe-core, the accessibility checker the browser tests inject into each page (pinned by its lock file).
a11y-deps: tests/a11y/node_modules/axe-core/axe.min.js
tests/a11y/node_modules/axe-core/axe.min.js: tests/a11y/package-lock.json
	npm ci --prefix tests/a11y --no-audit --no-fund --silent
	touch $@

bench: install-dev system-deps  ## Measure page reruns, PDF and exports (writes docs/benchmarks.md)
	$(BIN)/python bench/run.py

bench-browser: install-dev system-deps  ## Measure what a person waits for in Chromium (a section of docs/benchmarks.md)
	$(BIN)/python bench/browser.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts tests/a11y/node_modules
