# Two commands set everything up:  `make lab`  (open the workbook)  and  `make test`  (check it).
# Every target is idempotent: stamp files inside .venv/ remember what is already done.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
SETUP_STAMP := $(VENV)/.setup-done

NOTEBOOKS := $(wildcard notebooks/*.ipynb)
# nbval: same interpreter as the tests, sanitised timings/addresses, a generous per-cell limit.
NBVAL_ARGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
              --nbval-cell-timeout 600 -p no:cacheprovider

.PHONY: help setup data lab test lint unit nbtest notebooks check student bench results clean

help:
	@echo "make lab        set up (venv + data) and open the notebooks in JupyterLab"
	@echo "make test       set up, then lint, unit tests and notebook tests"
	@echo "make check      unit tests only, with a pass/fail table per part"
	@echo "make notebooks  re-execute every notebook in place (outputs are stored)"
	@echo "make student    write the student edition to build/student/"
	@echo "make bench      benchmarks against scipy / scikit-learn -> docs/benchmarks.md"
	@echo "make clean      remove the venv, build output and caches (keeps downloaded data)"

setup: $(SETUP_STAMP)
$(SETUP_STAMP): pyproject.toml
	$(PYTHON) -c "import sys; assert sys.version_info >= (3, 10), 'Python 3.10 or newer is needed, this is ' + sys.version.split()[0]"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name cs231n-a1 --display-name "Python (cs231n-a1)"
	@touch $@

# No stamp for the data: the check is quick (about a second when the data is in place), and a stamp would
# go stale when someone deletes datasets/ or points CS231N_DATASETS elsewhere.
data: $(SETUP_STAMP)
	$(PY) -m cs231n.datasets

lab: $(SETUP_STAMP) data
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(LAB_ARGS)

LINT   := $(BIN)/ruff check .
UNIT   := $(PY) -m pytest tests
NBTEST := $(if $(strip $(NOTEBOOKS)),$(PY) -m pytest $(NBVAL_ARGS) $(NOTEBOOKS),@echo "no notebooks yet: nothing for nbval to run")

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
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=1200 --ExecutePreprocessor.kernel_name=python3 $(NOTEBOOKS)
	$(PY) tools/results_table.py --write README.md

check: $(SETUP_STAMP)
	$(PY) tools/check.py

student: $(SETUP_STAMP)
	$(PY) tools/make_student.py build/student

bench: $(SETUP_STAMP) data
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) tools/bench.py --out docs/benchmarks.md

results: $(SETUP_STAMP)
	$(PY) tools/results_table.py --write README.md

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +
