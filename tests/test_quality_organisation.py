"""Data-quality checks of units over time (`python -m data_access check`), on SQLite,
PostgreSQL and MariaDB: records dated outside their unit's validity (whole days), the
succession rules (cycles, several inheriting successors, unknown units) in each source,
and sources without the optional additions, which give no finding and no failure."""

from __future__ import annotations

import datetime as dt
import sqlite3

import sqlalchemy as sa

from data_access import db as dbmod
from data_access import quality, schema
from data_access.db import Database, Sources
from data_access.quality import check_all

from .builders import Rows
from .test_quality import as_table, clean_dataset

D = dt.datetime
DAY = dt.date
SOURCES = ("procedures", "tasks", "emulation")
FIRST, LAST = DAY(2026, 3, 1), DAY(2026, 3, 31)


def base(rows) -> None:
    """Unit A (always valid) for the builders' defaults, V valid in March 2026 only, and
    two units each with one open bound."""
    rows.unit("A")
    rows.unit("V", valid_from=FIRST, valid_to=LAST)
    rows.unit("UNTIL", valid_to=LAST)           # existed since always
    rows.unit("SINCE", valid_from=FIRST)        # exists still
    rows.procedure("P1", unit_code="A")


# --- records dated outside their unit's validity ---------------------------------------
def test_a_dossier_received_outside_its_units_days_is_a_finding(rows, sources):
    base(rows)
    rows.dossier(D(2026, 3, 1, 0, 0, 0), unit_code="V", id="HS-FIRST-DAY")               # valid_from itself
    rows.dossier(D(2026, 2, 28, 23, 59, 59), unit_code="V", id="HS-DAY-BEFORE")
    rows.dossier(D(2026, 3, 31, 23, 59, 59, 999000), unit_code="V", id="HS-LAST-MOMENT")  # the whole last day
    rows.dossier(D(2026, 4, 1, 0, 0, 0), unit_code="V", id="HS-NEXT-DAY")
    rows.dossier(D(2026, 9, 1, 9), unit_code="V", id="HS-LATER")
    rows.dossier(D(2020, 1, 1, 9), unit_code="UNTIL", id="HS-OPEN-START")
    rows.dossier(D(2026, 4, 1, 0, 0, 0), unit_code="UNTIL", id="HS-UNTIL-AFTER")
    rows.dossier(D(2099, 12, 31, 9), unit_code="SINCE", id="HS-OPEN-END")
    rows.dossier(D(2026, 2, 28, 23, 59, 59), unit_code="SINCE", id="HS-SINCE-BEFORE")
    rows.dossier(D(1999, 1, 1, 9), unit_code="A", id="HS-ALWAYS")
    rows.dossier(D(2026, 9, 1, 9), unit_code="ZZ", id="HS-NO-UNIT")                       # not this check's
    rows.dossier(D(2026, 9, 1, 9), unit_code=None, id="HS-NULL-UNIT")

    findings = as_table(check_all(sources))
    assert findings == {
        ("procedures", "dossiers", "outside_unit_validity"):
            (5, ("HS-DAY-BEFORE", "HS-LATER", "HS-NEXT-DAY", "HS-SINCE-BEFORE", "HS-UNTIL-AFTER")),
        ("procedures", "dossiers", "unknown_unit_code"): (1, ("HS-NO-UNIT",)),
    }
    [limited] = [f for f in check_all(sources, examples=2) if f.check == "outside_unit_validity"]
    assert (limited.count, limited.examples) == (5, ("HS-DAY-BEFORE", "HS-LATER"))
    assert "valid_to" in limited.message_en and "received_at" in limited.message_en
    assert "thời gian tồn tại" in limited.message_vi


def test_a_task_assigned_outside_its_lead_units_days_is_a_finding(rows, sources):
    base(rows)
    rows.task(D(2026, 3, 1, 0, 0, 0), id=1, lead_unit_code="V")
    rows.task(D(2026, 2, 28, 23, 59, 59, 999000), id=2, lead_unit_code="V")
    rows.task(D(2026, 3, 31, 23, 59, 59), id=3, lead_unit_code="V")
    rows.task(D(2026, 4, 1, 0, 0, 0), id=4, lead_unit_code="V")
    rows.task(D(2026, 4, 1, 0, 0, 0), id=5, lead_unit_code="UNTIL")
    rows.task(D(2026, 3, 1, 0, 0, 0), id=6, lead_unit_code="SINCE")
    rows.task(D(2026, 4, 1, 0, 0, 0), id=7, lead_unit_code=None)

    assert as_table(check_all(sources)) == {
        ("tasks", "tasks", "outside_unit_validity"): (3, ("2", "4", "5")),
    }


def test_a_block_member_of_a_year_its_unit_did_not_exist_in_is_a_finding(rows, sources):
    rows.unit("A")
    rows.unit("Y2026", valid_from=DAY(2026, 1, 1), valid_to=DAY(2026, 12, 31))
    rows.unit("ENDS", valid_to=DAY(2026, 3, 15))          # part of 2026 still counts
    rows.unit("STARTS", valid_from=DAY(2026, 12, 31))      # its first day is in 2026
    for movement_id, year in ((1, 2025), (2, 2026), (3, 2027)):
        rows.movement(movement_id, year)
        rows.block(movement_id, movement_id, "A", "Y2026", "ENDS", "STARTS")
    rows.block(9, 99, "Y2026")                             # no such movement: no year to compare

    assert as_table(check_all(sources)) == {
        ("emulation", "block_members", "outside_unit_validity"): (4, ("1/STARTS", "1/Y2026", "3/ENDS", "3/Y2026")),
    }


def test_records_of_units_without_validity_give_no_finding(rows, sources):
    clean_dataset(rows)
    rows.dossier(D(1990, 1, 1, 9), id="HS-OLD")
    rows.task(D(2099, 1, 1, 9), id=99)
    assert check_all(sources) == []


def test_sqlite_unreadable_bounds_and_timestamps_are_not_counted_twice(sqlite_rows):
    rows, sources = sqlite_rows, Sources.single(sqlite_rows.url)
    base(rows)
    rows.unit("BAD", valid_from=FIRST, valid_to=LAST)
    rows.raw("UPDATE units SET valid_to = 'cuối tháng' WHERE code = 'BAD'")
    rows.dossier(D(2026, 9, 1, 9), unit_code="BAD", id="HS-BAD-BOUND")       # the bound is unreadable
    rows.dossier(D(2026, 3, 2, 9), unit_code="V", id="HS-TEXT")
    rows.raw("UPDATE dossiers SET received_at = 'không rõ' WHERE id = 'HS-TEXT'")
    rows.dossier(D(2026, 4, 1, 9), unit_code="V", id="HS-T-FORM")
    rows.raw("UPDATE dossiers SET received_at = '2026-04-01T00:00:00' WHERE id = 'HS-T-FORM'")
    rows.dossier(D(2026, 3, 31, 9), unit_code="V", id="HS-T-LAST")
    rows.raw("UPDATE dossiers SET received_at = '2026-03-31T23:59:59' WHERE id = 'HS-T-LAST'")

    findings = as_table(check_all(sources))

    assert findings[("procedures", "dossiers", "outside_unit_validity")] == (1, ("HS-T-FORM",))
    assert findings[("procedures", "dossiers", "unparseable_timestamp")] == (1, ("HS-TEXT",))
    assert findings[("procedures", "units", "unparseable_date")] == (1, ("BAD",))
    assert set(findings) == {("procedures", "dossiers", "outside_unit_validity"),
                             ("procedures", "dossiers", "unparseable_timestamp"),
                             *((s, "units", "unparseable_date") for s in SOURCES)}


# --- successions -------------------------------------------------------------------------
def units(rows, *codes: str) -> None:
    for code in codes:
        rows.unit(code)


def per_source(check: str, count: int, examples: tuple[str, ...]) -> dict:
    """The test database holds the three sources, so its one unit_successions is read by each."""
    return {(s, "unit_successions", check): (count, examples) for s in SOURCES}


def test_successions_without_fault_give_no_finding(rows, sources):
    units(rows, "DC", "KS", "DCKS", "TNKS", "KSONMT", "MT", "BTTN", "PC", "VPC")
    rows.succession("DC", "DCKS", DAY(2025, 3, 1))                      # a merge of two into one
    rows.succession("KS", "DCKS", DAY(2025, 3, 1))
    rows.succession("DCKS", "TNKS", DAY(2026, 7, 1), kind="rename")    # a chain is no cycle
    rows.succession("KSONMT", "MT", DAY(2025, 3, 1), kind="split")     # one inheriting successor…
    rows.succession("KSONMT", "BTTN", DAY(2025, 3, 1), kind="split", inherits_history=False)  # …and one not
    rows.succession("PC", "VPC", DAY(2025, 3, 1), kind="transfer", inherits_history=False)
    rows.succession("VPC", "PC", DAY(2025, 3, 1), kind="transfer", inherits_history=False)    # no history moves
    assert check_all(sources) == []


def test_a_cycle_of_inherited_successions_is_a_finding_whatever_the_dates(rows, sources):
    units(rows, "A", "B", "C", "D", "E")
    rows.succession("A", "B", DAY(2025, 1, 1))
    rows.succession("B", "C", DAY(2025, 6, 1), kind="rename")
    rows.succession("C", "A", DAY(2030, 1, 1), kind="rename")      # not in force yet: still a cycle
    rows.succession("D", "A", DAY(2025, 1, 1))                     # leads into the cycle, is not in it
    rows.succession("E", "D", DAY(2025, 1, 1), inherits_history=False)

    findings = check_all(sources)

    assert as_table(findings) == per_source("succession_cycle", 3, ("A/B", "B/C", "C/A"))
    assert "cycle" in findings[0].message_en and "vòng" in findings[0].message_vi
    assert [(f.count, f.examples) for f in check_all(sources, examples=1)] == [(3, ("A/B",))] * 3
    assert [(f.count, f.examples) for f in check_all(sources, examples=0)] == [(3, ())] * 3


def test_two_inheriting_successors_are_a_finding(rows, sources):
    units(rows, "KS", "DCKS", "ZZ", "MT", "BTTN", "KSONMT")
    rows.succession("KS", "ZZ", DAY(2025, 3, 1), kind="split")
    rows.succession("KS", "DCKS", DAY(2025, 3, 1), kind="split")
    rows.succession("KSONMT", "MT", DAY(2025, 3, 1), kind="split")
    rows.succession("KSONMT", "BTTN", DAY(2025, 3, 1), kind="split", inherits_history=False)

    findings = check_all(sources)

    assert as_table(findings) == per_source("several_heirs", 2, ("KS/DCKS", "KS/ZZ"))
    assert "smallest successor_code" in findings[0].message_en


def test_a_succession_naming_no_unit_is_a_finding(rows, sources):
    units(rows, "DCKS", "MT")
    rows.succession("GONE", "DCKS", DAY(2025, 3, 1))
    rows.succession("MT", "NEW", DAY(2025, 3, 1), kind="rename")
    rows.succession("LOST", "NOWHERE", DAY(2025, 3, 1), inherits_history=False)
    rows.succession("MT", "DCKS", DAY(2025, 3, 1), inherits_history=False)        # both known

    assert as_table(check_all(sources)) == per_source(
        "unknown_unit_in_succession", 3, ("GONE/DCKS", "LOST/NOWHERE", "MT/NEW"))


def test_an_unknown_succession_kind_is_a_finding(rows, sources):
    units(rows, "A", "B", "C")
    rows.succession("A", "B", DAY(2025, 3, 1), kind="annexation")
    rows.succession("C", "B", DAY(2025, 3, 1), kind="merge")
    assert as_table(check_all(sources)) == per_source("unknown_kind", 1, ("A/B",))


def test_each_source_is_checked_on_its_own_copy(tmp_path):
    """Every database has its own units and unit_successions; a fault in one copy is
    that source's finding only."""
    procedures = Rows.new_sqlite(tmp_path / "procedures.sqlite")
    tasks = Rows.new_sqlite(tmp_path / "tasks.sqlite")
    for rows in (procedures, tasks):
        units(rows, "DC", "KS", "DCKS")
        rows.succession("DC", "DCKS", DAY(2025, 3, 1))
    tasks.succession("DCKS", "DC", DAY(2026, 1, 1), kind="rename")     # the tasks copy is wrong
    emulation = tmp_path / "emulation.sqlite"
    engine = sa.create_engine(f"sqlite:///{emulation}")
    schema.emulation_metadata.create_all(engine, tables=[t for t in schema.emulation_metadata.sorted_tables
                                                         if t.name != "unit_successions"])
    engine.dispose()
    for rows in (procedures, tasks):
        rows.close()
    sources = Sources(procedures=Database("procedures", procedures.url), tasks=Database("tasks", tasks.url),
                      emulation=Database("emulation", f"sqlite:///{emulation}"))

    assert [(f.source, f.table, f.check, f.count, f.examples) for f in check_all(sources)] == [
        ("tasks", "unit_successions", "succession_cycle", 2, ("DC/DCKS", "DCKS/DC")),
    ]


# --- sources without the additions -------------------------------------------------------
def _old_sqlite_source(path) -> str:
    """A SQLite file of the three sources as before units over time: `units` without
    valid_from / valid_to, no unit_successions."""
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    keep = [t for m in schema.METADATA.values() for t in m.sorted_tables if t.name not in ("units", "unit_successions")]
    for table in keep:
        table.create(engine, checkfirst=True)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE units (code VARCHAR(32) PRIMARY KEY, name_vi VARCHAR(255) NOT NULL, "
                     "name_en VARCHAR(255), parent_code VARCHAR(32), kind VARCHAR(32))")
        conn.execute("INSERT INTO units VALUES ('A', 'Vụ Pháp chế', NULL, NULL, 'department'), "
                     "('B', 'Cục Khoáng sản Việt Nam', NULL, 'A', 'office')")
    return url


def test_a_source_without_the_additions_gives_no_new_finding_and_no_failure(tmp_path):
    url = _old_sqlite_source(tmp_path / "old.sqlite")
    rows = Rows(url)
    rows.procedure("P1", unit_code="A")
    rows.dossier(D(2026, 3, 1, 9), finished_at=D(2026, 3, 2, 9), id="HS-OK")
    rows.task(D(2026, 3, 1, 9), id=1)
    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.close()
    sources = Sources.single(url)

    assert check_all(sources) == []

    rows = Rows(url)
    rows.dossier(D(2026, 3, 1, 9), unit_code="ZZ", id="HS-ZZ")            # the other checks still run
    rows.close()
    assert [(f.source, f.table, f.check, f.count, f.examples) for f in check_all(sources)] == [
        ("procedures", "dossiers", "unknown_unit_code", 1, ("HS-ZZ",)),
    ]


def test_additions_dropped_from_a_source_on_every_engine(rows, sources):
    """The same on each engine: the optional columns and table taken away (each engine
    names a missing column and table its own way), then put back."""
    base(rows)
    rows.dossier(D(2026, 9, 1, 9), unit_code="V", id="HS-AFTER")
    rows.task(D(2026, 9, 1, 9), id=1, lead_unit_code="V")
    rows.dossier(D(2026, 9, 1, 9), unit_code="ZZ", id="HS-ZZ")
    rows.succession("V", "ZZ", DAY(2026, 4, 1))
    before = as_table(check_all(sources))
    assert before[("procedures", "dossiers", "outside_unit_validity")] == (1, ("HS-AFTER",))
    assert before[("tasks", "unit_successions", "unknown_unit_in_succession")] == (1, ("V/ZZ",))

    rows.raw("ALTER TABLE unit_successions RENAME TO unit_successions_base")
    rows.raw("ALTER TABLE units DROP COLUMN valid_to")           # one of the pair is enough to read neither
    try:
        only_from = as_table(check_all(sources))
        rows.raw("ALTER TABLE units DROP COLUMN valid_from")
        neither = as_table(check_all(sources))
    finally:
        rows.raw("ALTER TABLE unit_successions_base RENAME TO unit_successions")
        for column in ("valid_from", "valid_to"):
            try:
                rows.raw(f"ALTER TABLE units ADD COLUMN {column} DATE")
            except sa.exc.DBAPIError:
                pass                                           # still there
        dbmod.dispose_all()          # no pooled connection keeps the old table's shape

    assert only_from == neither == {("procedures", "dossiers", "unknown_unit_code"): (1, ("HS-ZZ",))}


def test_a_unit_successions_lacking_a_column_fails_the_rules_it_feeds(tmp_path):
    """A view that lacks a column is a failed query, as for every other check, never
    an organisation read as if it had no successions."""
    path = tmp_path / "procedures.sqlite"
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    schema.procedures_metadata.create_all(engine, tables=[t for t in schema.procedures_metadata.sorted_tables
                                                          if t.name != "unit_successions"])
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE unit_successions (predecessor_code VARCHAR(32), successor_code VARCHAR(32), "
                     "effective_on DATE, kind VARCHAR(16), inherits_history BOOLEAN)")
        conn.execute("INSERT INTO unit_successions VALUES ('A', 'B', '2026-01-01', 'merger', 1)")

    findings = quality.check_source(Database("procedures", url), "procedures")

    assert [(f.table, f.check, f.count, f.examples) for f in findings] == [
        ("unit_successions", "query_failed", 0, ()),
        ("unit_successions", "query_failed", 0, ()),
        ("unit_successions", "query_failed", 0, ()),
        ("unit_successions", "unknown_kind", 1, ("A/B",)),
    ]
    assert [f.message_en for f in findings[:3]] == [
        f"Check {rule} could not run: no column unit_successions.legal_basis"
        for rule in ("succession_cycle", "several_heirs", "unknown_unit_in_succession")]
