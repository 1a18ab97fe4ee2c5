# make demo  — set up everything, start the simulated portals, crawl them, print a summary
# make test  — set up everything, lint, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUFF_FLAGS := --line-length 120 --target-version py311 --select E,F,W,I,B,UP --ignore E501,B008
DATA_DIR ?= data

.PHONY: install demo test lint clean

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

$(STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: install
	$(BIN)/xxgk demo --data-dir $(DATA_DIR)

lint: install
	$(BIN)/ruff check $(RUFF_FLAGS) crawler spiders pipelines archive tests

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DATA_DIR) build *.egg-info
