# Werkplek — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is a local demo: development settings unless the environment says otherwise.
export DEBUG ?= true

.PHONY: run test install dev-install migrate demo serve lint format messages check clean \
	graph mypy-baseline bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
dev-install: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Bringing the search index up to date (on a first run: indexing the demo content)."
	$(BIN)/python manage.py search_check --fix

# The production shape (docs/deployment.md): gunicorn's web processes (WEB_WORKERS, one
# without REDIS_URL), each uvicorn for HTTP and /ws/. With REDIS_URL a job worker runs
# beside them; without it the one web process runs the jobs itself (workplace/jobs.py).
run: demo
	@if [ -n "$$REDIS_URL" ]; then \
		$(BIN)/python manage.py run_huey --quiet & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(BIN)/gunicorn -c python:workplace.gunicorn_conf -b $(HOST):$(PORT) workplace.asgi:application

test: dev-install
	$(BIN)/python -m pytest

# Every bench in bench/ at a size that fits about 15 minutes on the 2-core machine, then
# docs/performance.md's marked tables rewritten from their output (tools/bench_report.py).
# The scaled ones use PostgreSQL and Redis on loopback (bench/served.py names them).
bench: dev-install
	DEBUG=false $(BIN)/python tools/bench_report.py run

lint: dev-install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python tools/dependency_graph.py --check
	$(BIN)/mypy | $(BIN)/mypy-baseline filter

# The dependency graph in docs/architecture.md, from the import-linter contract.
graph: dev-install
	$(BIN)/python tools/dependency_graph.py

# Rewrite mypy-baseline.txt from today's errors (after fixing some, or after a merge).
mypy-baseline: dev-install
	$(BIN)/mypy | $(BIN)/mypy-baseline sync

format: dev-install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract new strings and compile the catalogues (needs GNU gettext).
messages: dev-install
	LC_ALL=C.UTF-8 $(BIN)/python manage.py makemessages -l nl -l en --no-obsolete -i '.venv/*' -i 'var/*' -i 'tests/*' -i 'bench/*'
	$(BIN)/python manage.py compilemessages -l nl -l en

clean:
	rm -rf $(VENV) var .pytest_cache
