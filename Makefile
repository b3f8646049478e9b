# The two commands: `make run` (the whole product on embedded defaults) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
# The test suite runs with DEBUG off, like production, so it needs a key; this one is for tests only.
# A wider PostgreSQL pool than production's 10: every async test runs on its own event loop, whose
# thread pool's threads end with it, and a connection a thread still holds then is not given back.
TEST_ENV := SECRET_KEY=insecure-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz DATABASE_POOL_MAX=40

.PHONY: run test setup lint migrate bench clean graphql-schema

$(STAMP): requirements.txt requirements-dev.txt scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

%.mo: %.po
	msgfmt --check-format -o $@ $<

var/secret_key:
	mkdir -p var && umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

setup: $(STAMP) $(MO) var/secret_key

# Without Redis there is no channel layer shared between processes, so HTTP and WebSockets are served
# by one ASGI process (Procfile.embedded): an alert raised by an HTTP request reaches the parent
# sockets of the same process. With REDIS_URL, the production shape: gunicorn + uvicorn (Procfile).
PROCFILE = $(if $(REDIS_URL),Procfile,Procfile.embedded)

run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py setup_periodic_tasks
	DEBUG=1 PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho --no-prefix -f $(PROCFILE) start || true

test: setup
	$(TEST_ENV) $(PY) -m pytest --cov --cov-report=term $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(TEST_ENV) $(PY) -m mypy

bench: setup  # needs PostgreSQL and Redis on 127.0.0.1 (see bench/README.md)
	$(PY) bench/bench_safety.py
	$(PY) bench/bench_history.py
	$(PY) bench/bench_chat_http.py

graphql-schema: setup  # docs/schema.graphql, which a test keeps current
	$(TEST_ENV) $(PY) manage.py graphql_schema

migrate: setup
	DEBUG=1 $(PY) manage.py migrate --noinput

clean:
	rm -rf $(VENV) var .pytest_cache .coverage $(MO)
