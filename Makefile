# Two commands set everything up:  `make lab`  (open the workbook)  and  `make test`  (check it).
# Every target is idempotent: stamp files inside .venv/ remember what is already done.
# The same Makefile serves the solution and the student edition; the student edition is the one that carries
# .student-edition.json (written by instructor/make_student.py), and the instructor's targets need instructor/.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

EDITION := $(if $(wildcard .student-edition.json),student,solution)
INSTRUCTOR := $(wildcard instructor)
NOTEBOOKS := $(wildcard notebooks/*.ipynb)
KERNEL := cs231n-a1

# The venv remembers the interpreter that made it: `make test PYTHON=python3.10` rebuilds it with that one.
PYTHON_ID := $(shell $(PYTHON) -c "import sys; print('%d.%d.%d' % sys.version_info[:3])" 2>/dev/null)
SETUP_STAMP := $(VENV)/.setup-done-python-$(or $(PYTHON_ID),missing)
BENCH_STAMP := $(VENV)/.bench-extras-done

# nbval: the solution's notebooks store their outputs, which a fresh run must reproduce; the student edition
# stores none, so there nbval checks only that every cell runs (its assertions included).
NBVAL_MODE := $(if $(filter student,$(EDITION)),--nbval-lax,--nbval)
NBVAL_ARGS := $(NBVAL_MODE) --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
              --nbval-cell-timeout 600 -p no:cacheprovider

.PHONY: help setup data lab test lint unit nbtest notebooks check student bench results clean

help:
	@echo "make lab        set up (venv + data) and open the notebooks in JupyterLab"
	@echo "make test       set up, then lint, unit tests and notebook tests"
	@echo "make check      the self-check: a pass/fail table per part and what is wrong (PART=knn for one part)"
	@echo "make notebooks  re-execute every notebook in place (outputs are stored)"
	@echo "make clean      remove the venv, build output and caches (keeps downloaded data)"
	@echo "PYTHON=python3.12 make test   use another interpreter (the venv is rebuilt)"
	$(if $(INSTRUCTOR),@echo "make student    write the student edition to build/student/ (instructor)")
	$(if $(INSTRUCTOR),@echo "make bench      benchmarks against scipy / scikit-learn (instructor)")

setup: $(SETUP_STAMP)
$(SETUP_STAMP): pyproject.toml
	@test -n "$(PYTHON_ID)" || { echo "error: '$(PYTHON)' does not run as Python; set PYTHON to a Python 3.10-3.13 interpreter, e.g. make test PYTHON=/usr/bin/python3.12" >&2; exit 1; }
	@$(PYTHON) -c "import sys; sys.exit(0 if sys.version_info >= (3, 10) else 'error: Python 3.10 or newer is needed; $(PYTHON) is $(PYTHON_ID)')"
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@touch $@

# No stamp for the data: the check is quick (about a second when the data is in place), and a stamp would
# go stale when someone deletes datasets/ or points CS231N_DATASETS elsewhere.
data: $(SETUP_STAMP)
	$(PY) -m cs231n.datasets

lab: $(SETUP_STAMP) data
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(LAB_ARGS)

LINT   := $(BIN)/ruff check .
UNIT   := $(PY) -m pytest tests $(if $(INSTRUCTOR),instructor/tests)
NBTEST := $(PY) -m pytest $(NBVAL_ARGS) $(NOTEBOOKS)

lint: $(SETUP_STAMP)
	$(LINT)

unit: $(SETUP_STAMP)
	$(UNIT)

nbtest: $(SETUP_STAMP) data
	$(NBTEST)

# In this order: the cheap checks fail first.
test: $(SETUP_STAMP) data
	$(LINT)
	$(UNIT)
	$(NBTEST)

notebooks: $(SETUP_STAMP) data
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=1200 \
	    --Exporter.preprocessors=nbconvert.preprocessors.CoalesceStreamsPreprocessor $(NOTEBOOKS)
	$(if $(INSTRUCTOR),$(PY) instructor/results_table.py --write)

check: $(SETUP_STAMP)
	$(PY) -m cs231n.check $(PART)

student: $(SETUP_STAMP)
	$(if $(INSTRUCTOR),$(PY) instructor/make_student.py build/student,@echo "the student edition has no instructor/ folder"; exit 1)

$(BENCH_STAMP): $(SETUP_STAMP)
	$(PY) -m pip install --quiet -e ".[test,bench]"
	@touch $@

bench: $(BENCH_STAMP) data
	$(if $(INSTRUCTOR),$(PY) instructor/bench.py --out instructor/benchmarks.md,@echo "the student edition has no instructor/ folder"; exit 1)

results: $(SETUP_STAMP)
	$(if $(INSTRUCTOR),$(PY) instructor/results_table.py --write,@echo "the student edition has no instructor/ folder"; exit 1)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
