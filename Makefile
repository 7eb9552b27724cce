# Two commands on a fresh machine: `make run` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
VIGIL  := $(VENV)/bin/vigil
VENDOR := src/vigil/web/static/vendor
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run install assets lint typecheck test test-sqlite test-postgres browser-deps bench clean

run: install
	$(VIGIL) db upgrade
	$(VIGIL) demo load
	@# The demo world, generated and loaded once (a load that was cut short resumes).
	test -f var/world-small/.loaded || ( $(VIGIL) world generate --scale small --out var/world-small \
		&& $(VIGIL) world load var/world-small && touch var/world-small/.loaded )
	@# Tables of equivalent names (nicknames, given names across languages and scripts), from
	@# the shared data folder when it is there; loaded once, an administrator may remove them.
	@for t in nicknames-en:nicknames-en/names.csv synonames:synonames/synonyms.txt; do \
	  f=../shared/data/$${t#*:}; [ -f $$f ] || continue; \
	  $(VIGIL) persons equivalents list --json | grep -q "\"$${t%%:*}\"" || \
	  $(VIGIL) persons equivalents load $$f --source $${t%%:*}; done
	$(VIGIL) serve --host 127.0.0.1 --port 8000

$(VENV)/.installed: pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed assets

# Front-end assets come from the npm registry at set-up, never from a CDN, never committed:
# Pico CSS, and the world map route reports are drawn on (Natural Earth's countries as
# world-atlas ships them, read by topojson-client), since the workspace is offline at run time.
ASSETS := $(VENDOR)/pico.min.css $(VENDOR)/countries-110m.json $(VENDOR)/topojson-client.min.js
$(ASSETS) &: assets/package.json assets/package-lock.json
	npm ci --prefix assets --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp assets/node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/
	cp assets/node_modules/world-atlas/countries-110m.json $(VENDOR)/
	cp assets/node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	touch $(ASSETS)

assets: $(ASSETS)

lint: install
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(VENV)/bin/ruff format --check src tests benchmarks tools

typecheck: install
	$(VENV)/bin/mypy

# The browser tests drive Debian's Chromium; install it when it is missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null)

test: install browser-deps lint typecheck test-sqlite

# In parallel processes (pytest-xdist), each with a database of its own.
PYTEST_PARALLEL := --numprocesses=auto --maxprocesses=4

test-sqlite: install
	$(VENV)/bin/pytest -q $(PYTEST_PARALLEL)

test-postgres: install
	VIGIL_TEST_DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q $(PYTEST_PARALLEL)

bench: install
	$(PY) benchmarks/audit.py

clean:
	rm -rf $(VENV) var assets/node_modules $(VENDOR)
