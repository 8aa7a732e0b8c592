# The two commands of the README: `make run` and `make test`. Both set up everything.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: install demo run test bench bench-1m clean-data

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Generates the embedded SQLite demo data unless it exists (the app would do it too).
demo: install
	$(PY) -m data_access init-demo

run: demo
	$(PY) -m streamlit run app.py --server.port 8501

test: install
	$(PY) -m pytest

# Full KPI set for a year, whole ministry, cold engine: default demo data and 1M dossiers.
bench: demo
	$(PY) -m benchmarks.kpis

bench-1m: install
	$(PY) -m benchmarks.kpis --scale 5

clean-data:
	rm -rf data
