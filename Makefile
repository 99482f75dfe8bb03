# Two commands for a fresh clone:
#   make run   installs everything, prepares the SQLite database, loads the demo, serves http://127.0.0.1:8000/
#   make test  installs what the tests need (Chromium included) and runs lint and the whole suite
# Both are safe to run again: each step is skipped when its inputs have not changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

.PHONY: audit bench bench-pdf serve-production run test setup setup-dev assets system-packages lint serve migrate demo clean

run: setup migrate demo serve

# The suite on every core (pytest-xdist; each worker has its own test database): TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: setup-dev system-packages lint audit
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

setup: $(VENV)/.base-installed assets

setup-dev: $(VENV)/.dev-installed assets

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: $(VENV)/bin/python requirements/base.in requirements/lock.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements/base.in -c requirements/lock.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.in requirements/lock.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements/dev.in -c requirements/lock.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build

assets: static/build/app.css

system-packages:
	@scripts/ensure-system-packages.sh

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrate: setup
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo --with-demo-accounts

# The web server and a background worker (PDFs, reminder emails), as in production; Ctrl-C stops both.
serve:
	@TASKS_BACKEND=django_tasks_db.DatabaseBackend $(PY) manage.py db_worker --interval 1 --no-reload & \
	worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	TASKS_BACKEND=django_tasks_db.DatabaseBackend $(PY) manage.py runserver $(HOST)

# Production-like serving on this machine: PostgreSQL, gunicorn, WhiteNoise, a worker.
serve-production: setup
	scripts/serve-production.sh

# The app's PDFs against bare WeasyPrint on the same HTML (docs/pdf.md); needs the demo data (make run).
REPEATS ?= 5
bench-pdf: setup
	$(PY) bench/pdf.py --repeats $(REPEATS)

# Known vulnerabilities in the pinned Python packages (pip-audit); fails only on a vulnerability found.
audit: $(VENV)/.dev-installed
	scripts/audit.sh

# Scale benchmark (docs/benchmarks.md): a large council on SQLite and PostgreSQL, main pages timed.
BENCH_REPEAT ?= 30
bench: setup
	bench/scale.sh $(BENCH_REPEAT)

clean:
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3
