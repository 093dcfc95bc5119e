# Everything a developer or CI needs. `make run` and `make test` work on a fresh machine
# with Python 3.11+; they create .venv and install the pinned requirements first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-packages run serve loadtest bench demo test lint format messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Chromium for the browser tests, Pango for PDFs (Debian packages; only what is missing).
system-packages:
	@bash scripts/install-system-packages

# The development server and the task worker side by side (Procfile, honcho); Ctrl-C stops both.
# `make run PORT=8101` serves on that port, and SITE_URL (every absolute address: canonical
# links, feeds, sitemaps, robots.txt, mails) follows it unless it is set in the environment.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install system-packages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Server: http://$(HOST):$(PORT)/ (SITE_URL=$$SITE_URL)"
	@if [ -n "$$EMAIL_HOST" ]; then echo "Mail: sent by the worker over SMTP to $$EMAIL_HOST."; \
	else echo "Mail: printed by the worker below (console backend; set EMAIL_HOST for SMTP)."; fi
	PATH="$(abspath $(VENV))/bin:$$PATH" RUNSERVER_ADDRESS=$(HOST):$(PORT) \
		$(VENV)/bin/honcho start -f Procfile

# Production serving: gunicorn behind a reverse proxy, settings from the environment
# (at least DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL; see README "Deployment").
WORKERS ?= 3
serve: install
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn newsroom.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --logger-class newsroom.logs.GunicornLogger \
		--forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# The public pages at saturation for LOAD_SECONDS (default 60) under gunicorn, then the release
# minute for BURST_SECONDS (30); fails on any non-2xx/3xx response and on a page without the
# article that became due (scripts/loadtest.py). Loopback only.
loadtest: install system-packages
	$(PY) scripts/loadtest.py

# Throughput, latency, SQL queries and memory of the public pages with BENCH_N (20,000; a list
# such as 2000,20000,200000 grows one database) articles, cache on and off, under gunicorn with
# 2 workers, against a bare WSGI app, and the release minute (scripts/bench.py); then one
# release to 1,000 and 5,000 subscribers through aiosmtpd (scripts/bench_distribution.py).
bench: install system-packages
	$(PY) scripts/bench.py
	$(PY) scripts/bench_distribution.py

demo: install system-packages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The suite in one worker process per core (pytest-xdist; at most 4, each with its own test
# database); `make test PYTEST_ARGS="-n 0"` runs it in one process.
test: install system-packages
	$(PY) -m pytest -n auto --maxprocesses=4 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext. The compiled .mo files are committed so that run/test do not.
messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media .pytest_cache .ruff_cache
