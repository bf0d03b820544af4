# dondoc: the two set-up commands of the README (`make run`, `make test`) and a few more.
# Each target creates the virtual environment and installs the project by itself.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run demo sandbox test lint typecheck check-house format bench kit-example clean

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
	@$(VENV)/bin/mypy
	@$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

lint: $(STAMP)
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports --no-cache

## Types: strict on the domain, the services and storage's own modules (pyproject.toml).
typecheck: $(STAMP)
	@$(VENV)/bin/mypy

## The house rules alone, in seconds: layers, types, module size, one harness, fixtures.
check-house: $(STAMP)
	@$(VENV)/bin/lint-imports --no-cache
	@$(VENV)/bin/mypy
	@$(PY) -m pytest -q -p no:cacheprovider tests/test_house.py tests/test_architecture.py

format: $(STAMP)
	@$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

bench: $(STAMP)
	@$(PY) -m bench

## The onboarding kit for the seed notice: examples/kit/ and the pictures in docs/img/.
kit-example: $(STAMP)
	@$(PY) -m bot.reports.kit.example

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache
