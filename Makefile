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
	$(PY) -m streamlit run serve.py --server.port 8501

test: install
	$(PY) -m pytest

# The KPI engine timed on SQLite, and on PostgreSQL and MariaDB when reachable (their demo
# tables are loaded on first use, regenerated when they hold demo data of another scale):
# make bench BENCH_POSTGRES_URL=... BENCH_MARIADB_URL=...   See docs/benchmarks.md.
bench: install
	$(PY) -m benchmarks.kpis --reload \
	  --postgres "$${BENCH_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/bench}" \
	  --mariadb "$${BENCH_MARIADB_URL:-mysql+pymysql://root@127.0.0.1:3306/bench}" $(BENCH_ARGS)

bench-1m: install
	$(PY) -m benchmarks.kpis --reload --scale 5 \
	  --postgres "$${BENCH_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/bench}" \
	  --mariadb "$${BENCH_MARIADB_URL:-mysql+pymysql://root@127.0.0.1:3306/bench}" $(BENCH_ARGS)

clean-data:
	rm -rf data
