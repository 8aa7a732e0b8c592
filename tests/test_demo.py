"""The demo data generator: deterministic, inside the schema's rules, and realistic in
the ways the dashboard shows (rhythm, units that differ, trends, complete emulation data)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from data_access import schema
from data_access.demo import init_demo

NOW = dt.datetime(2026, 5, 15, 10, 30, 0)
NOW_S = NOW.strftime("%Y-%m-%d %H:%M:%S")
SCALE = 0.02
SEED = 7
TABLES = {
    "procedures": ("units", "procedures", "dossiers"),
    "tasks": ("units", "tasks", "task_updates"),
    "emulation": ("units", "movements", "blocks", "block_members", "criteria", "evaluations", "awards"),
}


def _generate(folder: Path) -> tuple[dict[str, Path], dict[str, int]]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {s: folder / f"{s}.sqlite" for s in TABLES}
    counts = init_demo({s: f"sqlite:///{p}" for s, p in paths.items()},
                       scale=SCALE, seed=SEED, now=NOW, log=lambda _msg: None)
    return paths, counts


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    paths, counts = _generate(tmp_path_factory.mktemp("demo"))
    cons = {s: sqlite3.connect(p) for s, p in paths.items()}
    yield paths, counts, cons
    for con in cons.values():
        con.close()


def _q(con: sqlite3.Connection, sql: str, *args):
    return con.execute(sql, args).fetchall()


def _one(con: sqlite3.Connection, sql: str, *args):
    return con.execute(sql, args).fetchone()[0]


def _digest(paths: dict[str, Path]) -> str:
    h = hashlib.sha256()
    for source, tables in TABLES.items():
        con = sqlite3.connect(paths[source])
        for table in tables:
            for row in sorted(con.execute(f"SELECT * FROM {table}"), key=repr):
                h.update(repr(row).encode())
        con.close()
    return h.hexdigest()


def test_deterministic_and_respects_existing_data(demo, tmp_path):
    paths, counts, _ = demo
    again, counts_again = _generate(tmp_path / "again")
    assert counts_again == counts
    assert _digest(again) == _digest(paths)
    # a second call on filled databases does nothing; force regenerates the same rows
    urls = {s: f"sqlite:///{p}" for s, p in again.items()}
    assert init_demo(urls, scale=SCALE, seed=SEED, now=NOW, log=lambda _m: None) == {}
    assert init_demo(urls, scale=SCALE, seed=SEED, now=NOW, force=True, log=lambda _m: None) == counts
    assert _digest(again) == _digest(paths)
    # another seed gives other rows
    other = tmp_path / "other"
    other.mkdir()
    init_demo({s: f"sqlite:///{other / (s + '.sqlite')}" for s in TABLES}, scale=SCALE, seed=SEED + 1,
              now=NOW, log=lambda _m: None)
    assert _digest({s: other / f"{s}.sqlite" for s in TABLES}) != _digest(paths)


def test_one_database_for_all_three_sources(tmp_path):
    url = f"sqlite:///{tmp_path / 'all.sqlite'}"
    counts = init_demo({s: url for s in TABLES}, scale=0.005, seed=SEED, now=NOW, log=lambda _m: None)
    con = sqlite3.connect(tmp_path / "all.sqlite")
    assert _one(con, "SELECT count(*) FROM units") == counts["units"] == 37
    assert _one(con, "SELECT count(*) FROM unit_successions") == counts["unit_successions"] == 10
    assert _one(con, "SELECT count(*) FROM dossiers") == counts["dossiers"] > 500
    assert _one(con, "SELECT count(*) FROM awards") == counts["awards"] > 0
    con.close()


MERGER = "2025-03-01"


def _valid_on(con, day: str) -> set[str]:
    return {r[0] for r in _q(con, """SELECT code FROM units WHERE kind != 'ministry'
                                     AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR ? <= valid_to)""",
                            day, day)}


def test_units_over_time(demo):
    _, counts, cons = demo
    con = cons["procedures"]
    units = _q(con, "SELECT code, name_vi, name_en, parent_code, kind, valid_from, valid_to FROM units")
    assert len(units) == 37 == counts["units"]
    by_code = {u[0]: u for u in units}
    # the two ministries: the former one until the merger, the new one from it
    assert by_code["BTNMT"][1:] == ("Bộ Tài nguyên và Môi trường", "Ministry of Natural Resources and Environment",
                                    None, "ministry", None, "2025-02-28")
    assert by_code["BNNMT"][1:] == ("Bộ Nông nghiệp và Môi trường", "Ministry of Agriculture and Environment",
                                    None, "ministry", MERGER, None)
    # 22 units of Decree 68/2022 the day before, 26 of Decree 35/2025 on the day
    before, after = _valid_on(con, "2025-02-28"), _valid_on(con, MERGER)
    assert len(before) == 22 and len(after) == 26
    continuing = before & after
    assert continuing == {"VP", "TTR", "HTQT", "KHTC", "KHCN", "PC", "TCCB", "BHD", "BDKH", "BTTN", "DDBD",
                          "QLTNN", "VTQG"}
    assert all(by_code[c][5] is None and by_code[c][6] is None and by_code[c][3] == "BNNMT" for c in continuing)
    assert before - after == {"DD", "MT", "KTTV", "CDS", "DKDL", "DCVN", "KS", "KSON", "QHDD"}
    assert all(by_code[c][6] == "2025-02-28" and by_code[c][3] == "BTNMT" for c in before - after)
    assert all(by_code[c][5] == MERGER and by_code[c][3] == "BNNMT" for c in after - before)
    assert by_code["DCKS"][1] == "Cục Địa chất và Khoáng sản Việt Nam"
    assert by_code["TTBVTV"][1] == "Cục Trồng trọt và Bảo vệ thực vật"
    assert by_code["CKTTV"][1] == "Cục Khí tượng Thủy văn" and by_code["KTTV"][4] == "directorate"
    assert by_code["PC"][1] == "Vụ Pháp chế" and by_code["TTR"][4] == "inspectorate"
    assert {u[4] for u in units} <= set(schema.UNIT_KINDS)
    # the successions, all in force from the merger under its decree
    successions = _q(con, """SELECT predecessor_code, successor_code, effective_on, kind, inherits_history, legal_basis
                             FROM unit_successions ORDER BY 1""")
    assert {(p, s) for p, s, *_ in successions} == {
        ("BTNMT", "BNNMT"), ("CDS", "CCDS"), ("DCVN", "DCKS"), ("DD", "QLDD"), ("DKDL", "QLDD"),
        ("KS", "DCKS"), ("KSON", "CMT"), ("KTTV", "CKTTV"), ("MT", "CMT"), ("QHDD", "QLDD")}
    assert {(e, inherits, basis) for _, _, e, _, inherits, basis in successions} == {(MERGER, 1, "35/2025/NĐ-CP")}
    assert dict((p, k) for p, _, _, k, _, _ in successions)["KTTV"] == "rename"
    assert all(p in by_code and s in by_code for p, s, *_ in successions)
    for table in ("tasks", "emulation"):
        assert sorted(_q(cons[table], "SELECT code, name_vi, name_en, parent_code, kind, valid_from, valid_to "
                                      "FROM units")) == sorted(units)
        assert sorted(_q(cons[table], "SELECT * FROM unit_successions")) == \
            sorted(_q(con, "SELECT * FROM unit_successions"))


def test_the_organisation_read_from_the_demo(demo):
    from data_access.db import Database
    from data_access.organisation import load

    paths, _, _ = demo
    org = load(Database("procedures", f"sqlite:///{paths['procedures']}"))
    assert org.findings() == []
    day = dt.date(2026, 1, 1)
    assert org.ministry(day).code == "BNNMT" and org.ministry(dt.date(2025, 2, 28)).code == "BTNMT"
    assert org.lineage("DCKS", day) == ("DCKS", "DCVN", "KS")
    assert org.lineage("QLDD", day) == ("QLDD", "DD", "DKDL", "QHDD")
    assert org.lineage("CMT", day) == ("CMT", "KSON", "MT")
    assert len(org.offered(day, "current")) == 26 and "KS" not in org.offered(day, "current")


def test_records_carry_the_units_valid_on_their_day(demo):
    _, _, cons = demo
    outside = """SELECT count(*) FROM {table} r JOIN units u ON u.code = r.{col}
                 WHERE u.kind = 'ministry' OR (u.valid_from IS NOT NULL AND date(r.{at}) < u.valid_from)
                 OR (u.valid_to IS NOT NULL AND date(r.{at}) > u.valid_to)"""
    assert _one(cons["procedures"], outside.format(table="dossiers", col="unit_code", at="received_at")) == 0
    assert _one(cons["tasks"], outside.format(table="tasks", col="lead_unit_code", at="assigned_at")) == 0
    assert _one(cons["emulation"], outside.format(table="awards", col="unit_code", at="decided_on")) == 0
    # both sides of the merger have records, under their own codes
    con = cons["procedures"]
    assert _one(con, "SELECT count(*) FROM dossiers WHERE unit_code = 'KS' AND received_at < ?", MERGER) > 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE unit_code = 'DCKS'") > 0
    assert _one(con, "SELECT min(received_at) FROM dossiers WHERE unit_code = 'DCKS'") >= MERGER
    # the former agriculture ministry's fields start at the merger
    first_agri = _one(con, """SELECT min(d.received_at) FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
                              WHERE p.unit_code IN ('TTBVTV', 'CNTY', 'TSKN', 'LNKL', 'QLXDCT', 'DDPCTT')""")
    assert MERGER <= first_agri < "2025-03-08"
    assert _one(cons["tasks"], "SELECT count(*) FROM tasks WHERE lead_unit_code IN ('TTBVTV', 'CNTY', 'TSKN', "
                               "'LNKL') AND assigned_at >= ?", MERGER) > 20


def test_units_and_procedures(demo):
    _, counts, cons = demo
    con = cons["procedures"]
    by_code = {u[0]: u for u in _q(con, "SELECT code, name_vi, name_en, parent_code, kind FROM units")}
    procs = _q(con, "SELECT code, field, unit_code, legal_days, service_level, name_vi, name_en FROM procedures")
    assert len(procs) == 39 == counts["procedures"]
    assert {p[1] for p in procs} <= set(schema.FIELDS)
    assert {p[4] for p in procs} == set(schema.SERVICE_LEVELS)
    # each procedure names the unit that handles it today
    current = _valid_on(con, "2026-05-15")
    assert all(p[2] in by_code and p[2] in current and p[3] >= 1 and p[5] and p[6] for p in procs)
    assert _one(con, "SELECT legal_days FROM procedures WHERE name_vi = 'Cấp giấy phép môi trường'") == 30
    assert _one(con, "SELECT unit_code FROM procedures WHERE name_vi = 'Cấp giấy phép môi trường'") == "CMT"
    assert _one(con, "SELECT unit_code FROM procedures WHERE name_vi = 'Cấp giấy phép khai thác khoáng sản'") == "DCKS"
    assert {r[0] for r in _q(con, "SELECT DISTINCT unit_code FROM procedures")} >= {"TTBVTV", "CNTY", "TSKN", "LNKL"}


def test_dossiers_follow_the_schema_rules(demo):
    _, counts, cons = demo
    con = cons["procedures"]
    n = _one(con, "SELECT count(*) FROM dossiers")
    assert n == counts["dossiers"]
    assert 0.8 * 200_000 * SCALE < n < 1.2 * 200_000 * SCALE
    assert {r[0] for r in _q(con, "SELECT DISTINCT status FROM dossiers")} == set(schema.DOSSIER_STATUSES)
    assert {r[0] for r in _q(con, "SELECT DISTINCT channel FROM dossiers")} == set(schema.CHANNELS)
    assert {r[0] for r in _q(con, "SELECT DISTINCT applicant_type FROM dossiers")} == set(schema.APPLICANT_TYPES)
    # finished_at set exactly when closed
    assert _one(con, """SELECT count(*) FROM dossiers WHERE (finished_at IS NOT NULL) !=
                        (status IN ('approved', 'rejected', 'withdrawn'))""") == 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE received_at > ? OR finished_at > ?", NOW_S, NOW_S) == 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE due_at <= received_at") == 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE finished_at < received_at") == 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE time(due_at) != '17:00:00'") == 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE finished_at = due_at") > 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE digitized NOT IN (0, 1) OR synced_national NOT IN (0, 1) "
                     "OR paid_online NOT IN (0, 1)") == 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE paid_online = 1 AND fee_amount = 0") == 0
    assert _one(con, "SELECT count(*) FROM dossiers WHERE rating IS NOT NULL AND (rating NOT BETWEEN 1 AND 5 "
                     "OR status NOT IN ('approved', 'rejected'))") == 0
    assert _one(con, "SELECT count(DISTINCT id) FROM dossiers") == n
    assert _one(con, "SELECT max(length(id)) FROM dossiers") <= 40
    # from the merger on a dossier carries its procedure's unit; before it, that unit or a predecessor
    assert _one(con, """SELECT count(*) FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
                        WHERE (d.received_at >= '2025-03-01' AND p.unit_code != d.unit_code)
                        OR (d.received_at < '2025-03-01' AND p.unit_code != d.unit_code AND NOT EXISTS (
                            SELECT 1 FROM unit_successions s WHERE s.predecessor_code = d.unit_code
                            AND s.successor_code = p.unit_code))
                        OR (p.service_level = 'offline' AND d.channel = 'online')""") == 0
    # late dossiers finish at most 25 days after the deadline
    assert _one(con, """SELECT max(julianday(finished_at) - julianday(due_at)) FROM dossiers
                        WHERE status IN ('approved', 'rejected')""") <= 25.0001
    # overdue pending dossiers exist
    assert _one(con, "SELECT count(*) FROM dossiers WHERE finished_at IS NULL AND due_at < ?", NOW_S) > 0


def test_dossiers_have_a_realistic_rhythm(demo):
    _, _, cons = demo
    con = cons["procedures"]
    first, last = _q(con, "SELECT min(received_at), max(received_at) FROM dossiers")[0]
    assert "2024-05-15" <= first < "2024-05-22"
    assert "2026-05-14" <= last <= NOW_S
    by_weekday = dict(_q(con, "SELECT strftime('%w', received_at), count(*) FROM dossiers GROUP BY 1"))
    weekday_mean = sum(by_weekday[d] for d in "12345") / 5
    assert by_weekday["0"] < 0.1 * weekday_mean          # Sunday
    assert by_weekday["6"] < 0.4 * weekday_mean          # Saturday
    assert _one(con, "SELECT count(*) FROM dossiers WHERE strftime('%w', received_at) = '0' "
                     "AND channel = 'in_person'") == 0
    # quiet around Tết 2025 (29 January) compared with the weeks before
    tet = _one(con, "SELECT count(*) FROM dossiers WHERE received_at BETWEEN '2025-01-24' AND '2025-02-04'")
    before = _one(con, "SELECT count(*) FROM dossiers WHERE received_at BETWEEN '2025-01-06' AND '2025-01-17'")
    assert tet < 0.5 * before

    def online(start: str, end: str) -> float:
        return _one(con, "SELECT avg(channel = 'online') FROM dossiers WHERE received_at >= ? AND received_at < ?",
                    start, end)

    first3, last3 = online("2024-05-15", "2024-08-15"), online("2026-02-15", "2026-05-16")
    assert 0.25 < first3 < 0.5 and 0.6 < last3 < 0.85 and last3 > first3 + 0.2


def test_units_differ_in_on_time_share(demo):
    _, _, cons = demo
    rates = dict(_q(cons["procedures"], """SELECT unit_code, avg(finished_at <= due_at) FROM dossiers
                                           WHERE status IN ('approved', 'rejected') GROUP BY unit_code
                                           HAVING count(*) >= 100"""))
    assert rates["QLTNN"] < 0.9
    assert max(rates.values()) > 0.97
    assert rates["QLTNN"] < max(rates.values()) - 0.08
    overdue = dict(_q(cons["procedures"], """SELECT unit_code, count(*) FROM dossiers
                                             WHERE finished_at IS NULL AND due_at < ? GROUP BY 1""", NOW_S))
    struggling = overdue.get("QLTNN", 0) + overdue.get("KS", 0) + overdue.get("DCKS", 0)
    assert struggling > 0.5 * sum(overdue.values())


def test_tasks(demo):
    _, counts, cons = demo
    con = cons["tasks"]
    n = _one(con, "SELECT count(*) FROM tasks")
    assert 1600 < n < 2000                               # ~600 a year over 36 months
    assert {r[0] for r in _q(con, "SELECT DISTINCT source FROM tasks")} == set(schema.TASK_SOURCES)
    assert {r[0] for r in _q(con, "SELECT DISTINCT category FROM tasks")} == set(schema.TASK_CATEGORIES)
    assert {r[0] for r in _q(con, "SELECT DISTINCT priority FROM tasks")} == set(schema.TASK_PRIORITIES)
    assert _one(con, "SELECT count(*) FROM tasks WHERE due_date IS NULL") > 0
    assert _one(con, "SELECT count(*) FROM tasks WHERE cancelled = 1") > 0
    assert _one(con, "SELECT count(*) FROM tasks WHERE cancelled = 1 AND completed_at IS NOT NULL") == 0
    assert _one(con, "SELECT count(*) FROM tasks WHERE completed_at IS NOT NULL AND progress_pct != 100") == 0
    assert _one(con, "SELECT count(*) FROM tasks WHERE updated_at < assigned_at OR completed_at < assigned_at "
                     "OR assigned_at > ? OR completed_at > ? OR updated_at > ?", NOW_S, NOW_S, NOW_S) == 0
    assert _one(con, "SELECT min(assigned_at) FROM tasks") >= "2023-05-15"
    legal_share = _one(con, "SELECT avg(category = 'legal_document') FROM tasks")
    assert 0.08 < legal_share < 0.25
    # the four Government categories, as of NOW, over the tasks that are not cancelled
    today = NOW.date().isoformat()
    cats = _q(con, """SELECT
        sum(completed_at IS NOT NULL AND (due_date IS NULL OR date(completed_at) <= due_date)),
        sum(completed_at IS NOT NULL AND date(completed_at) > due_date),
        sum(completed_at IS NULL AND (due_date IS NULL OR due_date >= ?)),
        sum(completed_at IS NULL AND due_date < ?)
        FROM tasks WHERE cancelled = 0""", today, today)[0]
    on_time, late, in_progress, overdue = cats
    assert all(c > 0 for c in cats)
    assert 0.78 < on_time / (on_time + late + overdue) < 0.93
    assert _one(con, "SELECT count(*) FROM tasks WHERE cancelled = 0 AND completed_at IS NULL "
                     "AND due_date > ? AND due_date <= date(?, '+30 days')", today, today) > 0
    # task updates: 1-5 per task, increasing, never after the task's last change
    per_task = Counter(r[0] for r in _q(con, "SELECT task_id FROM task_updates"))
    assert set(per_task) == {r[0] for r in _q(con, "SELECT id FROM tasks")}
    assert min(per_task.values()) >= 1 and max(per_task.values()) <= 5
    assert _one(con, """SELECT count(*) FROM task_updates a JOIN task_updates b
                        ON a.task_id = b.task_id AND a.reported_at < b.reported_at
                        WHERE a.progress_pct > b.progress_pct""") == 0
    assert _one(con, """SELECT count(*) FROM task_updates u JOIN tasks t ON t.id = u.task_id
                        WHERE u.reported_at > t.updated_at OR u.reported_at < t.assigned_at""") == 0
    assert counts["task_updates"] == sum(per_task.values())


def test_emulation(demo):
    _, _, cons = demo
    con = cons["emulation"]
    movements = _q(con, "SELECT id, year, theme_vi, start_date, end_date FROM movements ORDER BY year")
    assert [m[1] for m in movements] == [2024, 2025, 2026]
    assert movements[0][2] == "Kỷ cương, trách nhiệm, chủ động, kịp thời, tăng tốc sáng tạo"
    assert all(m[3] == f"{m[1]}-01-01" and m[4] == f"{m[1]}-12-31" for m in movements)
    for m_id, *_ in movements:
        assert _one(con, "SELECT sum(max_points) FROM criteria WHERE movement_id = ?", m_id) == 100
        assert {r[0] for r in _q(con, "SELECT DISTINCT content_no FROM criteria WHERE movement_id = ?", m_id)} \
            == {1, 2, 3, 4, 5, 6}
        assert _one(con, "SELECT count(*) FROM criteria WHERE movement_id = ? AND metric IS NOT NULL", m_id) >= 3
        assert _one(con, "SELECT count(*) FROM criteria WHERE movement_id = ? AND metric IS NULL", m_id) >= 3
        members = _q(con, """SELECT unit_code, count(*) FROM block_members m JOIN blocks b ON b.id = m.block_id
                             WHERE b.movement_id = ? GROUP BY unit_code""", m_id)
        year = _one(con, "SELECT year FROM movements WHERE id = ?", m_id)
        # 2024: the former ministry's 22 units in 7 blocks; from 2025 the new ministry's 26 in 8
        assert {u for u, _ in members} == _valid_on(con, "2024-12-31" if year == 2024 else f"{year}-12-31")
        assert len(members) == (22 if year == 2024 else 26) and all(c == 1 for _, c in members)
        assert _one(con, "SELECT count(*) FROM blocks WHERE movement_id = ?", m_id) == (7 if year == 2024 else 8)
    assert [r[0] for r in _q(con, "SELECT name_vi FROM movements ORDER BY year")] == [
        "Phong trào thi đua năm 2024 của Bộ Tài nguyên và Môi trường",
        "Phong trào thi đua năm 2025 của Bộ Nông nghiệp và Môi trường",
        "Phong trào thi đua năm 2026 của Bộ Nông nghiệp và Môi trường"]
    # evaluations and awards only for units of their movement
    assert _one(con, """SELECT count(*) FROM evaluations e WHERE NOT EXISTS (SELECT 1 FROM block_members m
                        JOIN blocks b ON b.id = m.block_id WHERE b.movement_id = e.movement_id AND m.unit_code = e.unit_code)""") == 0
    assert _one(con, """SELECT count(*) FROM awards a WHERE a.movement_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM block_members m
                        JOIN blocks b ON b.id = m.block_id WHERE b.movement_id = a.movement_id AND m.unit_code = a.unit_code)""") == 0
    assert _one(con, "SELECT count(*) FROM awards WHERE decision_no LIKE '%/QĐ-BTNMT' AND decided_on >= '2025-03-01'") == 0
    assert _one(con, "SELECT count(*) FROM awards WHERE decision_no LIKE '%/QĐ-BNNMT' AND decided_on < '2025-03-01'") == 0
    metrics = {r[0] for r in _q(con, "SELECT DISTINCT metric FROM criteria WHERE metric IS NOT NULL")}
    assert metrics == {"tasks.on_time_rate", "tasks.legal_docs_completion_rate",
                       "procedures.on_time_rate", "procedures.online_rate"}
    # H1 and FY for the past years, nothing yet for the current one (NOW is in May)
    periods = set(_q(con, "SELECT m.year, e.period FROM evaluations e JOIN movements m ON m.id = e.movement_id"))
    assert periods == {(2024, "H1"), (2024, "FY"), (2025, "H1"), (2025, "FY")}
    assert _one(con, """SELECT count(*) FROM evaluations e JOIN criteria c ON c.id = e.criterion_id
                        WHERE c.metric IS NOT NULL OR e.points > c.max_points OR e.points < 0.6 * c.max_points
                        OR e.evaluated_at > ?""", NOW_S) == 0
    totals = _q(con, """SELECT movement_id, period, unit_code, sum(points) FROM evaluations
                        GROUP BY 1, 2, 3""")
    assert len({(m, p, s) for m, p, _, s in totals}) < len(totals)     # at least one exact tie
    # awards of every title, all decided by NOW, mostly in January
    assert {r[0] for r in _q(con, "SELECT DISTINCT title FROM awards")} == set(schema.AWARD_TITLES)
    assert {r[0] for r in _q(con, "SELECT DISTINCT recipient_kind FROM awards")} == set(schema.RECIPIENT_KINDS)
    assert _one(con, "SELECT max(decided_on) FROM awards") <= NOW.date().isoformat()
    assert _one(con, "SELECT avg(strftime('%m', decided_on) = '01') FROM awards") > 0.7
    by_title = dict(_q(con, "SELECT title, count(*) FROM awards GROUP BY 1"))
    assert by_title["advanced_worker"] > 10 * by_title["emulation_flag"]


def test_ensure_demo_data_creates_the_embedded_files_once(tmp_path, monkeypatch):
    from data_access import settings
    from data_access.demo import ensure_demo_data

    monkeypatch.setenv("IOC_DATA_DIR", str(tmp_path / "data"))
    for source in TABLES:
        monkeypatch.delenv(f"IOC_{source.upper()}_URL", raising=False)
    if not all(settings.is_embedded_demo(s) for s in TABLES):
        pytest.skip("a source is configured in secrets.toml")
    monkeypatch.setenv("IOC_DEMO_SEED", "11")
    assert ensure_demo_data(log=lambda _m: None) is True
    files = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert files == [".init.lock", "emulation.sqlite", "procedures.sqlite", "tasks.sqlite"]
    con = sqlite3.connect(tmp_path / "data" / "procedures.sqlite")
    assert _one(con, "SELECT count(*) FROM dossiers") > 150_000
    con.close()
    assert ensure_demo_data(log=lambda _m: None) is False
    # pointing a source elsewhere switches the embedded demo off
    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite'}")
    (tmp_path / "data" / "procedures.sqlite").unlink()
    assert ensure_demo_data(log=lambda _m: None) is False
