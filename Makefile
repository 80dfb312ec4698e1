# The verbs of the book. `make book` and `make test` do all set-up on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PARAMS ?= params/default.yml
# Sphinx warnings are errors; `make book STRICT=` to relax while writing.
STRICT ?= --strict
# Notebooks executed at once; empty = one per core.
JOBS ?=
JOBS_FLAG := $(if $(JOBS),--jobs $(JOBS),)

.PHONY: book html test data release changes add-data bench verify system venv clean

book: venv system ## HTML + PDF book from verified data (_build/html, _build/pdf)
	@$(PY) -m bookmachine.params "$(PARAMS)"
	$(PY) -m bookmachine.build book --params $(PARAMS) --pdf $(STRICT) $(JOBS_FLAG)

html: venv ## HTML only (faster while writing)
	@$(PY) -m bookmachine.params "$(PARAMS)"
	$(PY) -m bookmachine.build book --params $(PARAMS) $(STRICT) $(JOBS_FLAG)

test: venv system ## the full test suite (reuses _build's executed notebooks when present)
	$(PY) -m pytest

data: venv ## obtain and verify every raw input (mirror or official URL)
	$(PY) -m analysis.data.catalog fetch

release: venv system ## date CITATION.cff, build, copy HTML, PDF, numbers.json and manifest to _build/releases/<version>/
	$(PY) -m bookmachine.build release-date
	@$(MAKE) --no-print-directory book
	$(PY) -m bookmachine.build release

changes: venv ## print what changed in _build/numbers.json since the previous release
	$(PY) -m bookmachine.changes

add-data: venv ## add a newer vintage of a raw file: make add-data FILE=path/to/newer.csv [ACCEPT_REVISIONS=1] [ACCEPT_SHORT_BLOCK=1]
	@test -n "$(FILE)" || { echo "usage: make add-data FILE=path/to/newer.csv [ACCEPT_REVISIONS=1] [ACCEPT_SHORT_BLOCK=1]"; exit 2; }
	$(PY) -m bookmachine.newdata "$(FILE)" $(if $(ACCEPT_REVISIONS),--accept-revisions) $(if $(ACCEPT_SHORT_BLOCK),--accept-short-block)

bench: venv system ## in a scratch copy: cold, warm and add-data builds, make test, Jupyter Book's execution (TESTS=0: no tests)
	$(PY) -m bookmachine.bench $(if $(filter 0,$(TESTS)),,--tests)

verify: venv ## build twice from scratch; numbers.json and notebook outputs must be identical
	$(PY) -m bookmachine.verify --params $(PARAMS)

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@echo "[setup] virtualenv $(VENV) with the pinned requirements (first run: a few minutes) ..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 \
	  | grep -v "is ignored: it is neither a file nor a directory"; test $${PIPESTATUS[0]} -eq 0
	@touch $@

system: ## install the apt.txt packages that are missing (as root), or print the command to run
	@missing=$$(for p in $$(grep -v '^#' apt.txt); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "[setup] apt-get install" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing system packages for the PDF:" $$missing; \
	    echo "Run:  sudo apt-get install -y --no-install-recommends" $$missing; exit 1; \
	  fi; \
	fi

clean: ## remove build outputs (keeps .venv and data/raw)
	rm -rf _build
