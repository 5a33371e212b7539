# The two commands of the README: `make site` builds the sample archive into public/,
# `make test` runs the test suite. Both set up a virtual environment in .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test lint clean golden

$(BIN)/broadsheet: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

site: $(BIN)/broadsheet
	$(BIN)/broadsheet build

test: $(BIN)/broadsheet
	$(BIN)/ruff check generator tests bench
	$(BIN)/python -m pytest -q

golden: $(BIN)/broadsheet
	BROADSHEET_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

clean:
	rm -rf public .venv .pytest_cache .ruff_cache
