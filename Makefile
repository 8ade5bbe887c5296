# Every target sets up .venv itself when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SETUP := $(VENV)/.installed

.PHONY: setup demo lessons course site site-class dist test lint format bench bench-grading clean

setup: $(SETUP)

# Both distributions, editable: the student's (student/, with the JAX and PyTorch backends
# the tests run every lesson on) and the instructor's (.). torch==2.13.0 is the CPU build.
$(SETUP): pyproject.toml student/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e './student[backends]' -e '.[dev,site]' 'torch==2.13.0'
	touch $(SETUP)

demo: $(SETUP)
	$(BIN)/course demo --out build
	$(BIN)/course site --out build/site --lessons build/lessons

lessons: $(SETUP)
	$(BIN)/course lessons --out build/lessons

course: $(SETUP)
	$(BIN)/course build --root build/course

site: $(SETUP)
	$(BIN)/course site --out build/site --lessons build/lessons

site-class: $(SETUP)
	$(BIN)/course site --edition class --out build/site-class --lessons build/lessons

# The two wheels: convpool-course (students) and convpool-instructor. setuptools builds in
# build/lib of each project: stale files there would be packed too, so they go first.
STALE_BUILDS := dist build/lib build/bdist.* student/build *.egg-info student/*.egg-info
dist: $(SETUP)
	rm -rf $(STALE_BUILDS)
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir dist ./student .

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
	rm -rf build dist .pytest_cache .ruff_cache .hypothesis
