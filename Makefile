# Tillsammans. A newcomer needs two commands:
#   make run    serve the site with demo content on http://127.0.0.1:8000
#   make test   run the whole test suite, browser tests included
# Everything else here is a helper. Installs always use requirements.lock as constraints.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
LOCK := requirements.lock
HOST := 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
UV_VERSION := 0.13.9

# The embedded setup `make run` serves: DEBUG, SQLite and the in-memory channel layer.
DEV_ENV := env -u REDIS_URL -u DATABASE_URL DEBUG=1 TASKS_BACKEND=immediate
MANAGE := $(PY) manage.py

RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test
RUNTIME_REQS := $(VENV)/runtime-requirements.txt
TEST_REQS := $(VENV)/test-requirements.txt

# [project].dependencies or [dependency-groups].test from pyproject.toml, one a line. pip has no
# flag for the former short of installing the project, which is an application, not a package.
READ_DEPS := import sys, tomllib; \
	project = tomllib.load(open("pyproject.toml", "rb")); \
	deps = project["project"]["dependencies"] if sys.argv[1] == "runtime" \
		else project["dependency-groups"][sys.argv[1]]; \
	print("\n".join(map(str, deps)))

# apt-get for the system packages the tests need (Chromium for Playwright, gettext for msgfmt).
# Two makes at once (CI's two passes) wait for each other's dpkg lock instead of failing on it.
APT_GET := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive \
	apt-get -o DPkg::Lock::Timeout=300
APT_INSTALL := $(APT_GET) install -y -q
# WeasyPrint (the committee documents as PDF) lays text out with Pango.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
# awk reads the whole list: `grep -q` would stop at the first match, and under pipefail the
# SIGPIPE that ldconfig then gets made the check fail with Pango installed.
HAS_PANGO := /sbin/ldconfig -p | awk '/libpangoft2-1\.0/ { found = 1 } END { exit !found }'

.PHONY: help run run-elegitimation prepare-demo demo-accounts test test-system install install-test lint format messages bench rehearse lock clean-venv FORCE

help:
	@echo "make run      serve with demo content on http://$(HOST):$(PORT) (DEBUG, SQLite)"
	@echo "make run-elegitimation  make run with e-legitimation, against a local test provider"
	@echo "make test     run the whole test suite (PYTEST_ARGS='-x -k name' to narrow it)"
	@echo "make install  install the runtime dependencies into $(VENV) (test: make install-test)"
	@echo "make lint     ruff check, ruff format --check and lint-imports"
	@echo "make format   ruff format and ruff check --fix"
	@echo "make messages makemessages for sv and en, then compilemessages"
	@echo "make bench    compare ASGI servers (see bench/README.md)"
	@echo "make rehearse production rehearsal: nginx, granian, faults, integrity (README.md)"
	@echo "make lock     regenerate requirements.lock from pyproject.toml"

# --- virtualenv ---------------------------------------------------------------------------------

# (Re)create the virtualenv when it is missing or runs another Python than .python-version says
# ("3.13" accepts any 3.13.x). pyenv, when present, resolves .python-version itself; otherwise
# python3.13 (the major.minor of .python-version) from PATH.
PYTHON_MATCHES = -c "import sys; v = '%d.%d.%d' % sys.version_info[:3]; \
	sys.exit(not (v == '$$want' or v.startswith('$$want.')))"
$(VENV)/.python-version: .python-version
	@want="$$(tr -d '[:space:]' < .python-version)"; \
	if ! $(PY) $(PYTHON_MATCHES) 2>/dev/null; then \
		pyenv="$$(command -v pyenv || true)"; \
		root="$${PYENV_ROOT:-$$HOME/.pyenv}"; \
		if [ -z "$$pyenv" ] && [ -x "$$root/bin/pyenv" ]; then pyenv="$$root/bin/pyenv"; fi; \
		python=""; \
		if [ -n "$$pyenv" ]; then python="$$("$$pyenv" which python 2>/dev/null || true)"; fi; \
		if [ -z "$$python" ] || ! "$$python" $(PYTHON_MATCHES) 2>/dev/null; then \
			python="$$(command -v "python$$(echo "$$want" | cut -d. -f1,2)" || true)"; \
		fi; \
		if [ -z "$$python" ] || ! "$$python" $(PYTHON_MATCHES) 2>/dev/null; then \
			echo "Python $$want not found: install it (pyenv install $$want) and retry." >&2; \
			exit 1; \
		fi; \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV); \
		"$$python" -m venv $(VENV); \
	fi
	@cp .python-version $@

# pip >= 25.1 understands --group (PEP 735 dependency groups).
$(VENV)/.pip-ok: $(VENV)/.python-version
	@$(PY) -c 'import sys, pip; \
		sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (25, 1))' \
		|| $(PIP) install --quiet --upgrade 'pip>=25.1'
	@touch $@

# The dependency lists are rewritten only when they change, so that editing another part of
# pyproject.toml does not trigger a reinstall: a second `make run` starts in seconds. Each process
# writes the new list under a name of its own: .ci/run runs two `make test` at once.
$(RUNTIME_REQS) $(TEST_REQS): FORCE | $(VENV)/.python-version
	@new="$@.$$$$"; \
	$(PY) -c '$(READ_DEPS)' $(if $(filter $(RUNTIME_REQS),$@),runtime,test) > "$$new"; \
	if cmp -s "$$new" $@; then rm "$$new"; else mv "$$new" $@; fi

$(RUNTIME_STAMP): $(LOCK) $(RUNTIME_REQS) $(VENV)/.pip-ok
	@echo "Installing runtime dependencies (constraints: $(LOCK))"
	$(PIP) install --quiet -c $(LOCK) -r $(RUNTIME_REQS)
	@touch $@

$(TEST_STAMP): $(RUNTIME_STAMP) $(LOCK) $(TEST_REQS)
	@echo "Installing test dependencies (constraints: $(LOCK))"
	$(PIP) install --quiet -c $(LOCK) -r $(RUNTIME_REQS) --group test
	@touch $@

FORCE:

install: $(RUNTIME_STAMP)

install-test: $(TEST_STAMP)

clean-venv:
	rm -rf $(VENV)

# --- the two commands ---------------------------------------------------------------------------

# One granian process: the in-memory channel layer only reaches consumers in its own process.
# granian was chosen by measurement, see docs/decisions/0001-asgi-server.md.
SERVE := $(DEV_ENV) $(VENV)/bin/granian --interface asginl config.asgi:application \
	--host $(HOST) --port $(PORT) --workers 1

run: $(RUNTIME_STAMP)
	@$(MAKE) --no-print-directory prepare-demo
	@echo
	@echo "  Tillsammans runs on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@$(MAKE) --no-print-directory demo-accounts
	@exec $(SERVE)

# What `make run` serves, migrated and loaded with the programme and the demo content.
prepare-demo:
	@if ! $(HAS_PANGO); then $(APT_INSTALL) $(PANGO_PACKAGES) || \
		echo "Pango is missing: the committee documents' PDFs will not render." >&2; fi
	@$(DEV_ENV) $(MANAGE) migrate --noinput
	@$(DEV_ENV) $(MANAGE) load_municipality
	@$(DEV_ENV) $(MANAGE) load_demo
	@$(DEV_ENV) $(MANAGE) load_demo_initiatives
	@$(DEV_ENV) $(MANAGE) load_demo_partners
	@$(DEV_ENV) $(MANAGE) refresh_trending

demo-accounts:
	@echo
	@echo "  Demo accounts, password: demo-tillsammans"
	@echo "    boende@example.org      resident"
	@echo "    forening@example.org    admin of Dalhems grannskapsförening (association)"
	@echo "    foretag@example.org     member of Öresundscykel AB (business)"
	@echo "    moderator@example.org   moderator"
	@echo "    handlaggare@example.org responder at Kulturförvaltningen"
	@echo "  Emails (verification, password reset) are printed here, in the console."
	@echo

# `make run` with e-legitimation on, against the tests' own OpenID Connect provider (a process
# of its own, stopped with the site), and asked for when supporting (README.md, "Trying
# e-legitimation by hand"). The provider is a test fixture, so this installs the test group.
run-elegitimation: $(TEST_STAMP)
	@$(MAKE) --no-print-directory prepare-demo
	@echo
	@echo "  Tillsammans runs on http://$(HOST):$(PORT)/ with e-legitimation  (Ctrl-C stops it)"
	@$(MAKE) --no-print-directory demo-accounts
	@exec $(PY) -m tests.oidc_provider.alongside --site http://$(HOST):$(PORT) -- $(SERVE)

# The compiled catalogues (.mo) are committed and the tests check them against the .po files, so
# this does not compile them (make messages does). pytest exit code 5 means no tests ran; the
# suite must run tests, so that fails too.
test: $(TEST_STAMP) test-system
	@status=0; DEBUG=1 $(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ "$$status" -eq 5 ]; then \
		echo "make test: pytest collected no tests (exit code 5); the suite must run tests." >&2; \
		exit 1; \
	fi; \
	exit "$$status"

# What the suite needs from Debian: Chromium for Playwright, gettext for msgfmt, Pango for PDFs.
# Its own target, so that .ci/run installs them once before it runs two suites at once.
test-system:
	@if [ ! -x /usr/bin/chromium ] || ! command -v msgfmt > /dev/null || ! $(HAS_PANGO); then \
		$(APT_GET) update -q; fi
	@if [ ! -x /usr/bin/chromium ]; then $(APT_INSTALL) chromium; fi
	@if ! command -v msgfmt > /dev/null; then $(APT_INSTALL) gettext; fi
	@if ! $(HAS_PANGO); then $(APT_INSTALL) $(PANGO_PACKAGES); fi

# --- helpers ------------------------------------------------------------------------------------

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(TEST_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(RUNTIME_STAMP)
	@command -v msgfmt > /dev/null || $(APT_INSTALL) gettext
	@mkdir -p locale
	DEBUG=1 $(MANAGE) makemessages -l sv -l en --no-obsolete \
		--ignore=$(VENV) --ignore=bench --ignore=staticfiles --ignore=media --ignore=tests
	DEBUG=1 $(MANAGE) compilemessages --ignore=$(VENV) --ignore=bench

# The benchmark has its own virtualenv: granian and hypercorn never reach the project's deps.
BENCH_VENV := bench/data/venv
bench: $(RUNTIME_STAMP)
	@command -v wrk > /dev/null || $(APT_INSTALL) wrk
	@test -x $(BENCH_VENV)/bin/python || "$$($(PY) -c 'import sys; print(sys._base_executable)')" \
		-m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade 'pip>=25.1'
	$(BENCH_VENV)/bin/python -m pip install --quiet -c $(LOCK) -r $(RUNTIME_REQS)
	-$(BENCH_VENV)/bin/python -m pip install --quiet -c $(LOCK) granian
	-$(BENCH_VENV)/bin/python -m pip install --quiet -c $(LOCK) hypercorn
	$(BENCH_VENV)/bin/python bench/asgi_servers.py $(BENCH_ARGS)

# The production rehearsal (README.md, "The production rehearsal"; bench/rehearsal.py): the
# production topology started natively (nginx with platform/nginx.conf, granian, the task worker,
# a PostgreSQL cluster and a Redis of its own), a browser's live scenario through nginx, a
# bounded load with three faults, and the integrity check; about two and a half minutes.
# Installs nginx and Chromium with apt-get when they are missing; needs PostgreSQL's server
# programs and redis-server. REHEARSAL_ARGS='--people 40' passes options.
REHEARSAL_ARGS ?=
rehearse: $(TEST_STAMP)
	@if [ ! -x /usr/sbin/nginx ] || [ ! -x /usr/bin/chromium ]; then \
		$(APT_GET) update -q; fi
	@if [ ! -x /usr/sbin/nginx ]; then $(APT_INSTALL) nginx; fi
	@if [ ! -x /usr/bin/chromium ]; then $(APT_INSTALL) chromium; fi
	$(PY) -m bench.rehearsal $(REHEARSAL_ARGS)

# Regenerates requirements.lock with a pinned uv in a throwaway virtualenv (never the project's).
UV_VENV := $(or $(TMPDIR),/tmp)/tillsammans-uv-$(UV_VERSION)
lock:
	@test -x $(UV_VENV)/bin/uv || { python3 -m venv $(UV_VENV) && \
		$(UV_VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION); }
	$(UV_VENV)/bin/uv pip compile pyproject.toml --group pyproject.toml:test \
		--python-version "$$(cut -d. -f1,2 .python-version)" --universal --quiet \
		--custom-compile-command "make lock" -o $(LOCK)
