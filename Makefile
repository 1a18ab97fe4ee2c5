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
# tests/test_hostile.py records every connection attempt of a crawl inside a network namespace; systemd for
# systemd-analyze, with which tests/test_deploy.py verifies the units docs/scale.md writes.
DEBIAN_PACKAGES := chromium fonts-noto-cjk tesseract-ocr tesseract-ocr-chi-sim antiword catdoc postgresql strace iproute2 redis-server systemd
DEBIAN_STAMP := $(VENV)/.debian
# ReplayWeb.page, the viewer tests/test_replaywebpage.py loads our WACZ files into (in headless Chromium). It is
# AGPL-3.0: fetched from npm here, checked against its published tarball's sha256, never committed.
RWP_VERSION := 2.4.6
RWP_SHA256  := 6faef5c261e94b6e83cd6ee975bd0378fd4bc948bb14d36d45c709ffecb261b8
RWP_DIR     := .replaywebpage/$(RWP_VERSION)
RWP_FILES   := $(RWP_DIR)/package/ui.js

.PHONY: install demo test lint eval bench bench-scale clean replaywebpage

install: $(STAMP) $(DEBIAN_STAMP) $(REPLAY_STAMP) $(RWP_FILES)

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

replaywebpage: $(RWP_FILES)

$(RWP_FILES):
	@command -v npm >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm; }
	mkdir -p $(RWP_DIR)
	cd $(RWP_DIR) && npm pack --silent replaywebpage@$(RWP_VERSION) >/dev/null
	echo "$(RWP_SHA256)  $(RWP_DIR)/replaywebpage-$(RWP_VERSION).tgz" | sha256sum --check --quiet
	tar -xzf $(RWP_DIR)/replaywebpage-$(RWP_VERSION).tgz -C $(RWP_DIR) package/ui.js package/sw.js package/LICENSE
	echo '*' > .replaywebpage/.gitignore
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
	$(BIN)/python -m bench.compare --urls 4000,20000 --runs 3
	$(BIN)/python -m bench
	$(MAKE) bench-scale

# The shared queue (docs/scale.md): SCALE_SITES simulated portals at 1 request/s, crawled by 1 and by 3 workers,
# archive-only (extraction deferred to `xxgk reextract`); the same with each worker held to half a core (three
# small machines); then 100 portals with extraction in the crawl, and SCALE_SITES with extraction in one worker
# (its memory).
SCALE_SITES ?= 500
bench-scale: install
	$(BIN)/python -m bench.scale --sites $(SCALE_SITES) --workers 1,3 --archive-only
	$(BIN)/python -m bench.scale --sites $(SCALE_SITES) --workers 1,3 --archive-only --cpus-per-worker 0.5 \
		--out bench/results/scale-capped.json
	$(BIN)/python -m bench.scale --sites 100 --workers 1,3 --out bench/results/scale-100.json
	$(BIN)/python -m bench.scale --sites $(SCALE_SITES) --workers 1 --out bench/results/scale-extract.json

clean:
	rm -rf $(VENV) $(REPLAY_VENV) .replaywebpage $(DATA_DIR) build *.egg-info
