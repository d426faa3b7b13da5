# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# The Werkzeug debugger runs any Python typed in the browser: off unless DEBUGGER=1.
DEBUGGER ?= 0
# An older local key (before .env) is kept so that signed-in browsers stay signed in.
SECRET_FILE := instance/secret_key
DEV_ENV := .env
# Debian's Chromium; tests never download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test test-sqlite test-postgresql install install-dev translations bench screenshots clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy -d translations

# The settings of this development copy, written once by `make run` and read by every
# `flask --app app …` typed in this folder (python-dotenv): the README's commands work as
# written. Production sets its own environment (README, « Déployer »); tests ignore this file.
# The key is a secret: the file is written readable by this account only (umask 077).
$(DEV_ENV): | $(VENV)/bin/activate
	mkdir -p -m 700 instance
	umask 077; { echo "# Written by make run: settings of this development copy (not for production)."; \
	  echo "FLASK_DEBUG=1"; \
	  echo "SECRET_KEY=$$(cat $(SECRET_FILE) 2>/dev/null || $(PY) -c 'import secrets; print(secrets.token_hex(32))')"; \
	} > $@

run: install $(DEV_ENV)
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT) \
		$(if $(filter 1,$(DEBUGGER)),--debugger,--no-debugger)

# The whole suite on SQLite (with the browser tests), then on a PostgreSQL
# server that the test run starts itself (initdb in a temporary folder).
test: install-dev
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgresql

test-sqlite:
	$(PY) -m pytest

test-postgresql:
	TEST_DATABASE=postgresql $(PY) -m pytest -m "not browser"

# Every page of a territory at 1×, 10× and 100× the data under gunicorn, exports, the room;
# prints one JSON verdict (docs/benchmarks.md). `make bench DB=postgresql` runs it on a
# throwaway PostgreSQL server; `make bench SCALES=1,3` is a short run while developing.
DB ?= sqlite
SCALES ?= 1,10,100
bench: install-dev
	$(PY) -m bench.run --db $(DB) --scales $(SCALES)

# The README's pictures from the demo data (Chromium, LibreOffice, pdftoppm): docs/screenshots/.
screenshots: install-dev
	$(PY) scripts/screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache
