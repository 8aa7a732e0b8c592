"""Data-quality checks (`python -m data_access check`), on SQLite, PostgreSQL and MariaDB.

Each test builds a clean dataset, spoils a few rows on purpose and asserts the exact
findings: check ids, counts and example ids.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from data_access import quality, schema
from data_access.db import Database, Sources
from data_access.quality import CHECKS, Finding, check_all, format_text

D = dt.datetime
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def is_sqlite(rows) -> bool:
    return rows.url.startswith("sqlite")


def clean_dataset(rows) -> None:
    """A small dataset with no finding in any of the three sources."""
    rows.unit("A", kind="department")
    rows.unit("B", kind="office", parent_code="A")
    rows.procedure("P1", unit_code="A")
    rows.procedure("P2", unit_code="B", field="land", service_level="offline")
    rows.dossier(D(2026, 3, 1, 9), finished_at=D(2026, 3, 5, 9), id="HS-OK-1", rating=5)
    rows.dossier(D(2026, 3, 2, 9), id="HS-OK-2")  # processing
    rows.dossier(D(2026, 3, 3, 9), status="supplement_requested", id="HS-OK-3", unit_code="B",
                 procedure_code="P2", channel="online", applicant_type="citizen")
    rows.dossier(D(2026, 3, 4, 9), finished_at=D(2026, 3, 4, 9), status="withdrawn", id="HS-OK-4",
                 channel="postal", applicant_type=None)
    rows.dossier(D(2026, 3, 4, 9), finished_at=D(2026, 3, 6, 9), status="rejected", id="HS-OK-5", rating=1)
    rows.task(D(2026, 3, 1, 9), due_date=dt.date(2026, 3, 10), completed_at=D(2026, 3, 9, 9), id=1)
    rows.task(D(2026, 3, 1, 9), id=2, category="legal_document", source="prime_minister",
              priority="urgent", lead_unit_code="B", progress_pct=0)
    rows.insert(schema.task_updates, {"id": 1, "task_id": 2, "reported_at": D(2026, 3, 5, 9),
                                      "progress_pct": 20, "note": "Đang dự thảo"})
    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.criterion(1, 1, 40, metric="tasks.on_time_rate")
    rows.criterion(2, 1, 60)
    rows.evaluation(1, "A", 2, "H1", 50)
    rows.evaluation(1, "B", 2, "FY", 55)
    rows.award(dt.date(2026, 12, 20), id=1)
    rows.award(dt.date(2026, 12, 20), title="emulation_fighter", recipient_kind="individual", unit_code="B", id=2)


def as_table(findings: list[Finding]) -> dict[tuple[str, str, str], tuple[int, tuple[str, ...]]]:
    table = {(f.source, f.table, f.check): (f.count, f.examples) for f in findings}
    assert len(table) == len(findings), f"one finding per check expected: {findings}"
    return table


# --- clean data ----------------------------------------------------------------------
def test_clean_dataset_has_no_finding(rows, sources):
    clean_dataset(rows)
    assert check_all(sources) == []


def test_empty_tables_have_no_finding(rows, sources):
    assert check_all(sources) == []


# --- the cases named in the brief ----------------------------------------------------
def test_spoiled_rows_are_found_with_counts_and_examples(rows, sources):
    clean_dataset(rows)
    rows.dossier(D(2026, 4, 1, 9), status="approved", id="HS-BAD-APPROVED-OPEN")        # finished_at null
    rows.dossier(D(2026, 4, 1, 9), finished_at=D(2026, 4, 3, 9), status="processing",
                 id="HS-BAD-PROCESSING-DONE")                                             # finished_at set
    rows.dossier(D(2026, 4, 10, 9), finished_at=D(2026, 4, 9, 9), id="HS-BAD-EARLY")      # before received
    rows.dossier(D(2026, 4, 1, 9), channel="fax", id="HS-BAD-FAX")
    rows.dossier(D(2026, 4, 1, 9), unit_code="ZZ", id="HS-BAD-UNIT")
    rows.dossier(D(2026, 4, 1, 9), finished_at=D(2026, 4, 2, 9), rating=7, id="HS-BAD-RATING")
    rows.task(D(2026, 4, 1, 9), category="wish", id=41)
    rows.award(dt.date(2026, 12, 20), title="golden_star", id=51)

    findings = check_all(sources)

    assert as_table(findings) == {
        ("procedures", "dossiers", "status_finished_at_mismatch"):
            (2, ("HS-BAD-APPROVED-OPEN", "HS-BAD-PROCESSING-DONE")),
        ("procedures", "dossiers", "finished_before_received"): (1, ("HS-BAD-EARLY",)),
        ("procedures", "dossiers", "unknown_channel"): (1, ("HS-BAD-FAX",)),
        ("procedures", "dossiers", "unknown_unit_code"): (1, ("HS-BAD-UNIT",)),
        ("procedures", "dossiers", "rating_out_of_range"): (1, ("HS-BAD-RATING",)),
        ("tasks", "tasks", "unknown_category"): (1, ("41",)),
        ("emulation", "awards", "unknown_title"): (1, ("51",)),
    }
    by_check = {f.check: f for f in findings}
    fax = by_check["unknown_channel"]
    assert "fax" not in fax.message_en and "online" in fax.message_en
    assert "Kênh tiếp nhận" in fax.message_vi
    assert fax.as_dict() == {
        "source": "procedures", "table": "dossiers", "check": "unknown_channel",
        "message_vi": fax.message_vi, "message_en": fax.message_en, "count": 1, "examples": ["HS-BAD-FAX"],
    }


def test_examples_are_limited_and_sorted_count_is_not(rows, sources):
    clean_dataset(rows)
    for n in (7, 3, 12, 1, 9, 5, 10):
        rows.task(D(2026, 4, 1, 9), id=100 + n, lead_unit_code="GHOST")

    [finding] = check_all(sources, examples=3)
    assert (finding.source, finding.table, finding.check) == ("tasks", "tasks", "unknown_lead_unit_code")
    assert finding.count == 7
    assert finding.examples == ("101", "103", "105")  # smallest ids, numeric order

    [finding] = check_all(sources, examples=0)
    assert finding.count == 7 and finding.examples == ()


# --- every declared check ------------------------------------------------------------
def test_every_declared_check_finds_its_row(rows, sources):
    """One bad row per check; duplicates are covered by the view test below."""
    clean_dataset(rows)
    # procedures / dossiers
    rows.dossier(D(2026, 4, 1, 9), status="approved", id="HS-01")
    rows.dossier(D(2026, 4, 10, 9), finished_at=D(2026, 4, 9, 23, 59, 59), id="HS-02")
    rows.dossier(D(2026, 4, 10, 9), due_at=D(2026, 4, 10, 8, 59, 59), id="HS-03")
    rows.dossier(D(2026, 4, 1, 9), status="lost", id="HS-04")
    rows.dossier(D(2026, 4, 1, 9), channel="fax", id="HS-05")
    rows.dossier(D(2026, 4, 1, 9), applicant_type="alien", id="HS-06")
    rows.dossier(D(2026, 4, 1, 9), finished_at=D(2026, 4, 2, 9), rating=0, id="HS-07")
    rows.dossier(D(2026, 4, 1, 9), unit_code="ZZ", id="HS-08")
    rows.dossier(D(2026, 4, 1, 9), procedure_code="P404", id="HS-09")
    # procedures / procedures and units
    rows.procedure("P-FIELD", field="space")
    rows.procedure("P-LEVEL", service_level="carrier_pigeon")
    rows.procedure("P-UNIT", unit_code="ZZ")
    rows.unit("C", kind="club")
    # tasks
    rows.task(D(2026, 4, 1, 9), id=11, source="oracle")
    rows.task(D(2026, 4, 1, 9), id=12, category="wish")
    rows.task(D(2026, 4, 1, 9), id=13, priority="whenever")
    rows.task(D(2026, 4, 1, 9), id=14, lead_unit_code="ZZ")
    rows.task(D(2026, 4, 1, 9), id=15, completed_at=D(2026, 3, 31, 9))
    rows.task(D(2026, 4, 1, 9), id=16, progress_pct=150)
    rows.insert(schema.task_updates, {"id": 17, "task_id": 999, "reported_at": D(2026, 4, 2, 9),
                                      "progress_pct": 10, "note": None})
    # emulation
    rows.criterion(3, 1, 10, metric="procedures.received")  # a count, not a rate
    rows.evaluation(1, "A", 2, "Q3", 10)
    rows.evaluation(1, "ZZ", 2, "H1", 10)
    rows.evaluation(1, "B", 99, "H1", 10)
    rows.award(dt.date(2026, 12, 20), id=21, title="golden_star")
    rows.award(dt.date(2026, 12, 20), id=22, recipient_kind="team")
    rows.award(dt.date(2026, 12, 20), id=23, unit_code="ZZ")
    rows.insert(schema.block_members, {"block_id": 1, "unit_code": "ZZ"})
    # units over time: a unit that existed in the first quarter of 2026 only…
    rows.unit("V", kind="department", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 3, 31))
    rows.dossier(D(2026, 4, 1, 9), unit_code="V", id="HS-12")
    rows.task(D(2026, 4, 1, 9), id=20, lead_unit_code="V")
    rows.movement(2, 2027)
    rows.block(2, 2, "V")
    # …and successions: a cycle, two inheriting successors, an unknown unit and kind
    rows.succession("A", "B", dt.date(2026, 1, 1))
    rows.succession("B", "A", dt.date(2026, 2, 1))
    rows.succession("V", "A", dt.date(2026, 4, 1), kind="split")
    rows.succession("V", "B", dt.date(2026, 4, 1), kind="split")
    rows.succession("GONE", "C", dt.date(2026, 4, 1), kind="annexation")

    expected = {
        ("procedures", "dossiers", "status_finished_at_mismatch"): (1, ("HS-01",)),
        ("procedures", "dossiers", "finished_before_received"): (1, ("HS-02",)),
        ("procedures", "dossiers", "due_before_received"): (1, ("HS-03",)),
        ("procedures", "dossiers", "unknown_status"): (1, ("HS-04",)),
        ("procedures", "dossiers", "unknown_channel"): (1, ("HS-05",)),
        ("procedures", "dossiers", "unknown_applicant_type"): (1, ("HS-06",)),
        ("procedures", "dossiers", "rating_out_of_range"): (1, ("HS-07",)),
        ("procedures", "dossiers", "unknown_unit_code"): (1, ("HS-08",)),
        ("procedures", "dossiers", "unknown_procedure_code"): (1, ("HS-09",)),
        ("procedures", "procedures", "unknown_field"): (1, ("P-FIELD",)),
        ("procedures", "procedures", "unknown_service_level"): (1, ("P-LEVEL",)),
        ("procedures", "procedures", "unknown_unit_code"): (1, ("P-UNIT",)),
        # The test puts the three sources in one database, so the one `units` table is
        # checked once per source.
        ("procedures", "units", "unknown_kind"): (1, ("C",)),
        ("tasks", "units", "unknown_kind"): (1, ("C",)),
        ("emulation", "units", "unknown_kind"): (1, ("C",)),
        ("tasks", "tasks", "unknown_source"): (1, ("11",)),
        ("tasks", "tasks", "unknown_category"): (1, ("12",)),
        ("tasks", "tasks", "unknown_priority"): (1, ("13",)),
        ("tasks", "tasks", "unknown_lead_unit_code"): (1, ("14",)),
        ("tasks", "tasks", "completed_before_assigned"): (1, ("15",)),
        ("tasks", "tasks", "progress_out_of_range"): (1, ("16",)),
        ("tasks", "task_updates", "unknown_task_id"): (1, ("17",)),
        ("emulation", "criteria", "unknown_metric"): (1, ("3",)),
        ("emulation", "evaluations", "unknown_period"): (1, ("1/A/2/Q3",)),
        ("emulation", "evaluations", "unknown_unit_code"): (1, ("1/ZZ/2/H1",)),
        ("emulation", "evaluations", "unknown_criterion_id"): (1, ("1/B/99/H1",)),
        ("emulation", "awards", "unknown_title"): (1, ("21",)),
        ("emulation", "awards", "unknown_recipient_kind"): (1, ("22",)),
        ("emulation", "awards", "unknown_unit_code"): (1, ("23",)),
        ("emulation", "block_members", "unknown_unit_code"): (1, ("1/ZZ",)),
        ("procedures", "dossiers", "outside_unit_validity"): (1, ("HS-12",)),
        ("tasks", "tasks", "outside_unit_validity"): (1, ("20",)),
        ("emulation", "block_members", "outside_unit_validity"): (1, ("2/V",)),
    }
    for source in ("procedures", "tasks", "emulation"):      # one unit_successions, read by each
        expected[(source, "unit_successions", "succession_cycle")] = (2, ("A/B", "B/A"))
        expected[(source, "unit_successions", "several_heirs")] = (2, ("V/A", "V/B"))
        expected[(source, "unit_successions", "unknown_unit_in_succession")] = (1, ("GONE/C",))
        expected[(source, "unit_successions", "unknown_kind")] = (1, ("GONE/C",))
    if is_sqlite(rows):
        rows.dossier(D(2026, 4, 1, 9), id="HS-10")
        rows.raw("UPDATE dossiers SET due_at = 'soon' WHERE id = :id", id="HS-10")
        rows.task(D(2026, 4, 1, 9), id=18)
        rows.raw("UPDATE tasks SET updated_at = '2026-13-45 99:00' WHERE id = :id", id=18)
        expected[("procedures", "dossiers", "unparseable_timestamp")] = (1, ("HS-10",))
        expected[("tasks", "tasks", "unparseable_timestamp")] = (1, ("18",))
        rows.dossier(D(2026, 4, 1, 9), id="HS-11")
        rows.raw("UPDATE dossiers SET fee_amount = 'free' WHERE id = :id", id="HS-11")
        rows.task(D(2026, 4, 1, 9), id=19, due_date=dt.date(2026, 5, 1))
        rows.raw("UPDATE tasks SET due_date = 'end of May' WHERE id = :id", id=19)
        rows.evaluation(1, "A", 1, "FY", 10)
        rows.raw("UPDATE evaluations SET points = 'abc' WHERE period = 'FY' AND unit_code = 'A'")
        rows.criterion(4, 1, 10)
        rows.raw("UPDATE criteria SET max_points = 'ten' WHERE id = 4")
        rows.award(dt.date(2026, 12, 20), id=24)
        rows.raw("UPDATE awards SET decided_on = 'Tết' WHERE id = 24")
        expected[("procedures", "dossiers", "not_a_number")] = (1, ("HS-11",))
        expected[("tasks", "tasks", "unparseable_date")] = (1, ("19",))
        expected[("emulation", "evaluations", "not_a_number")] = (1, ("1/A/1/FY",))
        expected[("emulation", "criteria", "not_a_number")] = (1, ("4",))
        expected[("emulation", "awards", "unparseable_date")] = (1, ("24",))
        rows.unit("W", kind="agency", valid_from=dt.date(2026, 1, 1))
        rows.raw("UPDATE units SET valid_to = 'soon' WHERE code = 'W'")
        rows.succession("C", "B", dt.date(2026, 4, 1), kind="transfer", inherits_history=False)
        rows.raw("UPDATE unit_successions SET effective_on = 'some day' WHERE predecessor_code = 'C'")
        for source in ("procedures", "tasks", "emulation"):
            expected[(source, "units", "unparseable_date")] = (1, ("W",))
            expected[(source, "unit_successions", "unparseable_date")] = (1, ("C/B",))

    assert as_table(check_all(sources)) == expected

    declared = {c.key for c in CHECKS if c.id not in FROM_A_VIEW and (is_sqlite(rows) or not c.sqlite_only)}
    assert set(expected) == declared, "every declared check needs a row in this test"


# Checks of what the real tables cannot hold (a primary key, NOT NULL): tested below
# through views, as a source may offer them.
FROM_A_VIEW = ("duplicate_id", "missing_received_at", "missing_required")


def test_empty_required_values_from_a_view(rows, sources):
    clean_dataset(rows)
    rows.dossier(D(2026, 4, 1, 9), id="HS-NULL")
    rows.task(D(2026, 4, 1, 9), id=78)
    blank = {"dossiers": ("id = 'HS-NULL'", {"received_at"}), "tasks": ("id = 78", {"title_vi"})}
    for table, (which, empty) in blank.items():
        names = [c.name for c in getattr(schema, table).columns]
        columns = ", ".join(f"NULL AS {n}" if n in empty else n for n in names)
        rows.raw(f"ALTER TABLE {table} RENAME TO {table}_base")
        rows.raw(f"CREATE VIEW {table} AS SELECT * FROM {table}_base WHERE NOT ({which}) "
                 f"UNION ALL SELECT {columns} FROM {table}_base WHERE {which}")
    try:
        findings = check_all(sources)
    finally:
        for table in blank:
            rows.raw(f"DROP VIEW IF EXISTS {table}")
            rows.raw(f"ALTER TABLE {table}_base RENAME TO {table}")
    assert as_table(findings) == {
        ("procedures", "dossiers", "missing_received_at"): (1, ("HS-NULL",)),
        ("tasks", "tasks", "missing_required"): (1, ("78",)),
    }


# --- duplicates through a view -------------------------------------------------------
def test_duplicate_ids_from_a_view(rows, sources):
    """The real tables have primary keys, so a duplicate cannot be inserted; the sources
    may however be views, and a join in a view can repeat a row. The test renames the
    table and puts such a view in its place (on all three engines), then restores it."""
    clean_dataset(rows)
    rows.dossier(D(2026, 4, 1, 9), finished_at=D(2026, 4, 2, 9), id="HS-TWICE")
    rows.task(D(2026, 4, 1, 9), id=77)
    rows.raw("ALTER TABLE dossiers RENAME TO dossiers_base")
    rows.raw("ALTER TABLE tasks RENAME TO tasks_base")
    try:
        rows.raw("CREATE VIEW dossiers AS SELECT * FROM dossiers_base "
                 "UNION ALL SELECT * FROM dossiers_base WHERE id = 'HS-TWICE'")
        rows.raw("CREATE VIEW tasks AS SELECT * FROM tasks_base "
                 "UNION ALL SELECT * FROM tasks_base WHERE id = 77 "
                 "UNION ALL SELECT * FROM tasks_base WHERE id = 77 "
                 "UNION ALL SELECT * FROM tasks_base WHERE id = 1")
        findings = check_all(sources)
    finally:
        rows.raw("DROP VIEW IF EXISTS dossiers")
        rows.raw("DROP VIEW IF EXISTS tasks")
        rows.raw("ALTER TABLE dossiers_base RENAME TO dossiers")
        rows.raw("ALTER TABLE tasks_base RENAME TO tasks")
    assert as_table(findings) == {
        ("procedures", "dossiers", "duplicate_id"): (1, ("HS-TWICE",)),
        ("tasks", "tasks", "duplicate_id"): (2, ("1", "77")),
    }
    assert check_all(sources) == []  # the table is back


# --- SQLite text timestamps ----------------------------------------------------------
def test_sqlite_unparseable_timestamp_is_a_finding(sqlite_rows):
    # Only SQLite stores a timestamp as free text; the other engines reject 'not a date'.
    rows, sources = sqlite_rows, Sources.single(sqlite_rows.url)
    clean_dataset(rows)
    rows.dossier(D(2026, 4, 1, 9), id="HS-TEXT")
    rows.raw("UPDATE dossiers SET received_at = 'not a date' WHERE id = :id", id="HS-TEXT")
    # Mixed text forms that do parse: a 'T' separator, fractions against no fractions.
    rows.dossier(D(2026, 4, 1, 9), finished_at=D(2026, 4, 1, 9), id="HS-FORMS")
    rows.raw("UPDATE dossiers SET received_at = '2026-04-01 09:00:00.000', "
             "finished_at = '2026-04-01T09:00:00', due_at = '2026-05-01 09:00' WHERE id = :id", id="HS-FORMS")

    findings = check_all(sources)

    assert as_table(findings) == {
        ("procedures", "dossiers", "unparseable_timestamp"): (1, ("HS-TEXT",)),
    }


# --- sources that cannot answer ------------------------------------------------------
def test_unreachable_source_and_missing_tables_are_findings(rows, sources, tmp_path):
    clean_dataset(rows)
    rows.task(D(2026, 4, 1, 9), category="wish", id=41)
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    broken = Sources(
        procedures=Database("procedures", f"sqlite:///{tmp_path / 'absent.sqlite'}"),
        tasks=sources.tasks,
        emulation=Database("emulation", f"sqlite:///{empty}"),
    )

    findings = check_all(broken)

    assert [(f.source, f.table, f.check, f.count, f.examples) for f in findings] == [
        ("procedures", "", "unreachable", 0, ()),
        ("tasks", "tasks", "unknown_category", 1, ("41",)),
        *(("emulation", name, "missing_table", 0, ())
          for name in ("criteria", "evaluations", "units", "awards", "block_members", "blocks", "movements")),
    ]  # …but no missing unit_successions: a source may leave it out
    assert findings[0].message_en.startswith("The procedures database cannot be reached")
    assert findings[0].message_vi.startswith("Không kết nối được")


def test_a_query_that_fails_is_a_finding(tmp_path):
    """A view lacking a column fails only the checks that read that column."""
    path = tmp_path / "emulation.sqlite"
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    others = [t for t in schema.emulation_metadata.sorted_tables if t.name != "awards"]
    schema.emulation_metadata.create_all(engine, tables=others)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE awards (id INTEGER PRIMARY KEY, unit_code VARCHAR(32), "
                             "recipient_kind VARCHAR(16))"))
        conn.execute(sa.text("INSERT INTO awards VALUES (1, 'ZZ', 'collective')"))
    engine.dispose()

    findings = quality.check_source(Database("emulation", url), "emulation")

    assert [(f.table, f.check, f.count, f.examples) for f in findings] == [
        ("awards", "query_failed", 0, ()),
        ("awards", "query_failed", 0, ()),
        ("awards", "unknown_unit_code", 1, ("1",)),
    ]
    assert findings[0].message_en == "Check unparseable_date could not run: no column awards.decided_on"
    assert findings[1].message_en == "Check unknown_title could not run: no column awards.title"


# --- output --------------------------------------------------------------------------
def test_format_text():
    assert format_text([]) == "No findings."
    text = format_text([
        Finding("procedures", "dossiers", "unknown_channel", "Kênh", "channel not one of: online", 12,
                ("HS-1", "HS-2")),
        Finding("tasks", "", "unreachable", "Không kết nối được", "The tasks database cannot be reached", 0, ()),
    ])
    lines = text.splitlines()
    assert lines[0].split() == ["source", "table", "check", "count", "examples"]
    assert "unknown_channel" in lines[2] and "12" in lines[2] and "HS-1, HS-2" in lines[2]
    assert "channel not one of: online" in lines[3]
    assert "unreachable" in lines[4]
    assert lines[-1] == "2 findings."


def test_cli_check_json(rows):
    clean_dataset(rows)
    rows.dossier(D(2026, 4, 1, 9), channel="fax", id="HS-FAX")
    env = {**os.environ, "IOC_PROCEDURES_URL": rows.url, "IOC_TASKS_URL": rows.url, "IOC_EMULATION_URL": rows.url}

    done = subprocess.run([sys.executable, "-m", "data_access", "check", "--format", "json"],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [(f["source"], f["table"], f["check"], f["count"], f["examples"]) for f in listed] == [
        ("procedures", "dossiers", "unknown_channel", 1, ["HS-FAX"]),
    ]
    assert listed[0]["message_vi"] and listed[0]["message_en"]

    text = subprocess.run([sys.executable, "-m", "data_access", "check"],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert text.returncode == 0, text.stderr
    assert "unknown_channel" in text.stdout and "HS-FAX" in text.stdout


# --- documentation -------------------------------------------------------------------
def test_every_check_is_documented_with_its_table_in_the_schema_page():
    """docs/schema.md's table of rules names every declared check on a row that names the
    table it inspects; the three kinds that count no rows are described below it."""
    page = (PROJECT_ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    section = page[page.index("## Data-quality findings"):]
    documented: set[tuple[str, str]] = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| `") or len(cells) < 3:
            continue
        ids = re.findall(r"`([a-z_]+)`", cells[0])
        tables = re.findall(r"`([a-z_]+)`", cells[1])
        documented.update((i, t) for i in ids for t in tables)
    undocumented = sorted({(c.id, c.table) for c in CHECKS} - documented)
    assert undocumented == [], "add these rules to docs/schema.md"
    for kind in (quality.UNREACHABLE, quality.MISSING_TABLE, quality.QUERY_FAILED):
        assert f"`{kind}`" in section
