# VisitFlow. `make run` sets up and serves the demo; `make test` runs every check CI runs.
# Both start from a clean checkout: they install what they need (Python packages from
# uv.lock, front-end files from package-lock.json, compiled translations).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := setup
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

# uv uses the python3 on PATH and never downloads an interpreter of its own.
PYTHON ?= python3
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
VENDOR := static/vendor

HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 3
PYTEST_ARGS ?=

# Directories makemessages must not read.
MESSAGES_IGNORE := --ignore=.venv --ignore=.tools --ignore=node_modules \
	--ignore=static/vendor --ignore=var --ignore=tests --ignore=bench --ignore=docs

.PHONY: setup env venv vendor compilemessages messages run test lint typecheck format clean help \
	check-migrations check-deploy check-i18n pytest
# Steps run one after another, in the order written, even under make -j.
.NOTPARALLEL:

help:
	@echo "make setup            venv (uv sync --frozen), npm ci + static/vendor, compiled translations"
	@echo "make run              setup, migrate, seed_demo, collectstatic, serve on http://$(HOST):$(PORT)/"
	@echo "make test             setup, ruff, mypy, migrations check, deploy check, translations check, pytest"
	@echo "make lint | format    ruff check / ruff format (fixes)"
	@echo "make typecheck        mypy visitflow config (django-stubs)"
	@echo "make messages         makemessages for zh_Hans and en (needs GNU gettext)"
	@echo "make compilemessages  .po -> .mo with polib (no gettext needed)"

setup env: venv vendor compilemessages

venv:
	@uv=$$(PYTHON=$(PYTHON) scripts/ensure-uv.sh); \
	"$$uv" sync --frozen --python "$(PYTHON)"

# npm ci reinstalls from the lock file, so it runs only when package*.json changed.
node_modules/.installed: package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else npm install --no-audit --no-fund; fi
	@touch $@

vendor: node_modules/.installed
	@rm -rf $(VENDOR)
	@mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons/fonts $(VENDOR)/htmx $(VENDOR)/echarts
	@cp node_modules/bootstrap/dist/css/bootstrap.min.css \
		node_modules/bootstrap/dist/css/bootstrap.min.css.map \
		node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
		node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
		$(VENDOR)/bootstrap/
	@cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/bootstrap-icons/
	@cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff \
		node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 \
		$(VENDOR)/bootstrap-icons/fonts/
	@cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	@cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	@echo "static/vendor: bootstrap, bootstrap-icons, htmx, echarts copied."

compilemessages: venv
	@$(PY) scripts/i18n.py compile

# Developers only: needs xgettext (GNU gettext). djangojs only once there is JavaScript.
messages: venv
	$(MANAGE) makemessages -l zh_Hans -l en --no-obsolete $(MESSAGES_IGNORE)
	@if [ -n "$$(find static/js templates visitflow -name '*.js' -not -path 'static/vendor/*' 2>/dev/null | head -1)" ]; then \
		$(MANAGE) makemessages -d djangojs -l zh_Hans -l en --no-obsolete $(MESSAGES_IGNORE); \
	fi
	@$(PY) scripts/i18n.py fill-en

lint: venv
	@echo "== ruff check"
	@$(BIN)/ruff check .
	@echo "== ruff format --check"
	@$(BIN)/ruff format --check .

# The django-stubs plugin imports config.settings, which needs the testing env.
typecheck: venv
	@echo "== mypy"
	@VISITFLOW_TESTING=1 $(BIN)/mypy visitflow config

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A local demo over plain http: DEBUG on (secure cookies would break login over http).
run: export DEBUG := 1
run: setup
	@echo "== migrate"
	@$(MANAGE) migrate --noinput
	@echo "== seed_demo"
	@if ! $(MANAGE) help --commands | grep -qx seed_demo; then \
		echo "make run: the 'seed_demo' management command does not exist yet (visitflow/*/management/commands/seed_demo.py)." >&2; \
		exit 1; \
	fi
	@$(MANAGE) seed_demo
	@echo "== collectstatic"
	@$(MANAGE) collectstatic --noinput --verbosity 0
	@exec $(PY) scripts/run.py --host "$(HOST)" --port "$(PORT)" --workers "$(WEB_WORKERS)"

# Production-like settings for `check --deploy`: DEBUG off, a long random key.
DEPLOY_ENV := env -u DEBUG -u VISITFLOW_TESTING -u SECURE_COOKIES -u SECURE_SSL_REDIRECT \
	-u SECURE_HSTS_SECONDS -u SECURE_HSTS_PRELOAD -u CSRF_TRUSTED_ORIGINS \
	ALLOWED_HOSTS=visitflow.example.com

# Each step is a target of its own, so one can be rerun alone (`make check-deploy`);
# `make test` runs them in this order and stops at the first failure.
test: setup lint typecheck check-migrations check-deploy check-i18n pytest

check-migrations: venv
	@echo "== makemigrations --check"
	@VISITFLOW_TESTING=1 $(MANAGE) makemigrations --check --dry-run

check-deploy: venv
	@echo "== check --deploy (DEBUG off, ALLOWED_HOSTS=visitflow.example.com)"
	@SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

check-i18n: compilemessages
	@echo "== translations"
	@$(PY) scripts/i18n.py check

pytest: venv
	@echo "== pytest on $(if $(DATABASE_URL),$(lastword $(subst @, ,$(DATABASE_URL))),SQLite)"
	@VISITFLOW_TESTING=1 $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENDOR) node_modules var/staticfiles .pytest_cache .ruff_cache .mypy_cache
	find locale -name '*.mo' -delete
