# DanhGia — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Open the app on the default database in the user's data folder.
run: $(STAMP)
	$(PY) -m app

## The whole suite, headless: lint, then the tests.
test: $(STAMP)
	$(PY) -m ruff check app tests db
	$(PY) -m ruff format --check app tests db
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check app tests db

format: $(STAMP)
	$(PY) -m ruff format app tests db
	$(PY) -m ruff check --fix app tests db

clean:
	rm -rf $(VENV) build dist *.egg-info
