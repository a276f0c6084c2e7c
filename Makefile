# The README's two commands: `make run` and `make test`.
# CORNER=<name> runs any target on another supported combination, as CI does:
# requirements/<name>.txt in its own .venv-<name>, made with the Python the name
# ends in (py312: python3.12), e.g. `make test CORNER=wagtail80-django60-py312`.
ifdef CORNER
REQUIREMENTS := requirements/$(CORNER).txt
VENV ?= .venv-$(CORNER)
PYTHON ?= python$(subst py3,3.,$(lastword $(subst -, ,$(CORNER))))
else
REQUIREMENTS := requirements.txt
VENV ?= .venv
PYTHON ?= python3
endif
PORT ?= 8000
VAR := $(or $(VOUCH_VAR_DIR),var)
BIN := $(VENV)/bin
CHECKERS := tests/checkers

.PHONY: run test lint install bench

install: $(VENV)/.installed $(CHECKERS)/node_modules/.installed

$(VENV)/.installed: $(REQUIREMENTS) requirements/common.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(REQUIREMENTS)
	@touch $@

# What the tests check every page with (tests/checkers/): the W3C Nu HTML checker
# and axe-core, pinned in package-lock.json. Without npm the site still runs, and
# the tests skip those checks (CI fails them instead).
$(CHECKERS)/node_modules/.installed: $(CHECKERS)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --prefix $(CHECKERS) && touch $@; \
	else echo "npm is not installed: the tests will skip the HTML and accessibility checks."; fi

# Web on http://127.0.0.1:$(PORT), plus a Celery worker with embedded beat on the
# filesystem broker (no servers needed). Ctrl-C stops all of them. Wagtail's own
# emails (workflow, password reset) link to the same port.
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	@test -f $(VAR)/.demo-loaded || { \
		$(BIN)/python manage.py load_demo --url http://127.0.0.1:$(PORT) && touch $(VAR)/.demo-loaded; }
	@echo "Emails the site sends are written to $(VAR)/mail/ and listed in the admin under Moderation > Outbox."
	@echo "Admin: http://127.0.0.1:$(PORT)/admin/  user admin (or moderator moira), password $${DEMO_ADMIN_PASSWORD:-vouch-demo-admin}"
	@$(BIN)/celery -A config worker --beat --loglevel=INFO --concurrency=1 \
		--schedule=$(VAR)/celerybeat-schedule & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' INT TERM EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest

# Benchmarks (bench/README.md): the embedded default in a throwaway folder, and
# PostgreSQL + Redis too when DATABASE_URL and CELERY_BROKER_URL are set.
bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
