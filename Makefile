# Two commands do all set-up on a fresh machine:
#   make run    the main job: the example analysis on real French corpora (tables + figures in out/)
#   make test   the whole test suite (what .ci/run calls)
# Both create .venv and install the package with its extras on first use.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The corpora are read from here (never copied into the repository).
DISCOURSE_DATA ?= $(abspath ../shared/corpora)
export DISCOURSE_DATA
export MPLBACKEND ?= Agg

.PHONY: setup run test docs bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,docs]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(VENV)/bin/discourse run examples/analysis.yaml --out out/example

test: setup
	$(PY) -m pytest -q
	$(VENV)/bin/mkdocs build --strict --site-dir $(or $(TMPDIR),/tmp)/discourse-site

docs: setup
	$(VENV)/bin/mkdocs build --strict

bench: setup
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) out site .pytest_cache
