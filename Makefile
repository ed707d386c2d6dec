# Newsroom's commands. Needs only python3 and make: everything else is
# installed into .venv from the pinned requirements files.
#
#   make run            set up, migrate, load demo content, serve on :8000
#   make run PORT=8123  the same on another port
#   make test           set up (with dev tools) and run the whole test suite
#   make screenshots    browser screenshots of the demo site into docs/screenshots/
#   make lint           ruff, and the import contracts of the house plan (.importlinter)
#   make bench          server-side timings over 10,000 stories, then the article
#                       page over HTTP (wrk, gunicorn, nginx); SMOKE=1: a quick pass
#   make bench-data     100,000 stories and 1,000,000 responses in PostgreSQL (SIZE=1k: a
#                       hundredth), kept for `make bench SIZE=100k`
#   make bench SIZE=100k  the server-side pages at 1k and 100k side by side, with ratios
#   make audit          known vulnerabilities in the pinned requirements (pip-audit)
#   make serve          production settings on loopback: gunicorn + task worker
#   make loadtest       two gunicorns, 200 readers, 20 commenters, a moderator, 60 s; checks
#   make faulttest      PostgreSQL restarted, Redis stopped, mail down, workers killed

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
# The admin's address (settings.ADMIN_URL reads the same variable).
ADMIN_URL ?= admin/
BIN := $(VENV)/bin
PY := $(BIN)/python
# The browser tests (tests/e2e) drive Debian's Chromium: apt-get install chromium.
export CHROMIUM_PATH ?= /usr/bin/chromium

.PHONY: run serve test screenshots lint bench bench-data audit migrate demo clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"

# Stamp files: reinstall only when a requirements file changes.
$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# `make run` is the development server: DEBUG on, SQLite unless DATABASE_URL says otherwise.
run: export DEBUG ?= 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.runtime-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving Newsroom at http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/$(ADMIN_URL))"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# `make serve`: DEBUG off, hashed and compressed static files, persistent
# connections, gunicorn (gunicorn.conf.py) with the task worker beside it.
# Plain HTTP on loopback by default; behind TLS set HTTPS_ONLY=1 (see deploy/).
serve: export DEBUG = 0
serve: export HTTPS_ONLY ?= 0
serve: export TASKS_BACKEND ?= database
serve: export CONN_MAX_AGE ?= 600
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export PORT := $(PORT)
serve: export SITE_URL ?= http://127.0.0.1:$(PORT)
serve: $(VENV)/.runtime-installed
	bin/serve

migrate: export DEBUG ?= 1
migrate: $(VENV)/.runtime-installed
	$(PY) manage.py migrate --noinput

test: $(VENV)/.dev-installed
	@test -x "$(CHROMIUM_PATH)" || echo "*** No Chromium at $(CHROMIUM_PATH): the browser tests (tests/e2e) will be SKIPPED. apt-get install chromium to run them. ***"
	$(BIN)/pytest $(PYTEST_ARGS)

# Screenshots of the demo site in a real Chromium (article at desktop and phone
# width, the comment form with errors, the moderation queue), for the README.
screenshots: $(VENV)/.dev-installed
	$(BIN)/pytest tests/e2e/screenshots.py -q -p no:cacheprovider $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# `make bench`: both benches, one after the other (docs/performance.md).
# BENCH_ARGS go to the server-side one, HTTP_BENCH_ARGS to the HTTP one;
# WRITE=1 records both in docs/performance.md; SMOKE=1 runs every step of both
# with tiny loads, for CI (well under a minute, nothing recorded).
# SIZE=100k (or 1k) instead: only the server-side pages, over `make bench-data`'s
# databases (built first if missing), at 1k and at SIZE side by side.
bench: $(VENV)/.dev-installed
	$(if $(and $(SMOKE),$(WRITE)),$(error SMOKE=1 measures too briefly to record: leave out WRITE=1))
ifdef SIZE
	$(PY) -m bench.server_side --size $(SIZE) $(if $(WRITE),--write) $(BENCH_ARGS)
else
	$(PY) -m bench.server_side $(if $(SMOKE),--articles 200 --requests 3 --warmup 1) $(if $(WRITE),--write) $(BENCH_ARGS)
	$(PY) -m bench.http_load $(if $(SMOKE),--smoke) $(if $(WRITE),--write) $(HTTP_BENCH_ARGS)
endif

# `make bench-data`: bench/data.py, in minutes with INSERT ... SELECT on PostgreSQL,
# into newsroom_bench_<SIZE> (kept; BENCH_DATA_ARGS="--drop" removes it, "--force" rebuilds).
bench-data: $(VENV)/.dev-installed
	$(PY) -m bench.data --size $(or $(SIZE),100k) $(BENCH_DATA_ARGS)

# Issue 8 (docs/reliability.md): loopback only, bounded, stop by themselves.
# WRITE=1 records the figures in docs/reliability.md; SMOKE=1 is a quick pass.
# loadtest uses the shared PostgreSQL (database faults_loadtest) and Redis
# (keys faults-*); faulttest starts a PostgreSQL cluster and a Redis of its own.
loadtest: $(VENV)/.dev-installed
	$(PY) -m bench.loadtest $(if $(SMOKE),--smoke) $(if $(WRITE),--write) $(LOADTEST_ARGS)

faulttest: $(VENV)/.dev-installed
	$(PY) -m bench.faulttest $(if $(SMOKE),--smoke) $(if $(WRITE),--write) $(FAULTTEST_ARGS)

# Known vulnerabilities in what production runs (requirements.txt, every
# package pinned, so no resolving). Asks PyPI's vulnerability data over the
# network: run it where that is reachable (CI here cannot, so it is no CI
# gate). Exits non-zero when a pinned version has a known vulnerability.
audit: $(VENV)/.dev-installed
	$(BIN)/pip-audit --requirement requirements.txt --no-deps --disable-pip --progress-spinner off $(AUDIT_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
