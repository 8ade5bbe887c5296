# Every target sets up .venv itself when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SETUP := $(VENV)/.installed

.PHONY: setup demo lessons course site test lint format bench bench-grading clean

setup: $(SETUP)

$(SETUP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,site]'
	touch $(SETUP)

demo: $(SETUP)
	$(BIN)/course demo --out build
	$(BIN)/course site --out build/site --lessons build/lessons

lessons: $(SETUP)
	$(BIN)/course lessons --source lessons --out build/lessons

course: $(SETUP)
	$(BIN)/course build --root build/course

site: $(SETUP)
	$(BIN)/course site --out build/site --lessons build/lessons

test: $(SETUP)
	$(BIN)/pytest

lint: $(SETUP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(SETUP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(SETUP)
	$(BIN)/python benchmarks/bench_operators.py --out benchmarks/results.md

bench-grading: $(SETUP)
	$(BIN)/python benchmarks/bench_grading.py --out benchmarks/results.md

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis
