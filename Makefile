# Terrain: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := terrain.settings
# Links in e-mails and the demo's instructions point at the port actually served.
export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run serve setup test lint format test-sqlite test-postgres messages demo bench-feed bench-dataset bench-publish bench-search clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# axe-core for the browser tests' accessibility checks, as pinned in package-lock.json.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## setup: virtualenv, dependencies, translations, migrations, the communes (once), demo data on an empty database
setup: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py compile_translations
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_communes --if-empty
	DEBUG=1 $(BIN)/python manage.py demo --if-empty

## run: everything above, then the sandbox of the networks, the web server, the task worker and the clock (Ctrl-C stops them)
run: setup
	DEBUG=1 $(BIN)/python scripts/run.py --port $(PORT)

## serve: serve as in production (gunicorn, DEBUG off, worker, clock); needs SECRET_KEY, see docs/production.md
serve: $(VENV)/.runtime
	$(BIN)/python scripts/serve.py $(SERVE_ARGS)

# Only the runtime dependencies, again only when requirements.txt changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

## test: lint, then the whole suite on SQLite and on PostgreSQL, browser tests included
test: $(VENV)/.installed
	bash scripts/ensure-system.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py compile_translations
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: $(VENV)/.installed node_modules/.package-lock.json
	$(BIN)/pytest -q

test-postgres: $(VENV)/.installed node_modules/.package-lock.json
	DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/terrain} $(BIN)/pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

## messages: refresh the translation catalogues after changing user-facing strings
messages: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages -l fr -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	DEBUG=1 $(BIN)/python manage.py compile_translations

demo: setup

## bench-dataset: build the confederation-scale dataset (see README, about 20 minutes)
bench-dataset: $(VENV)/.installed
	$(BIN)/python bench/feed/run.py --build-only

## bench-feed: measure the feed on the large dataset (builds it first when missing)
bench-feed: $(VENV)/.installed
	$(BIN)/python bench/feed/run.py

## bench-search: French queries on the scale dataset plus search documents (see bench/README.md)
bench-search: $(VENV)/.installed
	$(BIN)/python bench/search/run.py $(BENCH_ARGS)

## bench-publish: 10,000 publications due in one minute on 2,000 Mastodon accounts (see bench/publish/run.py --help)
bench-publish: $(VENV)/.installed
	$(BIN)/python bench/publish/run.py $(BENCH_ARGS)

clean:
	rm -rf var/terrain.sqlite3* var/static
