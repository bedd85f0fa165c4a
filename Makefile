# The README's two commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo messages serve backup restore lint format bench loadtest clean cluster cluster-stop cluster-status spiketest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[dev]"
	touch $(VENV)/.installed $@

# Django's Redis cache client, for the cluster's app servers (REDIS_URL).
$(VENV)/.installed-redis: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[redis]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: $(VENV)/.installed
	$(MANAGE) compile_translations

migrate: $(VENV)/.installed
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) createcachetable

demo: migrate
	DEBUG=1 $(MANAGE) load_demo

## make run: install, migrate the SQLite default, compile translations, load demo data, serve.
run: messages demo
	@echo "Serving http://$(HOST):$(PORT)/ (demo accounts: coordinator, asticude, acpp)"
	DEBUG=1 $(MANAGE) build_open_data
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

## make test: install the dev extra and run the whole suite (DATABASE_URL picks the database).
test: install-dev
	$(MANAGE) compile_translations
	$(BIN)/pytest $(PYTEST_ARGS)

## make serve: production-style server (gunicorn + whitenoise) on the configured database.
##   Needs SECRET_KEY (and ALLOWED_HOSTS); plain http on loopback: SECURE_SSL_REDIRECT=0.
##   Threaded workers: a sync worker is killed after 30 s even while it streams a large export.
serve: messages
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) build_open_data
	$(BIN)/gunicorn nador_portal.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-4} \
		--worker-class gthread --threads $${WEB_THREADS:-4} --timeout 60 --graceful-timeout 30 \
		--access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

## make cluster: the production topology on loopback, from Debian's packages (nginx with TLS,
##   two gunicorn app servers, Redis, PostgreSQL 15 primary and streaming replica), with the
##   demo content; https://127.0.0.1:8443/. make cluster-stop stops all of it (deploy/cluster.sh).
cluster: messages $(VENV)/.installed-redis
	deploy/cluster.sh start

cluster-stop:
	deploy/cluster.sh stop

## make spiketest: a traffic spike on the cluster (started if needed, then left as found) with
##   SPIKE_PRACTICES bench practices: 200 visitors over HTTPS for 60 s while partners save and a
##   coordinator (TOTP) publishes and exports, app server 1 stopped halfway; then the same
##   visitors on one uncached server; SPIKETEST_ARGS go to perf/spiketest/run.py (--help).
SPIKE_PRACTICES ?= 100000
spiketest: messages $(VENV)/.installed-redis
	$(BIN)/python perf/spiketest/run.py --practices $(SPIKE_PRACTICES) $(SPIKETEST_ARGS)

cluster-status:
	deploy/cluster.sh status

## make backup: date-stamped backup of the database into backups/ (one tar: manifest and
## pg_dump or dumpdata), 0600 in a 0700 folder, without sessions, cache or lockouts.
backup: $(VENV)/.installed
	$(MANAGE) backup

## make restore FILE=backups/nador-....tar: check the file, then replace the database's content.
restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/nador-YYYYMMDD-HHMMSS.tar"; exit 2; }
	$(MANAGE) restore "$(FILE)"

## make bench: time pages, export and import beside their peers on DATABASE_URL (PostgreSQL),
## with BENCH_PRACTICES sample practices (kept between runs); BENCH_ARGS go to `manage.py bench`.
BENCH_PRACTICES ?= 10000
bench: install
	DEBUG=1 $(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	PERF_TOOLS=1 $(MANAGE) generate_bench_data --practices $(BENCH_PRACTICES) --reuse
	PERF_TOOLS=1 $(MANAGE) bench $(BENCH_ARGS)

## make loadtest: 60 s of visitors, partners' saves and exports against gunicorn (4 workers,
## production settings, a free port on 127.0.0.1) over DATABASE_URL (PostgreSQL) with 100k
## bench practices, then checks every save; LOADTEST_ARGS go to perf/loadtest/run.py (--help).
loadtest: install
	$(BIN)/python perf/loadtest/run.py $(LOADTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
