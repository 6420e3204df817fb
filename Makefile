# Hazri: `make run` serves the demo district, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SQLITE := var/hazri.sqlite3
PYTEST_SQLITE_ARGS ?= -m "not on_postgres"
PYTEST_PG_ARGS ?= -m "not browser or on_postgres"
# Dashboard benchmark size: 1 = a 100,000-school state (about half an hour to generate).
BENCH_SCALE ?= 0.05
FUZZ_EXAMPLES ?= 40

.PHONY: provider run test test-sqlite test-pg lint check bench bench-faces fuzz venv lock messages openapi clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Hazri needs Python 3.11+"'
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "Cannot create a venv: install python3-venv" >&2; exit 1; fi; }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: venv
	@bash scripts/sysdeps.sh run
	@mkdir -p var
	$(BIN)/hazri migrate --noinput -v0
	@$(BIN)/hazri demo --if-empty
	@[ -f var/signing-key.pem ] || $(BIN)/hazri signing-key generate --out var/signing-key.pem
	@$(BIN)/hazri signing-key register --if-new
	$(BIN)/hazri collectstatic --noinput -v0
	@echo "Serving on http://127.0.0.1:8000 with the task worker and scheduler (Ctrl-C stops)"
	BIN=$(BIN) bash scripts/serve.sh

# The two cores each take a part: lint beside the checks, then the SQLite suite (with
# the browser tests) beside the PostgreSQL one. Each suite keeps its files in its own
# var directory; its output is printed whole when it ends.
test: venv provider
	@bash scripts/sysdeps.sh test
	$(MAKE) --no-print-directory -j2 --output-sync=target lint check
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-pg

# The test OpenID provider (hazri/signon/tests/provider): node's oidc-provider, from the
# lock file; again only when the lock file changed.
PROVIDER := hazri/signon/tests/provider
provider: $(PROVIDER)/node_modules/.installed

$(PROVIDER)/node_modules/.installed: $(PROVIDER)/package-lock.json
	@bash scripts/sysdeps.sh test
	npm ci --prefix $(PROVIDER) --no-audit --no-fund --silent
	@touch $@

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy hazri config
	$(BIN)/lint-imports

check: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/hazri makemigrations --check --dry-run -v0
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/hazri openapi --check
	HAZRI_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  HAZRI_ALLOWED_HOSTS=hazri.example DJANGO_SETTINGS_MODULE=config.settings.production \
	  $(BIN)/hazri check --deploy --fail-level WARNING

test-sqlite: venv
	HAZRI_VAR_DIR=var/test-sqlite $(BIN)/pytest $(PYTEST_SQLITE_ARGS)

# Tests that touch no database are left out here: they ran on SQLite (hazri/conftest.py).
test-pg: venv
	HAZRI_VAR_DIR=var/test-pg bash scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_PG_ARGS)

bench: venv
	@bash scripts/sysdeps.sh bench
	$(BIN)/python bench/register.py
	HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh $(BIN)/python bench/ingest.py
	HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh $(BIN)/python bench/floor.py
	bash scripts/with-postgres.sh $(BIN)/python bench/dashboard.py --db postgres --scale $(BENCH_SCALE)
	$(BIN)/python bench/dashboard.py --db sqlite --scale $(BENCH_SCALE)
	$(BIN)/python bench/app_2g.py
	$(BIN)/python bench/journal.py
	HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh $(BIN)/python bench/journal.py --db postgres
	$(BIN)/python bench/notices.py
	HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh $(BIN)/python bench/notices.py --db postgres
	$(BIN)/python bench/reporting.py
	HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh $(BIN)/python bench/reporting.py --db postgres
	$(BIN)/python bench/reportcards.py
	HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh $(BIN)/python bench/reportcards.py --db postgres
	$(BIN)/python bench/rosters.py
	HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh $(BIN)/python bench/rosters.py --db postgres
	$(BIN)/python bench/oneroster.py
	HAZRI_PG_DURABLE=1 bash scripts/with-postgres.sh $(BIN)/python bench/oneroster.py --db postgres
	$(MAKE) bench-faces

# Photo roll call: recognition by face width and CPU per 12 MP photo (~5 min, needs
# ../shared/data/faces or HAZRI_FACE_DATA).
bench-faces: venv
	$(BIN)/python bench/faces/evaluate.py

# Schemathesis against the served demo district, on SQLite then PostgreSQL (~15 min).
fuzz: venv
	@bash scripts/sysdeps.sh test
	BIN=$(BIN) bash scripts/fuzz.sh $(FUZZ_EXAMPLES)
	BIN=$(BIN) bash scripts/with-postgres.sh bash scripts/fuzz.sh $(FUZZ_EXAMPLES)

messages: venv
	cd hazri && ../$(BIN)/hazri makemessages -l hi --no-obsolete && ../$(BIN)/hazri compilemessages

openapi: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/hazri openapi

# The newest versions pyproject.toml allows, installed into a scratch venv, become
# constraints.txt; then `make venv openapi` and commit both.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install -q --upgrade pip && var/lock-venv/bin/pip install -q -e '.[dev]'
	{ sed -n '1,3p' constraints.txt; var/lock-venv/bin/pip freeze --exclude-editable \
	  | grep -v '^#' | sed -E 's/ @ file:.*//' | sort -f; } > constraints.new
	mv constraints.new constraints.txt && rm -rf var/lock-venv

clean:
	rm -rf $(VENV) var
