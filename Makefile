# The newcomer's two commands: `make run` (set up, build, run the app) and `make test` (set up, build, test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES ?= $(OBSERVATORY_SOURCES)
export OBSERVATORY_SOURCES := $(SOURCES)

.PHONY: setup setup-dev build run test test-browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m observatory_data.assets fetch

setup-dev: setup
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt

observatory_data/prepared/services.parquet:
	$(BIN)/python -m observatory_data build

build: setup
	$(BIN)/python -m observatory_data build

run: setup observatory_data/prepared/services.parquet
	$(BIN)/streamlit run app.py

test: setup-dev build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: setup-dev
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmark_pages.py

clean:
	rm -rf observatory_data/prepared .cache
