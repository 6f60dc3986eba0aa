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

# uv installs the same pinned packages as pip in about a third of the time (docs/benchmarks.md); pip itself
# installs uv, so Python is all a machine needs. Where uv cannot reach an index that pip can (a mirror set in
# pip's configuration), pip does the install instead. The package is installed editable: the app, bench/ and
# scripts/ import `gcm_guide` from this checkout, which also holds its data/.
UV := uv==0.13.9
INSTALL = $(BIN)/python -m uv pip install --quiet --python $(BIN)/python $(1) \
	|| $(BIN)/python -m pip install --quiet $(1)

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(UV) || true
	$(call INSTALL,-r requirements.txt -c constraints.txt)
	$(call INSTALL,--no-deps -e .)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(call INSTALL,-r requirements-dev.txt -c constraints.txt)
	touch $@

system-deps:
	scripts/install-system-deps.sh

# axe-core, the accessibility checker the browser tests inject into each page (pinned by its lock file).
a11y-deps: tests/a11y/node_modules/axe-core/axe.min.js
tests/a11y/node_modules/axe-core/axe.min.js: tests/a11y/package-lock.json
	npm ci --prefix tests/a11y --no-audit --no-fund --silent
	touch $@

bench: install-dev system-deps  ## Measure page reruns, PDF and exports (writes docs/benchmarks.md)
	$(BIN)/python -m bench.run

bench-browser: install-dev system-deps  ## Measure what a person waits for in Chromium (a section of docs/benchmarks.md)
	$(BIN)/python -m bench.browser

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts tests/a11y/node_modules
