# dondoc: the two set-up commands of the README (`make run`, `make test`) and a few more.
# Each target creates the virtual environment and installs the project by itself.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run demo sandbox test lint format bench kit-example web web-screens clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "dondoc needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## The main job: the bot on Telegram with TELEGRAM_BOT_TOKEN, otherwise the sandbox.
run: $(STAMP)
	@$(PY) -m bot run

demo sandbox: $(STAMP)
	@$(PY) -m bot sandbox

## The whole test suite, with lint and the architecture contracts. Exit 5 (no tests) fails.
test: $(STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache
	@$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

lint: $(STAMP)
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	@$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

bench: $(STAMP)
	@$(PY) -m bench

## The onboarding kit for the seed notice: examples/kit/ and the pictures in docs/img/.
kit-example: $(STAMP)
	@$(PY) -m bot.reports.kit.example

## The web app beside a polling bot (webhook mode serves it from `make run` already).
web: $(STAMP)
	@$(PY) -m bot web

## Pictures of the web app's main pages (docs/img/web-*.png), taken by headless Chromium.
web-screens: $(STAMP)
	@$(PY) -m tests.web.screens

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
