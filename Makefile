# DanhGia — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench clean package package-test lock

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Open the app on the default database in the user's data folder.
run: $(STAMP)
	$(PY) -m app

## The app on a PostgreSQL server of one's own (server mode, as a province's office uses it): a
## cluster in the data folder's postgresql/ is made at the first run, started when not running,
## and the app opens its database "danhgia" (README, "Máy chủ PostgreSQL (tỉnh)").
.PHONY: run-server stop-server
run-server: $(STAMP)
	$(PY) -m tests.postgres run

## Stop that cluster (its data stays in the data folder).
stop-server: $(STAMP)
	$(PY) -m tests.postgres stop

## The whole suite, headless: lint, then the tests.
test: $(STAMP)
	$(PY) -m ruff check app tests db
	$(PY) -m ruff format --check app tests db
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check app tests db

## The user guide's pictures (resources/guide/*.png), taken again from the demo commune at
## 1366×768 without a display; run it after a change to a page the guide shows.
.PHONY: guide-pictures
guide-pictures: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m app.ui.shell.guide_pictures resources/guide

## Benchmarks beside their baselines, one Markdown table (docs/performance.md). Data is made
## once into build/bench/; BENCH_ARGS="--repeat 3 --only start,filter" narrows a run.
bench: $(STAMP)
	$(PY) -m tests.benchmarks $(BENCH_ARGS) --output build/bench-table.md

format: $(STAMP)
	$(PY) -m ruff format app tests db
	$(PY) -m ruff check --fix app tests db

clean:
	rm -rf $(VENV) build dist *.egg-info

# ---- the bundle and the Linux archive (docs/building.md) ------------------
# A venv of its own, made from packaging/constraints.txt alone, so that two builds of one commit
# carry the same libraries whatever the development venv holds.
PKG_VENV := build/package-venv
PKG_PY := $(PKG_VENV)/bin/python
PKG_STAMP := $(PKG_VENV)/.installed
BUNDLE := dist/DanhGia
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)
TARBALL := dist/DanhGia-$(VERSION)-linux-$(shell uname -m).tar.xz

$(PKG_STAMP): packaging/constraints.txt pyproject.toml
	test -x $(PKG_PY) || $(PYTHON) -m venv $(PKG_VENV)
	$(PKG_PY) -m pip install --quiet -c packaging/constraints.txt -e '.[package]'
	$(PKG_PY) packaging/lock.py check
	touch $(PKG_STAMP)

## dist/DanhGia/ (PyInstaller, one folder) and dist/DanhGia-<version>-linux-<arch>.tar.xz.
package: $(PKG_STAMP)
	rm -rf $(BUNDLE) build/pyinstaller
	$(PKG_PY) -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/danhgia.spec
	$(PKG_PY) packaging/linux/make_tarball.py $(BUNDLE) $(TARBALL)
	du -sh $(BUNDLE)

## The built bundle: its self-test, its size (under 150 MiB; the archive under 60), portable mode.
package-test: $(STAMP)
	test -x $(BUNDLE)/DanhGia || { echo "no bundle: run make package first" >&2; exit 2; }
	du -sh $(BUNDLE)
	$(BUNDLE)/DanhGia --self-test
	DANHGIA_BUNDLE=$(BUNDLE) DANHGIA_ARCHIVE=$(TARBALL) $(PY) -m pytest -q tests/packaging/test_bundle.py

## The Windows bundle dist/windows/DanhGia and dist/DanhGia-<version>-cai-dat.exe, built on Linux
## under Wine (docs/building.md; tools: packaging/windows/install-wine.sh).
.PHONY: package-windows package-windows-test
package-windows: $(STAMP)
	$(PY) packaging/windows/build_under_wine.py

## Under Wine, in a fresh prefix: self-test, the command line, locks, installer, portable mode.
package-windows-test: $(STAMP)
	$(PY) packaging/windows/check_under_wine.py

## Pin the bundle's libraries again (after a dependency changes): rewrites packaging/constraints.txt.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet -e '.[package]'
	build/lock-venv/bin/python packaging/lock.py write
	rm -rf build/lock-venv

## The attack suite (tests/reliability) for longer: the fuzzed importers get 2,000 fresh
## examples a test instead of the default run's 30; every other attack runs as in make test.
.PHONY: fuzz
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(PY) -m pytest -q tests/reliability

## Mutation testing (docs/testing.md): small deliberate bugs in the rule engine, the
## procedure's guards, the audit chain and the members import, each run against the tests that
## reach it; prints the score and the survivors. Slow (over an hour on 2 cores; a second run
## resumes where the first stopped): not part of make test.
.PHONY: mutate
mutate: $(STAMP)
	$(PY) -m pip install --quiet "mutmut==3.8.1"
	$(PY) -m mutmut run --max-children 2 || true
	$(PY) -m tests.mutation.report
