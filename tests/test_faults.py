"""Faults said rightly: "cannot be reached" only when a source cannot be reached; a
missing table names it, a URL that cannot be used says so, a time-out says the query
took too long — on the page (the other sections still drawn) and on the command line."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from ui.controls import bad_value_notice

from data_access import db as dbmod
from data_access.settings import PROJECT_ROOT
from tests.conftest import APP_AS_OF, app_test
from ui import data


def _tasks_source(monkeypatch, url: str) -> None:
    monkeypatch.setenv("IOC_TASKS_URL", url)
    data.clear_caches()
    dbmod.dispose_all()


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


@pytest.fixture
def without_tasks_table(tmp_path):
    path = tmp_path / "tasks.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE units (code TEXT, name_vi TEXT, name_en TEXT, parent_code TEXT, kind TEXT)")
    return f"sqlite:///{path}"


def test_a_missing_table_is_named_and_the_other_sections_still_work(app_db, monkeypatch, without_tasks_table):
    _tasks_source(monkeypatch, without_tasks_table)
    at = app_test("lead")
    at.run()
    assert not at.exception
    assert "Cơ sở dữ liệu nhiệm vụ thiếu bảng hoặc cột tasks của lược đồ báo cáo. Các phần khác vẫn hoạt động." \
        in _errors(at)
    assert not any("Không kết nối được" in e for e in _errors(at))
    labels = [m.label for m in at.metric]
    assert "Hồ sơ tiếp nhận" in labels and "Nhiệm vụ được giao" not in labels


def test_a_url_that_cannot_be_used_is_said_so(app_db, monkeypatch):
    _tasks_source(monkeypatch, "notaurl")
    at = app_test("lead")
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert ("The connection address of the tasks database cannot be used; an administrator must correct the "
            "settings. The other sections still work.") in _errors(at)
    assert len(at.metric) >= 8                     # the procedure cards are there


def test_an_unreachable_server_is_said_to_be_unreachable(app_db, monkeypatch):
    _tasks_source(monkeypatch, "postgresql+psycopg://nobody@127.0.0.1:9/none")
    at = app_test("lead")
    at.run()
    assert "Không kết nối được cơ sở dữ liệu nhiệm vụ. Các phần khác vẫn hoạt động." in _errors(at)


def _kpis(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "data_access", "kpis", "--from", "2026-01-01", "--to", "2026-06-30",
                           "--as-of", APP_AS_OF], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                          env={**env, "IOC_AS_OF": ""})


@pytest.mark.parametrize("url, status, line", [
    ("notaurl", 3, "python -m data_access kpis: the tasks database's URL cannot be used: "
                   "'notaurl' is not a database URL"),
    (None, 1, "python -m data_access kpis: the tasks database has no table tasks of the reporting schema "
              "(docs/schema.md); map it with a view"),
])
def test_the_command_line_names_the_fault(app_db, without_tasks_table, url, status, line):
    import os

    done = _kpis({**os.environ, "IOC_TASKS_URL": url or without_tasks_table})
    assert (done.returncode, done.stderr.strip(), done.stdout) == (status, line, "")


RANGE = "is outside the supported dates 1900-01-01 … 2999-12-31"


@pytest.mark.parametrize("args, line", [
    (["--from", "2026-01-01", "--to", "9999-12-31"], f"'9999-12-31' {RANGE}"),
    (["--from", "0001-01-01", "--to", "2026-06-30"], f"'0001-01-01' {RANGE}"),
    (["--from", "2026-01-01", "--to", "2026-06-30", "--as-of", "9999-12-31 23:59"], f"'9999-12-31 23:59' {RANGE}"),
])
def test_dates_beyond_the_supported_range_are_bad_arguments(app_db, args, line):
    import os

    done = subprocess.run([sys.executable, "-m", "data_access", "kpis", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert (done.returncode, done.stderr.strip()) == (2, f"python -m data_access kpis: error: {line}")


@pytest.mark.parametrize("query", [
    {"period": "custom", "from": "0001-01-01", "to": "2026-06-30"},
    {"period": "custom", "from": "2026-01-01", "to": "9999-12-31"},
    {"period": "custom", "from": "2026-01-01", "to": "2026-06-30x"},
])
def test_dates_beyond_the_supported_range_in_a_link_fall_back_with_a_notice(app_db, query):
    at = app_test("lead")
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == [bad_value_notice("from/to", "vi")]
    assert len(at.metric) == 19                     # the default period's cards


# --- numbers that are not numbers ---------------------------------------------------------
def test_text_in_numeric_columns_is_left_out_and_named_not_a_crash(app_db):
    from tests.builders import Rows

    rows = Rows(app_db)
    # one unreadable row in each evaluation period, whichever the page shows
    rows.raw("UPDATE evaluations SET points = 'abc' WHERE movement_id = 1 AND "
             "((unit_code = 'B' AND period = 'H1') OR (unit_code = 'A' AND period = 'FY'))")
    rows.criterion(9, 1, 10)
    rows.raw("UPDATE criteria SET max_points = 'ten' WHERE id = 9")
    rows.raw("UPDATE dossiers SET fee_amount = 'free' WHERE unit_code = 'A'")
    rows.close()
    at = app_test("lead")
    at.run()
    for page in ("screens/overview.py", "screens/emulation.py", "screens/presentation.py", "screens/reports.py"):
        at.switch_page(page).run()
        assert not at.exception and not at.error, page
    at.switch_page("screens/emulation.py").run()
    warnings = [w.value for w in at.warning]
    assert ("1 dòng chấm điểm (bảng evaluations) có số điểm không đọc được nên không được tính vào điểm thi đua."
            in warnings)
    assert ("1 tiêu chí (bảng criteria) có điểm tối đa không đọc được nên không được dùng để chấm điểm."
            in warnings)


def test_a_score_leaves_out_the_unreadable_row_and_keeps_the_rest(app_db):
    from data_access import emulation
    from data_access.db import Database
    from tests.builders import Rows

    rows = Rows(app_db)
    rows.raw("UPDATE evaluations SET points = 'abc' WHERE unit_code = 'B' AND period = 'H1'")
    rows.close()
    db = Database("emulation", app_db)
    assert emulation.hand_points(db, 1, "H1", emulation.Scope.ministry()) == {("A", 1): 55.0}
    assert emulation.unreadable_rows(db, 1, "H1") == {"evaluations": 1, "criteria": 0}


def test_a_slide_whose_source_is_down_says_so_and_the_deck_keeps_every_slide(app_db):
    import datetime as dt

    from data_access.db import Database, Sources
    from data_access.model import Period, Scope
    from reports import slides

    down = Database("emulation", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    sources = Sources(procedures=Database("procedures", app_db), tasks=Database("tasks", app_db), emulation=down)
    built = slides.build(sources, Period.year(2026), dt.datetime(2026, 6, 20, 14, 30), Scope.ministry(), "vi")
    assert [s.key for s in built] == list(slides.SLIDE_KEYS)
    unavailable = [s.key for s in built if s.note == "Không đọc được cơ sở dữ liệu thi đua, khen thưởng: "
                                                      "trang này tạm thiếu số liệu."]
    assert unavailable == ["emulation", "awards"] and all(not s.figures for s in built if s.key in unavailable)
    # The slides of the sources that answered keep their figures, read once for the deck.
    by_key = {s.key: s for s in built}
    whole = {s.key: s for s in slides.build(Sources(procedures=sources.procedures, tasks=sources.tasks,
                                                    emulation=Database("emulation", app_db)),
                                            Period.year(2026), dt.datetime(2026, 6, 20, 14, 30), Scope.ministry(), "vi")}
    for key in ("procedures", "tasks"):
        assert by_key[key].figures == whole[key].figures and by_key[key].figures
    assert by_key["procedures"].figures[1].value == "63,2%"
    overview = {f.kpi_id: f.value for f in by_key["overview"].figures}
    assert overview["procedures.received"] == "25" and overview["emulation.awards"] == "—"
    assert "thi đua, khen thưởng" in by_key["overview"].note


def test_the_government_report_keeps_the_parts_whose_source_answered(app_db, monkeypatch):
    import datetime as dt

    from data_access import report
    from data_access.db import Database, Sources
    from data_access.model import Period, Scope

    down = Database("tasks", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    sources = Sources(procedures=Database("procedures", app_db), tasks=down, emulation=Database("emulation", app_db))
    period, as_of = Period.year(2026), dt.datetime(2026, 6, 20, 14, 30)
    partial = report.compute_available(sources, period, as_of, Scope.ministry())
    whole = report.compute(Sources.single(app_db), period, as_of, Scope.ministry())
    assert partial["unavailable"] == ["tasks"]
    for kpi_id, value in partial["kpis"].items():
        assert value == (whole["kpis"][kpi_id] if kpi_id.startswith("procedures.") else None), kpi_id
    assert partial["kpis"]["procedures.received"] == 25
    assert partial["emulation_scores"] == [] and "unavailable" not in whole

    _tasks_source(monkeypatch, "postgresql+psycopg://nobody@127.0.0.1:9/none")
    at = app_test("lead")
    at.run()
    at.switch_page("screens/reports.py").run()
    assert not at.exception
    assert any(w.value.startswith("Không đọc được cơ sở dữ liệu nhiệm vụ: các chỉ tiêu") for w in at.warning)
    # Both reports still offered: the Government one in PDF, Excel, JSON and CSV, the
    # emulation one in PDF and Excel.
    assert [b.key for b in at.get("download_button")] == ["gov_pdf", "gov_xlsx", "gov_json", "gov_csv", "emu_pdf", "emu_xlsx"]
