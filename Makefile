# The newcomer's two commands: `make run` (set up, build, run the app) and `make test` (set up, build, test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES ?= $(OBSERVATORY_SOURCES)
export OBSERVATORY_SOURCES := $(SOURCES)

.PHONY: setup setup-dev build run test test-unit test-data test-app test-browser lint bench load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The app with the build extra (make run builds the tables); a server that only serves needs `pip install .`
setup: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[build]' -c constraints.txt
	$(BIN)/python -m observatory_data.serving.assets fetch

setup-dev: setup
	$(BIN)/pip install --quiet --group dev -c constraints.txt

observatory_data/prepared/build_info.parquet:
	$(BIN)/observatory build

build: setup
	$(BIN)/observatory build

run: setup observatory_data/prepared/build_info.parquet
	$(BIN)/streamlit run app.py

# Everything: ruff, the import contracts and every kind of test (one build of the tables per session).
test: setup-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# One kind of test each (tests/<kind>): unit needs no sources, no build and no browser; data, app and browser
# build the tables first (1-2 min); browser needs Chromium.
test-unit: setup-dev
	$(BIN)/python -m pytest -q tests/unit

test-data: setup-dev
	$(BIN)/python -m pytest -q tests/data

test-app: setup-dev
	$(BIN)/python -m pytest -q tests/app

test-browser: setup-dev
	$(BIN)/python -m pytest -q tests/browser

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m benchmarks.pages

# 50 sessions for 120 s on one server, then on two replicas behind HAProxy (Debian: apt-get install haproxy),
# then with a server restart half-way. Each prints one JSON line of figures.
load: setup-dev observatory_data/prepared/build_info.parquet
	$(BIN)/python -m benchmarks.load --sessions 50 --seconds 120
	$(BIN)/python -m benchmarks.load --sessions 50 --seconds 120 --replicas 2
	$(BIN)/python -m benchmarks.load --sessions 20 --seconds 60 --restart

clean:
	rm -rf observatory_data/prepared .cache
