"""Time the KPI engine on SQLite, PostgreSQL and MariaDB in one run, with the floor
(one full scan of dossiers) and the naive approach (pandas) beside it.

    python -m benchmarks.kpis                                  # SQLite, default scale
    python -m benchmarks.kpis --postgres URL --mariadb URL     # and the two servers
    python -m benchmarks.kpis --scale 5 --postgres URL ...     # 1,000,000 dossiers
    python -m benchmarks.kpis --only postgres --explain        # plans of the slowest query
    git show REV:data_access/db.py > /tmp/db_before.py          # the door as it was at REV,
    python -m benchmarks.kpis --compare-door /tmp/db_before.py  # timed beside this one

For each engine, after VACUUM ANALYZE / ANALYZE TABLE / ANALYZE and one untimed warm-up
round, the cases below run interleaved (a, b, c, d, e, p, a, b, …) `--repeat` times;
median and min are printed, with the machine's load average at the start and end of
each engine's run:

  (a) `report.compute`: the full KPI set, whole ministry, for the year of --as-of
  (b) the same for the month of --as-of
  (c) the same for one unit (the unit with most dossiers received that year)
  (d) one full scan of `dossiers` by the same driver (heap / clustered index, no
      covering index: the plan is printed)
  (e) the naive approach: the whole dossiers table read into pandas, the procedure KPIs
      (totals and per unit) computed there, in a fresh process each round, timed inside
      it after its imports; that process's peak memory (VmHWM) is printed too, and its
      figures are checked against the engine's
  (p) the whole process: `python -m data_access kpis` for the year, end to end

Engines keep their connection pool between rounds (as the app does); (p) is a cold
process each time. SQLite data lives in data/bench-scale-<N>/ (the app's own
data/*.sqlite are left alone: ANALYZE would change their plans). A server database
without the demo tables is loaded with the demo data of --scale; one that holds another
scale is regenerated only with --reload (it drops the demo tables there). Every
engine gets the same rows: the same seed and the same generation moment (--as-of's
next midnight).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

DEFAULT_AS_OF = "2026-11-30 12:00:00"
DOSSIERS_PER_SCALE = 200_000
ENV_URLS = {"postgres": "IOC_BENCH_POSTGRES_URL", "mariadb": "IOC_BENCH_MARIADB_URL"}

# A benchmark measures; the app's statement time limit would cut the 10M runs short.
os.environ.setdefault("IOC_QUERY_TIMEOUT_SECONDS", "900")

import sqlalchemy as sa  # noqa: E402

from data_access import db as dbmod, report, schema, settings  # noqa: E402
from data_access.db import Database, SourceError, Sources  # noqa: E402
from data_access.model import Period, Scope  # noqa: E402

SOURCE_NAMES = settings.SOURCE_NAMES


# --- engines and their data ------------------------------------------------------------------
@dataclass
class Engine:
    label: str                       # SQLite / PostgreSQL / MariaDB
    urls: dict[str, str]
    sources: Sources | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.urls["procedures"]

    @property
    def dialect(self) -> str:
        name = sa.engine.make_url(self.url).get_backend_name()
        return "mysql" if name == "mariadb" else name


def _count_dossiers(url: str) -> int | None:
    """Dossiers at `url`, or None when the table is missing; raises SourceUnavailable."""
    source = Database("procedures", url)
    try:
        return int(source.scalar(sa.select(sa.func.count()).select_from(schema.dossiers)))
    except dbmod.SourceUnavailable:
        if sa.engine.make_url(url).get_backend_name() == "sqlite":
            return None                      # no file yet
        raise
    except SourceError:
        return None                          # no table


def _scale_matches(count: int, scale: float) -> bool:
    return abs(count - scale * DOSSIERS_PER_SCALE) <= 0.1 * scale * DOSSIERS_PER_SCALE


def _holds_demo_data(url: str) -> bool:
    """The units are exactly the demo's (today's, or those of the demo data before it
    followed the 2025 merger): regenerating here loses nothing but demo rows."""
    from data_access.demo import reference as ref

    try:
        codes = {r[0] for r in Database("procedures", url).execute(sa.select(schema.units.c.code))}
    except SourceError:
        return False
    return codes in ({*ref.ALL_CODES}, {ref.ROOT_CODE, *ref.UNITS_BEFORE})


def _load(engine: Engine, scale: float, seed: int, now: dt.datetime) -> None:
    from data_access.demo import init_demo

    started = time.perf_counter()
    counts = init_demo(engine.urls, scale=scale, seed=seed, force=True, now=now, log=lambda _m: None)
    engine.notes.append(f"loaded {counts.get('dossiers', 0):,} demo dossiers (scale {scale:g}) "
                        f"in {time.perf_counter() - started:.1f} s")
    dbmod.dispose_all()


def prepare(engine: Engine, scale: float, seed: int, now: dt.datetime, reload: bool) -> str | None:
    """Data of the asked scale at the engine, or the reason it is skipped."""
    try:
        count = _count_dossiers(engine.url)
    except dbmod.SourceUnavailable as exc:
        return f"unreachable ({exc.message})"
    if count is None or count == 0:
        _load(engine, scale, seed, now)
    elif not _scale_matches(count, scale):
        if engine.dialect == "sqlite" or (reload and _holds_demo_data(engine.url)):
            _load(engine, scale, seed, now)
        else:
            why = "--reload regenerates demo data" if not reload else "not demo data: left alone"
            engine.notes.append(f"holds {count:,} dossiers, not scale {scale:g}: measured as it is ({why})")
    engine.sources = Sources(**{name: Database(name, url) for name, url in engine.urls.items()})
    return None


def analyze(engine: Engine) -> float:
    """Fresh planner statistics: VACUUM ANALYZE / ANALYZE TABLE / ANALYZE."""
    started = time.perf_counter()
    tables = [t.name for md in schema.METADATA.values() for t in md.sorted_tables]
    for url in sorted(set(engine.urls.values())):
        writer = dbmod.create_engine(url, read_only=False, timeout_s=3600)
        try:
            present = set(sa.inspect(writer).get_table_names())
            names = [t for t in dict.fromkeys(tables) if t in present]
            if engine.dialect == "postgresql":
                with writer.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    for name in names:
                        conn.exec_driver_sql(f'VACUUM ANALYZE "{name}"')
            elif engine.dialect == "mysql":
                with writer.connect() as conn:
                    conn.exec_driver_sql("ANALYZE TABLE " + ", ".join(f"`{n}`" for n in names)).all()
            else:
                with writer.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
        finally:
            writer.dispose()
    return time.perf_counter() - started


def server_version(engine: Engine) -> str:
    if engine.dialect == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    source = engine.sources.procedures
    if engine.dialect == "postgresql":
        return "PostgreSQL " + str(source.scalar(sa.text("SHOW server_version"))).split()[0]
    return "MariaDB/MySQL " + str(source.scalar(sa.text("SELECT VERSION()")))


# --- (d) one full scan -----------------------------------------------------------------------
SCAN_SQL = {
    # SQLite and MariaDB would read a covering secondary index (smaller than the table).
    "sqlite": "SELECT COUNT(*), SUM(LENGTH(id)) FROM dossiers NOT INDEXED",
    "mysql": "SELECT COUNT(*), SUM(LENGTH(id)) FROM dossiers FORCE INDEX (PRIMARY)",
    "postgresql": "SELECT COUNT(*), SUM(LENGTH(id)) FROM dossiers",
}
PLAN_SQL = {"sqlite": "EXPLAIN QUERY PLAN ", "mysql": "EXPLAIN ", "postgresql": "EXPLAIN "}


class Scanner:
    """Its own read-only engine (the door's settings), so that PostgreSQL's planner
    switches can be set on its session only: a sequential scan of the heap, not an
    index-only scan of the primary key."""

    def __init__(self, engine: Engine):
        self.dialect = engine.dialect
        self.engine = dbmod.create_engine(engine.url)
        self.conn = self.engine.connect()
        if self.dialect == "postgresql":
            for switch in ("enable_indexonlyscan", "enable_indexscan", "enable_bitmapscan"):
                self.conn.exec_driver_sql(f"SET {switch} = off")

    def plan(self) -> str:
        rows = self.conn.exec_driver_sql(PLAN_SQL[self.dialect] + SCAN_SQL[self.dialect]).all()
        if self.dialect == "postgresql":
            scans = [r[0].strip().lstrip("-> ").split("  (")[0] for r in rows if "Scan" in r[0]]
            return "; ".join(scans) or rows[0][0]
        if self.dialect == "mysql":
            r = rows[0]._mapping
            return f"type={r['type']} key={r['key']} rows≈{r['rows']} {r['Extra'] or ''}".strip()
        return " / ".join(str(r[-1]) for r in rows)

    def scan(self) -> Any:
        return self.conn.exec_driver_sql(SCAN_SQL[self.dialect]).one()

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


# --- (e) the naive approach ------------------------------------------------------------------
def naive_procedure_kpis(url: str, period: Period, as_of: dt.datetime) -> dict[str, Any]:
    """Every dossier read into pandas, then the procedure KPIs (ministry totals and per
    unit) computed there, as a script written without the engine would."""
    import pandas as pd

    engine = dbmod.engine_for(url)
    with engine.connect() as conn:
        frame = pd.read_sql_query(sa.text("SELECT * FROM dossiers"), conn)
    for column in ("received_at", "due_at", "finished_at"):
        # SQLite hands text over: parsed in one vectorised pass, the fastest pandas has.
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    start, stop, moment = pd.Timestamp(period.start), pd.Timestamp(period.end + dt.timedelta(days=1)), pd.Timestamp(as_of)

    received = frame[(frame.received_at >= start) & (frame.received_at < stop) & (frame.received_at <= moment)]
    withdrawn = (received.status == "withdrawn") & received.finished_at.notna() & (received.finished_at <= moment)
    kept = received[~withdrawn]
    finished = frame[(frame.finished_at >= start) & (frame.finished_at < stop) & (frame.finished_at <= moment)
                     & frame.status.isin(schema.FINISHED_STATUSES)]
    on_time = finished.finished_at <= finished.due_at
    pending = frame[(frame.received_at <= moment) & (frame.finished_at.isna() | (frame.finished_at > moment))]
    with_fee = kept.fee_amount > 0
    days = (finished.finished_at - finished.received_at).dt.total_seconds() / 86400

    def rate(num, den):
        return float(num) / float(den) if den else None

    per_unit = pd.DataFrame({
        "received": received.groupby("unit_code").size(),
        "online": kept[kept.channel == "online"].groupby("unit_code").size(),
        "finished": finished.groupby("unit_code").size(),
        "on_time": finished[on_time].groupby("unit_code").size(),
        "pending": pending.groupby("unit_code").size(),
        "overdue": pending[pending.due_at < moment].groupby("unit_code").size(),
    }).fillna(0)
    return {
        "procedures.received": int(len(received)),
        "procedures.finished": int(len(finished)),
        "procedures.finished_late": int((~on_time).sum()),
        "procedures.on_time_rate": rate(on_time.sum(), len(finished)),
        "procedures.pending": int(len(pending)),
        "procedures.pending_overdue": int((pending.due_at < moment).sum()),
        "procedures.online_rate": rate((kept.channel == "online").sum(), len(kept)),
        "procedures.digitized_rate": rate(kept.digitized.astype(bool).sum(), len(kept)),
        "procedures.synced_rate": rate(kept.synced_national.astype(bool).sum(), len(kept)),
        "procedures.online_payment_rate": rate((with_fee & kept.paid_online.astype(bool)).sum(), with_fee.sum()),
        "procedures.satisfaction_rate": rate((finished.rating >= 4).sum(), finished.rating.notna().sum()),
        "procedures.avg_processing_days": float(days.mean()) if len(days) else None,
        "_units": int(len(per_unit)),
    }


def peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM). Not `ru_maxrss`: on Linux that
    carries the parent's peak over fork and exec into the child."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def naive_child(args) -> None:
    """Run (e) once in this process and print its time and memory as JSON."""
    import pandas  # noqa: F401 - counted in the baseline, as in the parent

    period, as_of = Period(args.child_from, args.child_to), args.as_of
    Database("procedures", args.child_url).ping()      # connected before the clock starts
    base_kb = peak_rss_kb()
    started = time.perf_counter()
    kpis = naive_procedure_kpis(args.child_url, period, as_of)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "base_kb": base_kb, "peak_kb": peak_rss_kb(), "kpis": kpis}))


PROCESS_PEAK = (
    "import atexit, runpy, sys\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'): sys.stderr.write('IOC_BENCH_PEAK_KB ' + line.split()[1] + '\\n')\n"
    "atexit.register(_peak)\n"
    "sys.argv = ['data_access'] + sys.argv[1:]\n"
    "runpy.run_module('data_access', run_name='__main__', alter_sys=True)\n"
)


def process_memory(engine: Engine, period: Period, as_of: dt.datetime) -> int | None:
    """Peak memory (KiB) of one `python -m data_access kpis` run, read in the process."""
    cmd = [sys.executable, "-c", PROCESS_PEAK, *process_cmd(period, as_of)[3:]]
    proc = subprocess.run(cmd, env=process_env(engine), cwd=settings.PROJECT_ROOT,
                          capture_output=True, text=True)
    found = re.findall(r"IOC_BENCH_PEAK_KB (\d+)", proc.stderr)
    return int(found[-1]) if proc.returncode == 0 and found else None


def _run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """(seconds, exit status, stdout) of one subprocess, timed end to end."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=settings.PROJECT_ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode:
        sys.stderr.write(proc.stderr[-2000:])
    return seconds, proc.returncode, proc.stdout


def naive_run(engine: Engine, period: Period, as_of: dt.datetime) -> dict[str, Any] | None:
    """(e) once in a fresh process: its time (imports excluded), peak memory and figures."""
    cmd = [sys.executable, "-m", "benchmarks.kpis", "--naive-child", engine.url,
           "--child-from", period.start.isoformat(), "--child-to", period.end.isoformat(),
           "--as-of", as_of.strftime("%Y-%m-%d %H:%M:%S")]
    _s, status, out = _run_child(cmd, dict(os.environ))
    if status:
        return None
    return json.loads(out.strip().splitlines()[-1])


def process_cmd(period: Period, as_of: dt.datetime, unit: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "data_access", "kpis", "--from", period.start.isoformat(),
           "--to", period.end.isoformat(), "--as-of", as_of.strftime("%Y-%m-%d %H:%M:%S")]
    return cmd + (["--unit", unit] if unit else [])


def process_env(engine: Engine) -> dict[str, str]:
    env = dict(os.environ)
    for name, url in engine.urls.items():
        env[f"IOC_{name.upper()}_URL"] = url
    return env


# --- queries of one KPI set ------------------------------------------------------------------
def _fact_label(statement: str) -> str:
    text = " ".join(statement.split())
    labels = [l for l in re.findall(r"\bAS (\w+)", text) if l not in ("key", "anon_1", "open_at_t")]
    table = re.search(r"\bFROM \(?\s*(?:SELECT .*? FROM )?[`\"]?(\w+)", text)
    head = ", ".join(labels[:3]) + (" …" if len(labels) > 3 else "")
    grouped = " GROUP BY" if " GROUP BY " in text else ""
    return f"{table.group(1) if table else '?'}: {head or text[:60]}{grouped}"


def profile_queries(engine: Engine, run: Callable[[], Any]) -> list[tuple[float, str, str, Any]]:
    """(seconds, label, statement, parameters) of every query `run` sends through the
    door, each timed from `Database.execute` to its rows (SQLite computes rows as they
    are fetched, so the driver's execute alone would undercount it)."""
    seen: list[tuple[float, str, str, Any]] = []
    last: dict[str, Any] = {}
    engines = {id(s.engine): s.engine for s in engine.sources}.values()
    door = dbmod.Database.execute

    def before(_conn, _cursor, statement, params, _context, _many):
        last["statement"], last["params"] = statement, params

    def timed(self, statement, limit=None):
        last.clear()
        started = time.perf_counter()
        try:
            return door(self, statement, limit)
        finally:
            text = last.get("statement", "")
            seen.append((time.perf_counter() - started, _fact_label(text), text, last.get("params")))

    for eng in engines:
        sa.event.listen(eng, "before_cursor_execute", before)
    dbmod.Database.execute = timed
    try:
        run()
    finally:
        dbmod.Database.execute = door
        for eng in engines:
            sa.event.remove(eng, "before_cursor_execute", before)
    return seen


def explain(engine: Engine, statement: str, params: Any) -> str:
    prefix = {"postgresql": "EXPLAIN (ANALYZE, BUFFERS) ", "mysql": "ANALYZE ",
              "sqlite": "EXPLAIN QUERY PLAN "}[engine.dialect]
    with engine.sources.procedures.engine.connect() as conn:
        result = conn.exec_driver_sql(prefix + statement, params)
        rows = result.all()
        if engine.dialect == "postgresql":
            return "\n".join(r[0] for r in rows)
        keys = list(result.keys())
        return "\n".join(" | ".join(f"{k}={v}" for k, v in zip(keys, r) if v is not None) for r in rows)


# --- the run ---------------------------------------------------------------------------------
def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _load_text(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def _largest_unit(engine: Engine, period: Period) -> str:
    d = schema.dossiers
    stmt = (sa.select(d.c.unit_code, sa.func.count().label("n")).where(
        d.c.received_at >= sa.literal(dt.datetime.combine(period.start, dt.time()), schema.Timestamp),
        d.c.received_at < sa.literal(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time()),
                                     schema.Timestamp),
        d.c.unit_code.is_not(None))
        .group_by(d.c.unit_code).order_by(sa.desc("n"), d.c.unit_code).limit(1))
    return engine.sources.procedures.execute(stmt)[0][0]


# --- the door before and after, in the same process ------------------------------------------
def load_door(path: str):
    """Another version of data_access/db.py (e.g. `git show REV:data_access/db.py`),
    loaded beside the current one as data_access._door_compared, with its own pools."""
    import importlib.util

    name = "data_access._door_compared"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def compare_doors(engine: Engine, door, args, as_of: dt.datetime) -> dict[str, dict[str, list[float]]]:
    """(a) and a small query (q: one unit by its code, 200 times) through the other door
    and through this one, alternating A B B A round by round on the same pools' engine."""
    year = Period.year(as_of.year)
    doors = {
        "before": door.Sources(**{n: door.Database(n, u) for n, u in engine.urls.items()}),
        "after": engine.sources,
    }
    unit = schema.units
    small = sa.select(unit.c.code, unit.c.name_vi).where(unit.c.code == sa.literal("VP", sa.String))

    def q(sources):
        for _ in range(200):
            sources.procedures.execute(small)

    def a(sources):
        report.compute(sources, year, as_of, Scope.ministry())

    for sources in doors.values():                # warm both pools
        a(sources)
        q(sources)
    times = {case: {side: [] for side in doors} for case in ("q", "a")}
    for round_no in range(args.repeat):
        order = ("before", "after") if round_no % 2 == 0 else ("after", "before")
        for case, run in (("q", q), ("a", a)):
            for side in order:
                started = time.perf_counter()
                run(doors[side])
                times[case][side].append(time.perf_counter() - started)
    door.dispose_all()
    return times


def print_doors(label: str, times: dict[str, dict[str, list[float]]], path: str) -> None:
    print(f"   door compared with {path} in this process (A B B A …, medians and mins):")
    print(f"   {'case':<34}{'before':>10}{'after':>10}{'min before':>12}{'min after':>11}   after/before")
    titles = {"q": "(q) 200 one-row queries", "a": "(a) full KPI set, year, ministry"}
    for case, sides in times.items():
        before, after = _med(sides["before"]), _med(sides["after"])
        paired = statistics.median(b / a for a, b in zip(sides["before"], sides["after"]))
        extra = f" ({before / 200 * 1e6:.0f} → {after / 200 * 1e6:.0f} µs a query)" if case == "q" else ""
        print(f"   {titles[case]:<34}{_fmt_s(before):>10}{_fmt_s(after):>10}{_fmt_s(min(sides['before'])):>12}"
              f"{_fmt_s(min(sides['after'])):>11}   {paired:.2f} paired by round{extra}")


def bench_engine(engine: Engine, args, as_of: dt.datetime) -> dict[str, Any]:
    year = Period.year(as_of.year)
    month_end = (dt.date(as_of.year + (as_of.month == 12), as_of.month % 12 + 1, 1) - dt.timedelta(days=1))
    month = Period(dt.date(as_of.year, as_of.month, 1), month_end)
    load_start = os.getloadavg()
    analyze_s = analyze(engine)
    sources = engine.sources
    dossiers = _count_dossiers(engine.url)
    version = server_version(engine)
    unit = _largest_unit(engine, year)
    scanner = Scanner(engine)
    env = process_env(engine)

    structure = getattr(args, "structure", "current")
    cases: dict[str, Callable[[], Any]] = {
        "a": lambda: report.compute(sources, year, as_of, Scope.ministry(structure)),
        "b": lambda: report.compute(sources, month, as_of, Scope.ministry(structure)),
        "c": lambda: report.compute(sources, year, as_of, Scope.of_unit(unit, structure)),
        "d": scanner.scan,
    }
    result_a = cases["a"]()                       # warm-up round, untimed
    for key in ("b", "c", "d"):
        cases[key]()
    queries = {key: profile_queries(engine, cases[key]) for key in ("a", "b", "c")}

    times: dict[str, list[float]] = {key: [] for key in (*cases, "e", "p")}
    process_failures = 0
    naive_runs = []
    for _ in range(args.repeat):
        for key, run in cases.items():
            started = time.perf_counter()
            run()
            times[key].append(time.perf_counter() - started)
        naive_result = None if args.no_naive else naive_run(engine, year, as_of)  # its own process
        if naive_result:
            naive_runs.append(naive_result)
            times["e"].append(naive_result["seconds"])
        seconds, status, _out = _run_child(process_cmd(year, as_of), env)
        if status:
            process_failures += 1
        else:
            times["p"].append(seconds)
    memory = max(naive_runs, key=lambda n: n["peak_kb"]) if naive_runs else None
    naive = naive_runs[0]["kpis"] if naive_runs else {}
    process_kb = process_memory(engine, year, as_of)
    load_end = os.getloadavg()
    scan_plan = scanner.plan()
    scanner.close()

    kpis = result_a["kpis"]
    mismatched = [k for k, v in naive.items() if not k.startswith("_") and k in kpis
                  and not _same(v, kpis[k])]
    out = {
        "label": engine.label, "version": version, "dossiers": dossiers, "unit": unit,
        "month": month, "load_start": load_start, "load_end": load_end, "analyze_s": analyze_s,
        "times": times, "queries": queries, "scan_plan": scan_plan, "memory": memory,
        "process_failures": process_failures, "process_kb": process_kb, "mismatched": mismatched,
        "received": kpis.get("procedures.received"), "notes": engine.notes, "door_path": args.compare_door,
        "no_naive": args.no_naive,
    }
    if args.compare_door:
        out["doors"] = compare_doors(engine, load_door(args.compare_door), args, as_of)
        out["load_end"] = os.getloadavg()
    if args.explain:
        slowest = max(queries["a"], key=lambda q: q[0])
        out["explain"] = (slowest[1], explain(engine, slowest[2], slowest[3]))
    return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


def _med(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def print_engine(r: dict[str, Any], repeat: int) -> None:
    t = r["times"]
    med = {k: _med(v) for k, v in t.items()}
    low = {k: (min(v) if v else None) for k, v in t.items()}

    def ratio(x: str, y: str) -> str:
        return f"{med[x] / med[y]:.2f}" if med.get(x) and med.get(y) else "—"

    print(f"\n== {r['label']}: {r['version']}; {r['dossiers']:,} dossiers; "
          f"load {_load_text(r['load_start'])} at start, {_load_text(r['load_end'])} at end")
    for note in r["notes"]:
        print(f"   {note}")
    print(f"   statistics refreshed in {r['analyze_s']:.1f} s; (d) plan: {r['scan_plan']}")
    rows = [
        ("a", "(a) full KPI set, year, ministry", f"a/d {ratio('a', 'd')}"),
        ("b", f"(b) full KPI set, {r['month'].start:%Y-%m}", f"b/a {ratio('b', 'a')}"),
        ("c", f"(c) full KPI set, year, unit {r['unit']}", f"c/a {ratio('c', 'a')}"),
        ("d", "(d) one full scan of dossiers", ""),
        ("e", "(e) pandas: read dossiers, procedure KPIs", f"e/a {ratio('e', 'a')}"),
        ("p", "(p) whole process: kpis CLI, year", ""),
    ]
    print(f"   {'case':<44}{'median':>10}{'min':>10}   ratio")
    for key, title, extra in rows:
        print(f"   {title:<44}{_fmt_s(med[key]):>10}{_fmt_s(low[key]):>10}   {extra}")
    memory = r["memory"]
    if memory:
        print(f"   (e) peak memory: {memory['peak_kb'] / 1024:.0f} MiB process, "
              f"+{(memory['peak_kb'] - memory['base_kb']) / 1024:.0f} MiB over the imports "
              "(its time excludes process start and imports)")
    if r["process_kb"]:
        print(f"   (p) peak memory: {r['process_kb'] / 1024:.0f} MiB process")
    if r["process_failures"]:
        print(f"   (p) FAILED {r['process_failures']} of {repeat} runs (stderr above)")
    for key, profile in r["queries"].items():
        queries = sorted(profile, key=lambda q: -q[0])
        total = sum(q[0] for q in queries)
        print(f"   ({key}) {len(queries)} queries, {_fmt_s(total)} from door to rows; slowest: "
              + "; ".join(f"{_fmt_s(s)} {label}" for s, label, *_ in queries[:2]))
    if not r["memory"]:
        check = "not run (--no-naive)" if r["no_naive"] else "FAILED (stderr above)"
    elif r["mismatched"]:
        check = "DIFFERS from the engine on " + ", ".join(r["mismatched"])
    else:
        check = "same figures as the engine"
    print(f"   (e) naive procedure KPIs: {check}")
    if "doors" in r:
        print_doors(r["label"], r["doors"], r["door_path"])
    if "explain" in r:
        label, plan = r["explain"]
        print(f"   plan of the slowest statement ({label}):")
        for line in plan.splitlines():
            print(f"       {line}")


def print_summary(results: list[dict[str, Any]]) -> None:
    print("\nmedians     dossiers        (a)       (b)       (c)       (d)       (e)       (p)"
          "    a/d   b/a   c/a   e/a")
    for r in results:
        med = {k: _med(v) for k, v in r["times"].items()}

        def ratio(x, y):
            return f"{med[x] / med[y]:6.2f}" if med.get(x) and med.get(y) else "     —"

        print(f"{r['label']:<11}{r['dossiers']:>10,}" + "".join(f"{_fmt_s(med[k]):>10}" for k in "abcdep")
              + ratio("a", "d") + ratio("b", "a") + ratio("c", "a") + ratio("e", "a"))


def startup_seconds(repeat: int = 3) -> float | None:
    cmd = [sys.executable, "-c", "import data_access.report, data_access.cli"]
    runs = []
    for _ in range(repeat):
        seconds, status, _out = _run_child(cmd, dict(os.environ))
        if status:
            return None
        runs.append(seconds)
    return min(runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo data scale: 1 ≈ 200,000 dossiers, 5 ≈ 1M")
    parser.add_argument("--postgres", default=os.environ.get(ENV_URLS["postgres"]),
                        help=f"PostgreSQL URL (all three sources; default ${ENV_URLS['postgres']})")
    parser.add_argument("--mariadb", default=os.environ.get(ENV_URLS["mariadb"]),
                        help=f"MariaDB/MySQL URL (all three sources; default ${ENV_URLS['mariadb']})")
    parser.add_argument("--no-sqlite", action="store_true", help="leave SQLite out")
    parser.add_argument("--only", choices=("sqlite", "postgres", "mariadb"), action="append",
                        help="run only these engines")
    parser.add_argument("--reload", action="store_true",
                        help="regenerate a server's demo tables when they hold another scale")
    parser.add_argument("--seed", type=int, default=settings.get("demo_seed"))
    parser.add_argument("--as-of", default=DEFAULT_AS_OF, help=f'the fixed as-of moment (default "{DEFAULT_AS_OF}")')
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--structure", choices=("current", "historical"), default="current",
                        help="the structure of (a)–(c): a unit's lineage (current) or its own code")
    parser.add_argument("--explain", action="store_true", help="print the plan of (a)'s slowest statement")
    parser.add_argument("--compare-door", metavar="DB_PY", default=None,
                        help="another data_access/db.py (git show REV:data_access/db.py > FILE): "
                             "(a) and 200 small queries through both doors, alternating")
    parser.add_argument("--no-naive", action="store_true", help="leave (e) out (10M rows do not fit pandas here)")
    parser.add_argument("--doors-only", action="store_true", help="with --compare-door: only that comparison")
    parser.add_argument("--naive-child", dest="child_url", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-from", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("--child-to", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.as_of = dt.datetime.fromisoformat(args.as_of)
    if args.child_url:
        naive_child(args)
        return
    if args.doors_only and not args.compare_door:
        parser.error("--doors-only needs --compare-door")
    generated_at = dt.datetime.combine(args.as_of.date() + dt.timedelta(days=1), dt.time())

    engines: list[tuple[str, Engine]] = []
    if not args.no_sqlite:
        folder = settings.data_dir() / f"bench-scale-{args.scale:g}"
        folder.mkdir(parents=True, exist_ok=True)
        engines.append(("sqlite", Engine("SQLite", {n: f"sqlite:///{folder / (n + '.sqlite')}" for n in SOURCE_NAMES})))
    for key, label in (("postgres", "PostgreSQL"), ("mariadb", "MariaDB")):
        url = getattr(args, key)
        if url:
            engines.append((key, Engine(label, {n: url for n in SOURCE_NAMES})))
    if args.only:
        engines = [(k, e) for k, e in engines if k in args.only]

    print(f"benchmarks.kpis: scale {args.scale:g}, seed {args.seed}, as of {args.as_of}, {args.repeat} rounds; "
          f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}, SQLAlchemy {sa.__version__}")
    boot = startup_seconds()
    print(f"process start and imports alone (python -c 'import data_access.report'): {_fmt_s(boot)}")
    results = []
    for _key, engine in engines:
        reason = prepare(engine, args.scale, args.seed, generated_at, args.reload)
        if reason:
            print(f"\n== {engine.label}: skipped, {reason}")
            continue
        if args.doors_only:
            load_start = os.getloadavg()
            times = compare_doors(engine, load_door(args.compare_door), args, args.as_of)
            print(f"\n== {engine.label}: {server_version(engine)}; load {_load_text(load_start)} at start, "
                  f"{_load_text(os.getloadavg())} at end")
            print_doors(engine.label, times, args.compare_door)
            continue
        results.append(bench_engine(engine, args, args.as_of))
        print_engine(results[-1], args.repeat)
        dbmod.dispose_all()
    if results:
        print_summary(results)


if __name__ == "__main__":
    main()
