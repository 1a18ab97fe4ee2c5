# make demo  — set up everything, start the simulated portals, crawl them, print a summary
# make test  — set up everything, lint, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# pywb (replay) and py-wacz (WACZ validation) pin old redis/werkzeug and patch with gevent: own environment.
REPLAY_VENV  := .venv-replay
REPLAY_STAMP := $(REPLAY_VENV)/.installed
RUFF_FLAGS := --line-length 120 --target-version py311 --select E,F,W,I,B,UP --ignore E501,B008
DATA_DIR ?= data
# Debian packages the tests and the crawler use: a browser for script-built and challenge pages, CJK fonts
# for its screenshots and for test PDFs, OCR for scanned reports, readers for .doc/.wps attachments,
# PostgreSQL, which the tests start themselves (the team database), and strace and iproute2, with which
# tests/test_hostile.py records every connection attempt of a crawl inside a network namespace.
DEBIAN_PACKAGES := chromium fonts-noto-cjk tesseract-ocr tesseract-ocr-chi-sim antiword catdoc postgresql strace iproute2
DEBIAN_STAMP := $(VENV)/.debian

.PHONY: install demo test lint eval bench clean

install: $(STAMP) $(DEBIAN_STAMP) $(REPLAY_STAMP)

$(DEBIAN_STAMP): Makefile | $(BIN)/python
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

$(STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

.PHONY: replay-env
replay-env: $(REPLAY_STAMP)

$(REPLAY_STAMP):
	$(PYTHON) -m venv $(REPLAY_VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(REPLAY_VENV); }
	$(REPLAY_VENV)/bin/pip install -q --upgrade pip
	$(REPLAY_VENV)/bin/pip install -q 'pywb==2.10.*' 'wacz==0.6.*'
	$(REPLAY_VENV)/bin/python -c 'from gevent import monkey; monkey.patch_all(); import pywb.apps.frontendapp, wacz.validate'
	echo '*' > $(REPLAY_VENV)/.gitignore
	touch $@

demo: install
	$(BIN)/xxgk demo --data-dir $(DATA_DIR)

lint: install
	$(BIN)/ruff check $(RUFF_FLAGS) crawler spiders pipelines archive tests bench

test: lint
	$(BIN)/python -m pytest

eval: install
	$(BIN)/xxgk eval

# Benchmarks (bench/RESULTS.md): nginx serves the generated portals, wrk measures it, wget is the classic archiver.
BENCH_PACKAGES := nginx-light wrk wget
bench: install
	@missing=$$(for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; fi
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(REPLAY_VENV) $(DATA_DIR) build *.egg-info
