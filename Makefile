# Guichet: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
GUICHET := $(VENV)/bin/guichet
STAMP := $(VENV)/.installed

.PHONY: install messages run serve migrate demo test lint bench clean

# The demo and `make run` are for a development machine: DEBUG on, demo secrets accepted.
# `make serve` is production: DEBUG off unless the environment says otherwise.
migrate demo run lint: export DEBUG = 1

$(STAMP): pyproject.toml
	bash scripts/system-packages.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The translations' .mo files, built from the catalogues (never committed).
messages: install
	bash scripts/compile-messages.sh

migrate: messages
	mkdir -p var
	$(GUICHET) migrate --noinput
	$(GUICHET) createcachetable

demo: migrate
	$(GUICHET) demo

run: demo
	bash scripts/run.sh

serve: messages
	bash scripts/serve.sh

test: messages
	$(PY) -m pytest

# The quality gate: lint, format, the apps' layers (docs/architecture.md), types (mypy: strict on
# the engine and the simulator), and no model change without its migration.
lint: install
	$(VENV)/bin/ruff check guichet tests bench
	$(VENV)/bin/ruff format --check guichet tests bench
	$(VENV)/bin/lint-imports pyproject.toml --no-cache --no-logo
	$(VENV)/bin/mypy
	$(GUICHET) makemigrations --check --dry-run

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
