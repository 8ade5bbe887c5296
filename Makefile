# Every target sets up .venv itself when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SETUP := $(VENV)/.installed

.PHONY: setup demo lessons course test lint format bench clean

setup: $(SETUP)

$(SETUP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(SETUP)

demo: $(SETUP)
	$(BIN)/course demo --out build

lessons: $(SETUP)
	$(BIN)/course lessons --source lessons --out build/lessons

course: $(SETUP)
	$(BIN)/course build --root build/course

test: $(SETUP)
	$(BIN)/pytest

lint: $(SETUP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(SETUP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(SETUP)
	$(BIN)/python benchmarks/bench_operators.py --out benchmarks/results.md

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis
