"""`python -m data_access kpis` as a subprocess: the report contract of docs/kpis.md."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys

import pytest

from data_access import catalogue, report
from data_access.model import Period, Scope
from data_access.settings import PROJECT_ROOT

D = dt.datetime
d = dt.date


def run(*args: str, urls: dict[str, str] | str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    if isinstance(urls, str):
        urls = {"procedures": urls, "tasks": urls, "emulation": urls}
    for name, url in (urls or {}).items():
        env[f"IOC_{name.upper()}_URL"] = url
    return subprocess.run([sys.executable, "-m", "data_access", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def small(rows):
    rows.unit("A")
    rows.unit("B")
    rows.procedure("P1", unit_code="A")
    rows.dossier(D(2026, 1, 1, 0, 0, 0), due_at=D(2026, 2, 1), finished_at=D(2026, 2, 1), rating=5, channel="online")
    rows.dossier(D(2026, 3, 1, 8), due_at=D(2026, 3, 5), finished_at=D(2026, 3, 6), unit_code="B")
    rows.dossier(D(2026, 6, 1, 8), due_at=D(2026, 6, 10))
    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), D(2026, 2, 25, 9))
    rows.task(D(2026, 2, 1, 9), d(2026, 6, 1), None, lead_unit_code="B", category="legal_document")
    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.criterion(1, 1, 50)
    rows.criterion(2, 1, 50, metric="procedures.on_time_rate")
    rows.evaluation(1, "A", 1, "H1", 40)
    rows.evaluation(1, "B", 1, "H1", 40)
    rows.award(d(2026, 1, 20), "emulation_flag")
    return rows


ARGS = ("kpis", "--from", "2026-01-01", "--to", "2026-06-30", "--as-of", "2026-06-20 14:30")


def test_json_report_has_every_kpi_and_equals_the_engine(small, sources):
    out = run(*ARGS, "--format", "json", urls=small.url)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == ["from", "to", "as_of", "unit", "structure", "kpis", "emulation_scores", "awards_by_title"]
    assert data["structure"] == "current" and "by_unit" not in data
    assert set(data["kpis"]) == set(catalogue.get().ids)
    assert (data["from"], data["to"], data["as_of"], data["unit"]) == ("2026-01-01", "2026-06-30", "2026-06-20 14:30:00", None)
    expected = report.compute(sources, Period(d(2026, 1, 1), d(2026, 6, 30)), D(2026, 6, 20, 14, 30), Scope.ministry())
    assert data == json.loads(json.dumps(expected))
    k = data["kpis"]
    assert (k["procedures.received"], k["procedures.finished"], k["procedures.on_time_rate"]) == (3, 2, 0.5)
    assert (k["procedures.pending"], k["procedures.pending_overdue"]) == (1, 1)
    assert (k["tasks.assigned"], k["tasks.completed_on_time"], k["tasks.in_progress_overdue"]) == (2, 1, 1)
    assert k["tasks.legal_docs_completion_rate"] == 0.0
    assert k["emulation.awards"] == 1 and data["awards_by_title"] == {"emulation_flag": 1}
    # A: (40 + 50 × 1.0) / 100; B: (40 + 50 × 0) / 100
    assert data["emulation_scores"] == [
        {"unit": "A", "block": 1, "score": 90.0, "rank": 1},
        {"unit": "B", "block": 1, "score": 40.0, "rank": 2},
    ]
    assert k["emulation.score"] == 65.0


def test_unit_scope_and_csv(small):
    out = run(*ARGS, "--unit", "B", "--format", "csv", urls=small.url)
    assert out.returncode == 0, out.stderr
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    values = {r["kpi"]: r["value"] for r in table}
    assert set(values) == set(catalogue.get().ids)
    assert values["procedures.received"] == "1" and values["procedures.on_time_rate"] == "0.0"
    assert values["emulation.awards"] == ""                    # ministry-only figure
    assert {r["scope_unit"] for r in table} == {"B"}


@pytest.mark.parametrize("args, message", [
    (("--from", "2026-07-01", "--to", "2026-06-30"), "after"),
    (("--from", "2026-13-01", "--to", "2026-12-31"), "malformed date"),
    (("--from", "01/01/2026", "--to", "2026-12-31"), "malformed date"),
    (("--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "yesterday"), "malformed --as-of"),
    (("--from", "2026-01-01", "--to", "2026-12-31", "--unit", "NOPE"), "unknown unit"),
    (("--from", "2026-01-01", "--to", "2026-12-31", "--unit", "x' OR '1'='1"), "unknown unit"),
    (("--from", "2026-01-01"), "required"),
    (("--from", "2026-01-01", "--to", "2026-12-31", "--format", "xml"), "invalid choice"),
])
def test_bad_arguments_exit_2_with_one_line(small, args, message):
    out = run("kpis", *args, urls=small.url)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and message in out.stderr


def test_unreachable_database_exits_3_and_names_it(tmp_path):
    urls = {"procedures": "postgresql+psycopg://postgres@127.0.0.1:1/test",
            "tasks": f"sqlite:///{tmp_path / 'none.sqlite'}", "emulation": f"sqlite:///{tmp_path / 'none.sqlite'}"}
    out = run("kpis", "--from", "2026-01-01", "--to", "2026-06-30", urls=urls)
    assert out.returncode == 3
    assert "procedures database" in out.stderr
    urls["procedures"] = f"sqlite:///{tmp_path / 'missing.sqlite'}"
    out = run("kpis", "--from", "2026-01-01", "--to", "2026-06-30", urls=urls)
    assert out.returncode == 3 and "procedures database" in out.stderr
