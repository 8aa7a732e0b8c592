"""Data status: reachability, row counts and freshness of the sources (on SQLite,
PostgreSQL and MariaDB), the words and colours of freshness, and the admin page (AppTest).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access import schema
from data_access.db import Database, Sources
from data_access.status import (
    FRESHNESS,
    SourceStatus,
    TableStatus,
    all_status,
    source_status,
)
from ui import status_view

from .builders import create_tables

D = dt.datetime
NOW = D(2026, 6, 20, 14, 30)
ENGINE_DIALECT = {"sqlite": "sqlite", "postgresql": "postgresql", "mysql": "mariadb"}


def by_table(status: SourceStatus) -> dict[str, TableStatus]:
    return {t.table: t for t in status.tables}


def small_dataset(rows) -> None:
    rows.unit("A")
    rows.unit("B")
    rows.procedure("P1")
    rows.dossier(D(2026, 3, 1, 9), finished_at=D(2026, 3, 2, 8))
    rows.dossier(D(2026, 3, 2, 10))
    rows.dossier(D(2026, 3, 3, 11, 15, 20), finished_at=D(2026, 3, 9, 16, 45, 30))  # the newest of all
    rows.task(D(2026, 2, 1, 9), updated_at=D(2026, 6, 19, 8, 5))
    rows.task(D(2026, 2, 2, 9), updated_at=D(2026, 5, 1, 9))
    rows.insert(schema.task_updates, {"id": 1, "task_id": 1, "reported_at": D(2026, 6, 18, 17, 0, 1),
                                      "progress_pct": 20, "note": "Đang dự thảo"})
    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.criterion(1, 1, 60)
    rows.evaluation(1, "A", 1, "H1", 55)          # evaluated_at 10/07/2026 09:00
    rows.award(dt.date(2026, 1, 15), unit_code="A", movement_id=1)
    rows.award(dt.date(2026, 4, 2), unit_code="B", movement_id=1)


# --- data layer, all three engines --------------------------------------------------------
def test_counts_and_newest_records(rows, sources):
    small_dataset(rows)
    found = {s.source: s for s in all_status(sources, NOW)}
    assert list(found) == ["procedures", "tasks", "emulation"]
    for status in found.values():
        assert status.reachable and status.error is None
        assert status.checked_at == NOW and status.seconds >= 0
        assert status.dialect == ENGINE_DIALECT[sources.procedures.dialect]   # the MySQL server is MariaDB
        assert [t.table for t in status.tables] == list(schema.METADATA[status.source].tables)

    procedures = by_table(found["procedures"])
    assert procedures["units"] == TableStatus("units", 2, None, None)
    assert procedures["procedures"] == TableStatus("procedures", 1, None, None)
    # The later of the newest received_at (3 March) and the newest finished_at (9 March).
    assert procedures["dossiers"] == TableStatus("dossiers", 3, D(2026, 3, 9, 16, 45, 30), "finished_at")
    assert found["procedures"].newest == D(2026, 3, 9, 16, 45, 30)

    tasks = by_table(found["tasks"])
    assert tasks["tasks"] == TableStatus("tasks", 2, D(2026, 6, 19, 8, 5), "updated_at")
    assert tasks["task_updates"] == TableStatus("task_updates", 1, D(2026, 6, 18, 17, 0, 1), "reported_at")
    assert found["tasks"].newest == D(2026, 6, 19, 8, 5)

    emulation = by_table(found["emulation"])
    assert emulation["movements"] == TableStatus("movements", 1, None, None)
    assert emulation["blocks"].rows == 1 and emulation["block_members"].rows == 2
    assert emulation["criteria"] == TableStatus("criteria", 1, None, None)
    assert emulation["evaluations"] == TableStatus("evaluations", 1, D(2026, 7, 10, 9, 0), "evaluated_at")
    assert emulation["awards"] == TableStatus("awards", 2, D(2026, 4, 2), "decided_on")


def test_received_later_than_finished_and_empty_tables(rows, sources):
    rows.dossier(D(2026, 3, 1, 9), finished_at=D(2026, 3, 4, 9))
    rows.dossier(D(2026, 3, 20, 7, 30))
    procedures = by_table(source_status(sources.procedures, NOW))
    assert procedures["dossiers"] == TableStatus("dossiers", 2, D(2026, 3, 20, 7, 30), "received_at")
    assert procedures["units"] == TableStatus("units", 0, None, None)
    tasks = by_table(source_status(sources.tasks, NOW))
    # No rows: a count of zero, no newest record, the freshness column still named.
    assert tasks["tasks"] == TableStatus("tasks", 0, None, "updated_at")
    assert tasks["task_updates"] == TableStatus("task_updates", 0, None, "reported_at")


def test_a_missing_table_has_no_count_and_the_rest_still_answer(rows, sources):
    rows.task(D(2026, 2, 1, 9), updated_at=D(2026, 6, 1, 9))
    with rows.engine.begin() as conn:
        schema.task_updates.drop(conn)
    try:
        status = source_status(sources.tasks, NOW)
        assert status.reachable
        tasks = by_table(status)
        assert tasks["task_updates"].rows is None and tasks["task_updates"].newest is None
        assert tasks["tasks"] == TableStatus("tasks", 1, D(2026, 6, 1, 9), "updated_at")
        assert tasks["units"].rows == 0
    finally:
        create_tables(rows.url)


def test_an_unreachable_source_is_reported_not_raised(rows, tmp_path):
    missing = f"sqlite:///{tmp_path / 'no-such-dir' / 'tasks.sqlite'}"
    sources = Sources(procedures=Database("procedures", rows.url), tasks=Database("tasks", missing),
                      emulation=Database("emulation", rows.url))
    found = {s.source: s for s in all_status(sources, NOW)}
    down = found["tasks"]
    assert not down.reachable
    assert down.error and "unable to open" in down.error
    assert down.tables == () and down.newest is None and down.dialect == "sqlite"
    assert found["procedures"].reachable and found["emulation"].reachable
    assert by_table(found["procedures"])["dossiers"].rows == 0


def test_unreachable_server(tmp_path):
    db = Database("procedures", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    status = source_status(db, NOW)
    assert not status.reachable and status.error and status.tables == ()
    assert status.dialect == "postgresql"


def test_sqlite_text_timestamps_of_any_form(sqlite_rows):
    """Free-text timestamps: 'T' or space, with or without fractions; unreadable text is
    left out, even when it sorts last as text."""
    sqlite_rows.dossier(D(2026, 3, 1, 9))
    for text in ("2026-03-05 09:30:00.123", "2026-03-05T10:00:00", "2026-03-05 09:59:59", "not a date"):
        sqlite_rows.raw("INSERT INTO dossiers (id, procedure_code, unit_code, received_at, due_at, status, channel,"
                        " digitized, synced_national, fee_amount, paid_online) VALUES (:id, 'P1', 'A', :at,"
                        " '2026-04-01', 'processing', 'online', 0, 0, 0, 0)", id=f"HS-{text}", at=text)
    db = Database("procedures", sqlite_rows.url)
    dossiers = by_table(source_status(db, NOW))["dossiers"]
    assert dossiers == TableStatus("dossiers", 5, D(2026, 3, 5, 10, 0), "received_at")

    # Digits that are not a date sort after every real timestamp: every row is read instead.
    sqlite_rows.raw("UPDATE dossiers SET finished_at = '9999 unknown' WHERE id = 'HS-not a date'")
    sqlite_rows.raw("UPDATE dossiers SET finished_at = '2026-03-06 08:00' WHERE id = 'HS-2026-03-05T10:00:00'")
    dossiers = by_table(source_status(db, NOW))["dossiers"]
    assert dossiers == TableStatus("dossiers", 5, D(2026, 3, 6, 8, 0), "finished_at")


def test_freshness_columns_are_in_the_schema():
    for name, columns in FRESHNESS.items():
        table = next(m.tables[name] for m in schema.METADATA.values() if name in m.tables)
        assert all(c in table.c for c in columns)


# --- words and colours ------------------------------------------------------------------------
@pytest.mark.parametrize("age, level, vi, en", [
    (dt.timedelta(seconds=30), "ok", "vừa xong", "just now"),
    (dt.timedelta(minutes=1), "ok", "1 phút trước", "1 minute ago"),
    (dt.timedelta(minutes=45), "ok", "45 phút trước", "45 minutes ago"),
    (dt.timedelta(hours=2, minutes=10), "ok", "2 giờ trước", "2 hours ago"),
    (dt.timedelta(hours=24), "ok", "24 giờ trước", "24 hours ago"),
    (dt.timedelta(hours=25), "amber", "25 giờ trước", "25 hours ago"),
    (dt.timedelta(days=3, hours=5), "amber", "3 ngày trước", "3 days ago"),
    (dt.timedelta(days=7), "amber", "7 ngày trước", "7 days ago"),
    (dt.timedelta(days=7, minutes=1), "red", "7 ngày trước", "7 days ago"),
    (dt.timedelta(days=1500), "red", "1.500 ngày trước", "1,500 days ago"),
])
def test_age_in_words_and_level(age, level, vi, en):
    assert status_view.freshness_level(NOW - age, NOW) == level
    assert status_view.age_words(NOW - age, NOW, "vi") == vi
    assert status_view.age_words(NOW - age, NOW, "en") == en


def test_freshness_line_flags_old_data_in_words_and_colour():
    assert status_view.freshness_line(NOW - dt.timedelta(hours=2), NOW, "en") == \
        ":material/check_circle: :green[Newest record: 2 hours ago]"
    amber = status_view.freshness_line(NOW - dt.timedelta(days=2), NOW, "vi")
    assert ":orange[" in amber and "cũ hơn 1 ngày" in amber
    red = status_view.freshness_line(NOW - dt.timedelta(days=9), NOW, "en")
    assert ":red[" in red and "older than 7 days" in red
    assert status_view.freshness_level(NOW + dt.timedelta(days=2), NOW) == "future"
    assert "after the as-of moment" in status_view.age_words(NOW + dt.timedelta(days=2), NOW, "en")
    assert status_view.freshness_level(None, NOW) == "none"


# --- the page (AppTest) -------------------------------------------------------------------------
AUDIT_ROWS = [
    {"at": D(2026, 6, 20, 14, 25, 7), "username": "root", "event": "login_ok", "detail": None},
    {"at": "2026-06-20 14:20:00", "username": "lead", "event": "export", "detail": "procedures.csv"},
    {"at": D(2026, 6, 20, 14, 10), "username": "ghost", "event": "login_failed", "detail": "1 of 5"},
]
COUNT_COLUMN = {"vi": "Tên bảng trong CSDL", "en": "Database table"}
ROWS_COLUMN = {"vi": "Số dòng", "en": "Rows"}
EVENT_COLUMN = {"vi": "Sự kiện", "en": "Event"}


@pytest.fixture
def fake_audit(app_db, tmp_path):
    """Events written to the app's own database, where the page reads them."""
    from auth.audit import AuditLog

    log = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    for row in reversed(AUDIT_ROWS):
        at = row["at"] if isinstance(row["at"], dt.datetime) else dt.datetime.fromisoformat(row["at"])
        log.record(row["event"], row["username"], row["detail"], at=at)
    log.dispose()
    return log


def open_page(lang: str):
    """The page as an admin sees it, opened through app.py's navigation."""
    from tests.conftest import app_test

    at = app_test("root")
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("screens/data_status.py").run()
    return at


def status_view_title(lang: str) -> str:
    from l10n.i18n import t

    return t("data_status.title", lang)


def frame_with(at, *columns: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if all(c in d.value.columns for c in columns)]


def shown_counts(at, lang: str) -> dict[str, str]:
    """{table: rows shown} over the sources' row-count tables."""
    counts = pd.concat(frame_with(at, COUNT_COLUMN[lang], ROWS_COLUMN[lang]))
    return dict(zip(counts[COUNT_COLUMN[lang]], counts[ROWS_COLUMN[lang]]))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_shows_row_counts_freshness_and_audit(app_db, fake_audit, lang):
    at = open_page(lang)
    assert not at.exception
    assert [t.value for t in at.title][-1] == status_view_title(lang)

    shown = shown_counts(at, lang)
    # Each of the three sources is the app_db file, so `units` appears three times.
    assert shown["dossiers"] == "25"
    assert shown["procedures"] == "2" and shown["units"] == "2"
    assert shown["tasks"] == "3" and shown["task_updates"] == "0"
    assert shown["evaluations"] == "5" and shown["awards"] == "2" and shown["criteria"] == "3"
    assert len(frame_with(at, COUNT_COLUMN[lang], ROWS_COLUMN[lang])) == 3

    text = " ".join(m.value for m in at.markdown)
    if lang == "vi":
        # Newest dossier: finished 07/05/2026 09:00, 44 days before as-of: red.
        assert ":red[Bản ghi mới nhất: 44 ngày trước — cũ hơn 7 ngày]" in text
        assert "Kết nối được" in text and "SQLite" in text
    else:
        assert ":red[Newest record: 44 days ago — older than 7 days]" in text
        assert "Reachable" in text

    events = frame_with(at, EVENT_COLUMN[lang])
    assert len(events) == 1
    if lang == "vi":
        assert list(events[0][EVENT_COLUMN[lang]]) == ["Đăng nhập thành công", "Xuất dữ liệu",
                                                       "Đăng nhập không thành công"]
        assert events[0]["Thời điểm"].iloc[0] == "14:25:07 20/06/2026"
    else:
        assert list(events[0][EVENT_COLUMN[lang]]) == ["Signed in", "Data exported", "Sign-in failed"]


def test_page_with_an_unreadable_audit_log_says_so_and_keeps_the_rest(app_db, monkeypatch):
    from ui import data

    at = open_page("en")
    # The app's own database goes down while the admin is signed in: the tab goes on (its
    # session was checked; nobody new can sign in), the page says what it cannot read.
    monkeypatch.setenv("IOC_APP_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    data.clear_caches()
    at.run()
    assert not at.exception
    assert any("audit log in the app's own database could not be read" in e.value for e in at.error)
    assert any("list of sessions could not be read" in e.value for e in at.error)
    assert not frame_with(at, EVENT_COLUMN["en"])
    assert shown_counts(at, "en")["dossiers"] == "25"


def test_page_with_an_unreachable_source(app_db, fake_audit, monkeypatch, tmp_path):
    from data_access import db as dbmod
    from ui import data

    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{tmp_path / 'gone' / 'tasks.sqlite'}")
    data.clear_caches()
    dbmod.dispose_all()
    at = open_page("en")
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("The tasks database cannot be reached: unable to open") for e in errors)
    # The other sources still show their counts.
    assert len(frame_with(at, COUNT_COLUMN["en"], ROWS_COLUMN["en"])) == 2
    assert shown_counts(at, "en")["dossiers"] == "25"


def test_page_lists_data_quality_findings(app_db, fake_audit):
    from .builders import Rows

    bad = Rows(app_db)
    bad.dossier(D(2026, 6, 1, 9), status="approved", id="HS-BAD-1")      # approved, never finished
    bad.close()
    at = open_page("vi")
    assert not at.exception
    assert shown_counts(at, "vi")["dossiers"] == "26"
    found = frame_with(at, "Mã kiểm tra")
    assert len(found) == 1
    row = found[0][found[0]["Ví dụ"].str.contains("HS-BAD-1")]
    assert len(row) == 1
    assert row["Cơ sở dữ liệu"].iloc[0] == "thủ tục hành chính" and row["Số dòng lỗi"].iloc[0] == "1"
    assert row["Tên bảng trong CSDL"].iloc[0] == "dossiers"


def test_page_without_findings_says_so(app_db, fake_audit):
    at = open_page("en")
    assert not at.exception
    assert [s.value for s in at.success] == ["No data-quality findings."]
    assert not frame_with(at, "Check")


def test_table_frame_shows_days_for_date_columns_and_ms():
    source = SourceStatus("emulation", True, None, "sqlite", NOW, 0.0004, (
        TableStatus("awards", 2, D(2026, 4, 2), "decided_on"),
        TableStatus("evaluations", None, None, "evaluated_at"),
        TableStatus("movements", 1, None, None),
    ))
    frame = status_view.tables_frame(source, NOW, "vi")
    assert list(frame["newest"]) == ["02/04/2026", "—", "—"]
    assert list(frame["rows"]) == ["2", "Không đọc được", "1"]
    assert list(frame["age"]) == ["79 ngày trước", "chưa có bản ghi nào có thời gian", ""]
    assert status_view.milliseconds(0.0004, "vi") == "0,4 mili giây"
    assert status_view.milliseconds(0.1234, "en") == "123 ms"
