"""Deterministic, realistic demo data for the three source databases.

`init_demo` fills any three SQLAlchemy URLs (SQLite, PostgreSQL, MySQL/MariaDB);
`ensure_demo_data` creates the embedded SQLite files on first start. The same seed and
the same `now` give the same rows. Dossiers are generated with numpy in chunks of whole
days and bulk-loaded through the driver (executemany on SQLite and MySQL, COPY on
PostgreSQL), so the default ~200,000 dossiers take seconds and `scale=50` (10 million)
runs in bounded memory.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import math
import os
import random
import sqlite3
import time
from contextlib import suppress
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from .. import schema, settings
from ..db import create_engine
from ..model import now as model_now
from . import reference as ref

SOURCES = ("procedures", "tasks", "emulation")
DOSSIERS_PER_SCALE = 200_000      # dossiers over the 24 months at scale 1
CHUNK_ROWS = 100_000              # most dossiers generated and held in memory at once
MYSQL_BATCH = 2_000               # rows per multi-row INSERT on MySQL/MariaDB
TASKS_PER_YEAR = 600
WRITE_TIMEOUT_S = 24 * 3600

DOSSIER_COLUMNS = (
    "id", "procedure_code", "unit_code", "received_at", "due_at", "finished_at", "status",
    "channel", "applicant_type", "digitized", "synced_national", "fee_amount", "paid_online",
    "rating",
)
STATUSES = np.array(schema.DOSSIER_STATUSES)          # processing, supplement_requested, approved, rejected, withdrawn
CHANNELS = np.array(("online", "in_person", "postal"))
APPLICANTS = np.array(("citizen", "business", "organization"))
LEVELS = ("full_online", "partial_online", "offline")
NEVER = np.datetime64("9999-01-01T00:00:00", "s")
HOUR = np.timedelta64(3600, "s")
DAY_S = np.timedelta64(86400, "s")


# --- public API ------------------------------------------------------------------------
def init_demo(urls: dict[str, str], *, scale: float = 1.0, seed: int = 2026, force: bool = False,
              now: dt.datetime | None = None, log: Callable[[str], Any] = print) -> dict[str, int]:
    """Create the schema in the three databases of `urls` and fill it with demo data.

    `urls` maps "procedures", "tasks" and "emulation" to SQLAlchemy URLs (they may be the
    same). If the dossiers table already has rows and not `force`, nothing is done and
    `{}` is returned; with `force` the tables are dropped first. Returns row counts.
    """
    missing = [s for s in SOURCES if s not in urls]
    if missing:
        raise ValueError(f"init_demo: no URL for {', '.join(missing)}")
    now = _as_naive_now(now)
    engines: dict[str, Engine] = {}

    def engine(source: str) -> Engine:
        url = str(urls[source])
        if url not in engines:
            # a writer: no statement time limit worth the name (index builds at large scale)
            engines[url] = create_engine(url, read_only=False, timeout_s=WRITE_TIMEOUT_S)
        return engines[url]

    try:
        if not force and _table_has_rows(engine("procedures"), "dossiers"):
            log("demo: the procedures database already has dossiers; nothing generated")
            return {}
        started = time.perf_counter()
        if force:
            for source in SOURCES:
                schema.METADATA[source].drop_all(engine(source))
        for source in SOURCES:
            schema.METADATA[source].create_all(engine(source))
        counts: dict[str, int] = {}

        # units over time and their successions: once per distinct database
        unit_rows = list(ref.UNIT_ROWS)
        succession_rows = [(pred, succ, ref.MERGER, kind, inherits, ref.LEGAL_BASIS)
                           for pred, succ, kind, inherits in ref.SUCCESSIONS]
        for eng in {id(engine(s)): engine(s) for s in SOURCES}.values():
            with _Bulk(eng) as bulk:
                bulk.clear("unit_successions")
                bulk.clear("units")
                bulk.insert("units", ("code", "name_vi", "name_en", "parent_code", "kind", "valid_from",
                                      "valid_to"), unit_rows)
                bulk.insert("unit_successions", ("predecessor_code", "successor_code", "effective_on", "kind",
                                                 "inherits_history", "legal_basis"), succession_rows)
        counts["units"] = len(unit_rows)
        counts["unit_successions"] = len(succession_rows)

        t0 = time.perf_counter()
        counts.update(_fill_procedures(engine("procedures"), scale=scale, seed=seed, now=now, log=log))
        log(f"demo: procedures and {counts['dossiers']:,} dossiers in {time.perf_counter() - t0:.1f} s")
        counts.update(_fill_tasks(engine("tasks"), seed=seed, now=now))
        counts.update(_fill_emulation(engine("emulation"), seed=seed, now=now))
        log(f"demo: generated in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        from data_access import organisation

        organisation.forget()                # this process read the old units, if any
        return counts
    finally:
        for eng in engines.values():
            eng.dispose()


def ensure_demo_data(log: Callable[[str], Any] = print) -> bool:
    """Generate the embedded SQLite demo databases if they are missing or empty.

    Only when every source uses its embedded default URL. Guarded by a file lock so two
    processes never generate at once; files are written under temporary names and moved
    into place, so a reader never sees a half-written database. True if it generated.
    """
    if not all(settings.is_embedded_demo(s) for s in SOURCES):
        return False
    if _embedded_complete():
        return False
    data_dir = settings.data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".init.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _embedded_complete():          # another process did it while we waited
                return False
            finals = {s: _sqlite_path(settings.default_url(s)) for s in SOURCES}
            temps = {s: p.with_name(f".{p.name}.tmp-{os.getpid()}") for s, p in finals.items()}
            for path in temps.values():
                _remove_sqlite(path)
            try:
                log(f"demo: generating the demo databases in {data_dir} (first start)")
                init_demo({s: f"sqlite:///{p}" for s, p in temps.items()},
                          seed=settings.get("demo_seed"), force=True, log=log)
                # the procedures file last: its dossiers are the "complete" marker
                for source in ("tasks", "emulation", "procedures"):
                    os.replace(temps[source], finals[source])
            finally:
                for path in temps.values():
                    _remove_sqlite(path)
            return True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- helpers: time, files -------------------------------------------------------------
def _as_naive_now(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return model_now()
    if now.tzinfo is not None:
        now = now.astimezone(ZoneInfo(settings.get("timezone"))).replace(tzinfo=None)
    return now.replace(microsecond=0)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:               # 29 February
        return day.replace(year=day.year - years, day=28)


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database).resolve()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")


def _embedded_complete() -> bool:
    """Every embedded file exists and the procedures file has dossiers."""
    checks = {"procedures": "dossiers", "tasks": "tasks", "emulation": "movements"}
    for source, tbl in checks.items():
        path = _sqlite_path(settings.default_url(source))
        if not path.is_file():
            return False
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=15)
            try:
                row = con.execute(f"SELECT 1 FROM {tbl} LIMIT 1").fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            return False
        if source == "procedures" and row is None:
            return False
    return True


def _table_has_rows(engine: Engine, name: str) -> bool:
    if not sa.inspect(engine).has_table(name):
        return False
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first() is not None


# --- bulk loading ---------------------------------------------------------------------
class _Bulk:
    """Bulk inserts through the raw driver connection, committed once at the end."""

    def __init__(self, engine: Engine):
        self.engine = engine
        backend = engine.url.get_backend_name()
        self.dialect = "mysql" if backend == "mariadb" else backend
        self.raw = engine.raw_connection()
        self.con = self.raw.driver_connection
        if self.dialect == "sqlite":
            self.con.execute("PRAGMA journal_mode=OFF")
            self.con.execute("PRAGMA synchronous=OFF")

    def __enter__(self) -> "_Bulk":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.con.commit()
            else:
                self.con.rollback()
        finally:
            if self.dialect == "sqlite":
                with suppress(sqlite3.Error):
                    self.con.execute("PRAGMA synchronous=FULL")
            self.raw.close()

    def clear(self, table: str) -> None:
        cur = self.con.cursor()
        cur.execute(f"DELETE FROM {table}")
        cur.close()

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
               *, plain: bool = False) -> None:
        """Insert `rows`; `plain` means values are already str/int/float/None."""
        cols = ", ".join(columns)
        cur = self.con.cursor()
        try:
            if self.dialect == "sqlite":
                if not plain:
                    rows = ([_sqlite_value(v) for v in r] for r in rows)
                marks = ", ".join("?" * len(columns))
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
            elif self.dialect == "postgresql":
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
                batch: list = []
                for r in rows:
                    batch.append(r)
                    if len(batch) >= MYSQL_BATCH:
                        cur.executemany(sql, batch)   # PyMySQL sends one multi-row INSERT
                        batch.clear()
                if batch:
                    cur.executemany(sql, batch)
        finally:
            cur.close()


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _drop_indexes(engine: Engine, table: sa.Table) -> None:
    with engine.begin() as conn:
        for index in table.indexes:
            index.drop(conn, checkfirst=True)


def _create_indexes(engine: Engine, table: sa.Table) -> None:
    with engine.begin() as conn:
        for index in table.indexes:
            index.create(conn, checkfirst=True)


# --- procedures and dossiers ------------------------------------------------------------
class _Ctx:
    """Per-procedure lookup arrays and the calendar shared by every chunk."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.now64 = np.datetime64(now, "s")
        first = _years_before(now.date(), 2)
        self.days = np.arange(np.datetime64(first, "D"), np.datetime64(now.date(), "D") + 1)
        self.day0 = self.days[0]
        self.span = max(1, len(self.days) - 1)
        self.holidays = np.array(ref.public_holidays(first.year - 1, now.year + 2), dtype="datetime64[D]")
        self.cal = np.busdaycalendar(weekmask="1111100", holidays=self.holidays)

        # Procedures and units on either side of the merger: a dossier received before it
        # carries its procedure's former unit, one received from it on the current unit;
        # procedures of the agricultural fields exist only from the merger on.
        procs = ref.PROCEDURES
        self.merger = np.datetime64(ref.MERGER, "D")
        self.proc_codes = np.array([p[0] for p in procs])
        self.unit_codes = np.array(sorted({p[4] for p in procs} | {p[10] for p in procs if p[10]}))
        unit_pos = {c: i for i, c in enumerate(self.unit_codes)}
        self.proc_unit_after = np.array([unit_pos[p[4]] for p in procs])
        self.proc_unit_before = np.array([unit_pos[p[10] or p[4]] for p in procs])
        self.legal = np.array([p[5] for p in procs])
        self.level = np.array([LEVELS.index(p[6]) for p in procs])
        vol = np.array([p[7] for p in procs], dtype=float)
        before = np.array([p[10] is not None for p in procs])
        vol_before = np.where(before, vol, 0.0)
        self.p_all = (vol_before / vol_before.sum(), vol / vol.sum())        # (before, from the merger)
        self.p_online = tuple(v / v.sum() for v in (np.where(self.level == 2, 0.0, vol_before),
                                                      np.where(self.level == 2, 0.0, vol)))
        self.growth_at_merger = vol.sum() / vol_before.sum()              # the ministry got bigger
        width = max(len(p[8]) for p in procs)
        self.fee_table = np.array([list(p[8]) + [p[8][-1]] * (width - len(p[8])) for p in procs], dtype=np.int64)
        self.fee_tiers = np.array([len(p[8]) for p in procs])
        self.citizen = np.array([p[9] for p in procs])
        self.unit_on_time = np.array([ref.UNIT_ON_TIME[c] for c in self.unit_codes])
        self.unit_synced = np.array([ref.UNIT_SYNCED[c] for c in self.unit_codes])
        self.struggling = np.isin(self.unit_codes, ref.STRUGGLING_UNITS)

        # hour-of-day profiles: counters open 7:30-11:30 and 13:30-17:00; online all day
        office = np.zeros(24)
        office[[7, 8, 9, 10, 11, 13, 14, 15, 16]] = [4, 10, 12, 11, 5, 5, 10, 9, 6]
        self.h_office = office / office.sum()
        online = np.array([1, 0.5, 0.3, 0.3, 0.3, 0.6, 1.5, 4, 8, 10, 10, 8, 4, 5, 8, 9, 8, 6, 4,
                           4, 4.5, 4, 3, 2])
        self.h_online = online / online.sum()
        # rating distribution (cumulative) for on time / late / rejected
        self.rating_cum = np.cumsum(np.array([
            [0.01, 0.01, 0.05, 0.28, 0.65],
            [0.12, 0.15, 0.28, 0.30, 0.15],
            [0.20, 0.20, 0.30, 0.20, 0.10],
        ]), axis=1)

    def daily_expectation(self, scale: float) -> np.ndarray:
        days = self.days
        wd = (days.astype(np.int64) + 3) % 7                     # Monday = 0
        w = np.where(wd < 5, 1.0, np.where(wd == 5, 0.2, 0.035))
        holiday = np.isin(days, self.holidays)
        w = np.where(holiday & (wd < 5), 0.05, w)
        for tet in ref.tet_dates(int(str(days[0])[:4]), int(str(days[-1])[:4]) + 1):
            offset = (days - np.datetime64(tet, "D")).astype(np.int64)
            w = np.where((offset >= -10) & (offset <= 6), w * 0.35, w)
        month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
        w = w * np.select([month == 11, month == 12, month == 1], [1.15, 1.3, 1.05], 1.0)
        t = (days - self.day0).astype(np.int64) / self.span
        w = w * (1.0 + 0.25 * t)                                    # slow growth
        w = np.where(days >= self.merger, w * self.growth_at_merger, w)  # the agricultural fields join
        return w / w.sum() * DOSSIERS_PER_SCALE * scale


def _fill_procedures(engine: Engine, *, scale: float, seed: int, now: dt.datetime, log) -> dict[str, int]:
    ctx = _Ctx(now)
    proc_rows = [(p[0], p[1], p[2], p[3], p[4], p[5], p[6]) for p in ref.PROCEDURES]
    with _Bulk(engine) as bulk:
        bulk.clear("dossiers")
        bulk.clear("procedures")
        bulk.insert("procedures", ("code", "name_vi", "name_en", "field", "unit_code", "legal_days",
                                   "service_level"), proc_rows)

    rng = np.random.default_rng(seed)
    counts = rng.poisson(ctx.daily_expectation(scale))
    # chunks of whole days, each at most CHUNK_ROWS dossiers
    bounds, start, acc = [], 0, 0
    for i, c in enumerate(counts):
        if acc and acc + c > CHUNK_ROWS:
            bounds.append((start, i))
            start, acc = i, 0
        acc += int(c)
    bounds.append((start, len(counts)))

    total = 0
    _drop_indexes(engine, schema.dossiers)
    with _Bulk(engine) as bulk:
        for k, (a, b) in enumerate(bounds):
            rows, n = _dossier_chunk(rng, ctx, ctx.days[a:b], counts[a:b])
            bulk.insert("dossiers", DOSSIER_COLUMNS, rows, plain=True)
            if total // 1_000_000 != (total + n) // 1_000_000:
                log(f"demo: dossiers up to {ctx.days[b - 1]}: {total + n:,}")
            total += n
    _create_indexes(engine, schema.dossiers)
    return {"procedures": len(proc_rows), "dossiers": total}


def _dossier_chunk(rng: np.random.Generator, ctx: _Ctx, days: np.ndarray, counts: np.ndarray):
    """The dossiers received on `days` (`counts` per day), as rows of plain values."""
    n = int(counts.sum())
    day = np.repeat(days, counts)
    wd = (day.astype(np.int64) + 3) % 7
    holiday = np.isin(day, ctx.holidays)
    quiet = (wd == 6) | holiday                   # Sundays and public holidays: online only
    saturday = (wd == 5) & ~holiday
    t = (day - ctx.day0).astype(np.int64) / ctx.span

    after = day >= ctx.merger
    proc = np.empty(n, dtype=np.int64)
    for side, p_all, p_online in ((~after, ctx.p_all[0], ctx.p_online[0]), (after, ctx.p_all[1], ctx.p_online[1])):
        ns = int(side.sum())
        if ns:
            proc[side] = rng.choice(len(ctx.proc_codes), size=ns, p=p_all)
        sq = side & quiet
        nq = int(sq.sum())
        if nq:
            proc[sq] = rng.choice(len(ctx.proc_codes), size=nq, p=p_online)
    level = ctx.level[proc]

    # channel: online share rising ~35% -> ~70%, never for offline procedures; ~4% postal
    base = 0.33 + 0.36 * t
    p_online = np.where(level == 0, np.minimum(0.97, base * 1.3), np.where(level == 1, base * 0.8, 0.0))
    u = rng.random(n)
    channel = np.where(u < p_online, 0, np.where(u < p_online + 0.04, 2, 1))
    channel[quiet] = 0
    to_online = saturday & (channel != 0) & (level != 2) & (rng.random(n) < 0.6)
    channel[to_online] = 0
    online = channel == 0

    # time of receipt
    hour = rng.choice(24, size=n, p=ctx.h_office)
    n_on = int(online.sum())
    hour[online] = rng.choice(24, size=n_on, p=ctx.h_online)
    sat_counter = saturday & ~online
    hour[sat_counter] = rng.integers(7, 11, size=int(sat_counter.sum()))
    received = day.astype("datetime64[s]") + (hour * 3600 + rng.integers(0, 3600, size=n)).astype("timedelta64[s]")

    keep = received <= ctx.now64                  # today: only what has arrived by now
    if not keep.all():
        day, t, proc, level, channel, online, received, after = (
            x[keep] for x in (day, t, proc, level, channel, online, received, after))
        n = int(keep.sum())
    unit = np.where(after, ctx.proc_unit_after[proc], ctx.proc_unit_before[proc])   # the code valid that day

    # deadline: legal working days (+ the supplement pause) at 17:00
    supplement = rng.random(n) < 0.08
    extra = np.where(supplement, rng.integers(3, 16, size=n), 0)
    workdays = ctx.legal[proc] + extra
    due_day = np.busday_offset(day, workdays, roll="forward", busdaycal=ctx.cal)
    due = due_day.astype("datetime64[s]") + 17 * HOUR

    # outcome
    month = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    p_late = 1.0 - ctx.unit_on_time[unit]
    p_late = np.where(month >= 11, p_late * 1.5, p_late)       # year-end rush
    late = rng.random(n) < p_late
    k = np.minimum(np.floor(rng.beta(2.2, 1.4, size=n) * (workdays + 1)).astype(np.int64), workdays)
    fin_day = np.busday_offset(day, k, roll="forward", busdaycal=ctx.cal)
    finish = fin_day.astype("datetime64[s]") + rng.integers(8 * 3600, 17 * 3600, size=n).astype("timedelta64[s]")
    finish = np.maximum(finish, received + rng.integers(20 * 60, 4 * 3600, size=n).astype("timedelta64[s]"))
    finish = np.minimum(finish, due)
    exact = ~late & (rng.random(n) < 0.004)                     # returned at the deadline, to the second
    finish[exact] = due[exact]
    late_days = np.minimum(1 + rng.geometric(0.16, size=n), 17)
    late_day = np.busday_offset(due_day, late_days, roll="forward", busdaycal=ctx.cal)
    late_finish = late_day.astype("datetime64[s]") + rng.integers(8 * 3600, 17 * 3600 + 1800, size=n).astype("timedelta64[s]")
    late_finish = np.minimum(late_finish, due + 25 * DAY_S)
    finish = np.where(late, late_finish, finish)
    # a tail of dossiers stuck in the struggling units (still pending, overdue)
    recent = received > ctx.now64 - 150 * DAY_S
    stuck = ctx.struggling[unit] & recent & (rng.random(n) < 0.03)
    finish[stuck] = NEVER
    # withdrawals
    withdrawn = rng.random(n) < 0.015
    frac = rng.uniform(0.05, 0.7, size=n)
    w_time = received + ((due - received).astype(np.int64) * frac).astype("timedelta64[s]")
    finish = np.where(withdrawn, w_time, finish)

    closed = finish <= ctx.now64
    rejected = rng.random(n) < 0.03
    pending_status = np.where(supplement & (rng.random(n) < 0.55), 1, 0)
    status = np.where(~closed, pending_status, np.where(withdrawn, 4, np.where(rejected, 3, 2)))

    # rating: ~35% of finished dossiers, worse when late or rejected
    rated = closed & ~withdrawn & (rng.random(n) < 0.35)
    group = np.where(status == 3, 2, np.where(finish > due, 1, 0))
    rating = 1 + (rng.random(n)[:, None] > ctx.rating_cum[group]).sum(axis=1)
    rating = np.minimum(rating, 5)

    cu = rng.random(n)
    citizen = ctx.citizen[proc]
    applicant = np.where(cu < citizen, 0, np.where(cu < citizen + (1 - citizen) * 0.8, 1, 2))
    digitized = rng.random(n) < np.minimum(0.99, 0.74 + 0.16 * t + 0.02 * online)
    synced = rng.random(n) < ctx.unit_synced[unit]
    tier = (rng.random(n) * ctx.fee_tiers[proc]).astype(np.int64)
    fee = ctx.fee_table[proc, tier]
    p_pay = np.where(online, 0.40 + 0.45 * t, 0.08 + 0.25 * t)
    paid = (fee > 0) & (rng.random(n) < p_pay)

    # dossier numbers: UNIT-yymmdd-seq, seq per unit and day in order of receipt
    order = np.lexsort((received, unit, day))
    day, proc, unit, received, due, finish, status, channel, applicant, digitized, synced, fee, paid, rating, rated, closed = (
        x[order] for x in (day, proc, unit, received, due, finish, status, channel, applicant,
                           digitized, synced, fee, paid, rating, rated, closed))
    key = day.astype(np.int64) * 64 + unit
    idx = np.arange(n)
    first = np.ones(n, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    seq = idx - np.maximum.accumulate(np.where(first, idx, 0)) + 1
    unit_code = ctx.unit_codes[unit].tolist()
    day_s = np.datetime_as_string(day)
    ids = [f"{u}-{d[2:4]}{d[5:7]}{d[8:10]}-{s:05d}" for u, d, s in zip(unit_code, day_s.tolist(), seq.tolist())]

    def ts(a: np.ndarray) -> list[str]:
        return [s.replace("T", " ") for s in np.datetime_as_string(a, unit="s").tolist()]

    finished_at = [s if c else None for s, c in zip(ts(np.where(closed, finish, received)), closed.tolist())]
    ratings = [r if ok else None for r, ok in zip(rating.tolist(), rated.tolist())]
    rows = zip(
        ids, ctx.proc_codes[proc].tolist(), unit_code, ts(received), ts(due), finished_at,
        STATUSES[status].tolist(), CHANNELS[channel].tolist(), APPLICANTS[applicant].tolist(),
        digitized.astype(np.int8).tolist(), synced.astype(np.int8).tolist(), fee.tolist(),
        paid.astype(np.int8).tolist(), ratings,
    )
    return rows, n


# --- tasks ----------------------------------------------------------------------------
_LEGAL_TEMPLATES = (
    ("Xây dựng Nghị định quy định chi tiết một số điều của {law_vi}",
     "Draft the decree detailing certain articles of {law_en}"),
    ("Xây dựng Nghị định sửa đổi, bổ sung một số điều của các nghị định quy định chi tiết {law_vi}",
     "Draft the decree amending the decrees that detail {law_en}"),
    ("Tổng kết thi hành {law_vi}, đề xuất xây dựng Luật sửa đổi, bổ sung",
     "Review the implementation of {law_en} and propose amendments"),
    ("Xây dựng Thông tư quy định kỹ thuật về {topic_vi}",
     "Draft the circular on technical rules for {topic_en}"),
    ("Xây dựng Thông tư ban hành Quy chuẩn kỹ thuật quốc gia về {topic_vi}",
     "Draft the circular issuing the national technical regulation on {topic_en}"),
    ("Xây dựng Quyết định của Thủ tướng Chính phủ về {topic_vi}",
     "Draft the Prime Minister's decision on {topic_en}"),
    ("Rà soát, sửa đổi các văn bản quy phạm pháp luật về {topic_vi}",
     "Review and amend the legal documents on {topic_en}"),
)
_SCHEME_TEMPLATES = (
    ("Xây dựng, trình Thủ tướng Chính phủ phê duyệt {s_vi}", "Prepare {s_en} for the Prime Minister's approval"),
    ("Tổ chức triển khai {s_vi}", "Implement {s_en}"),
    ("Sơ kết, đánh giá kết quả thực hiện {s_vi}", "Review the results of {s_en}"),
    ("Hoàn thiện {s_vi} theo ý kiến của Thường trực Chính phủ",
     "Finalise {s_en} following the Government Standing Committee's comments"),
)
_REPORT_TEMPLATES = (
    ("Báo cáo tình hình thực hiện Nghị quyết 01/NQ-CP tháng {m}/{y}",
     "Report on the implementation of Resolution 01/NQ-CP, {month_en} {y}", "KHTC"),
    ("Báo cáo kết quả thực hiện nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao quý {q_vi}/{y}",
     "Report on the tasks assigned by the Government and the Prime Minister, Q{q} {y}", "VP"),
    ("Báo cáo tình hình {topic_vi} {period_vi}",
     "Report on {topic_en} {period_en}", None),
    ("Báo cáo giải trình kiến nghị của Kiểm toán Nhà nước về {topic_vi}",
     "Respond to the State Audit's recommendations on {topic_en}", "KHTC"),
    ("Báo cáo công tác cải cách hành chính quý {q_vi}/{y}",
     "Report on administrative reform, Q{q} {y}", "VP"),
    ("Báo cáo công tác thanh tra, giải quyết khiếu nại, tố cáo quý {q_vi}/{y}",
     "Report on inspections, complaints and denunciations, Q{q} {y}", "TTR"),
    ("Báo cáo công tác tổ chức cán bộ, biên chế {period_vi}",
     "Report on organisation, personnel and staffing {period_en}", "TCCB"),
    ("Báo cáo tình hình hạn hán, thiếu nước, xâm nhập mặn vùng Đồng bằng sông Cửu Long",
     "Report on drought, water shortage and salinity intrusion in the Mekong Delta", "QLTNN"),
    ("Báo cáo kết quả thực hiện các cam kết quốc tế về {topic_vi}",
     "Report on international commitments on {topic_en}", "HTQT"),
    ("Báo cáo kết quả hoạt động khoa học và công nghệ {period_vi}",
     "Report on science and technology activities {period_en}", "KHCN"),
    ("Báo cáo Thủ tướng Chính phủ về {topic_vi} tại tỉnh {prov}",
     "Report to the Prime Minister on {topic_en} in {prov} province", None),
    ("Báo cáo tình hình giải ngân vốn đầu tư công tháng {m}/{y}",
     "Report on public investment disbursement, {month_en} {y}", "KHTC"),
)
_OTHER_TEMPLATES = (
    ("Trả lời kiến nghị của cử tri tỉnh {prov} về {topic_vi}",
     "Reply to voters' petitions from {prov} province on {topic_en}", None),
    ("Xử lý vướng mắc về {topic_vi} tại tỉnh {prov}",
     "Resolve obstacles regarding {topic_en} in {prov} province", None),
    ("Kiểm tra, đôn đốc công tác {topic_vi} tại tỉnh {prov}",
     "Inspect and expedite {topic_en} in {prov} province", None),
    ("Góp ý dự thảo văn bản của {min_vi} liên quan đến {topic_vi}",
     "Comment on the draft by {min_en} concerning {topic_en}", None),
    ("Tổ chức Hội nghị toàn quốc về {topic_vi}",
     "Organise the national conference on {topic_en}", None),
    ("Chuẩn bị nội dung làm việc với Đoàn giám sát của Quốc hội về {topic_vi}",
     "Prepare for the National Assembly supervision delegation on {topic_en}", None),
    ("Thanh tra việc chấp hành pháp luật về {topic_vi} tại tỉnh {prov}",
     "Inspect compliance with the law on {topic_en} in {prov} province", "TTR"),
    ("Rà soát, kiện toàn tổ chức bộ máy theo yêu cầu sắp xếp, tinh gọn",
     "Review and streamline the organisational structure", "TCCB"),
)
# how often each template is used (monthly and topic reports are the most common)
_REPORT_WEIGHTS = (14, 8, 16, 5, 6, 4, 3, 4, 5, 3, 18, 10)
_OTHER_WEIGHTS = (20, 20, 14, 16, 8, 10, 6, 3)
_MINISTRIES = (
    ("Bộ Tài chính", "the Ministry of Finance"),
    ("Bộ Kế hoạch và Đầu tư", "the Ministry of Planning and Investment"),
    ("Bộ Công Thương", "the Ministry of Industry and Trade"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "the Ministry of Agriculture and Rural Development"),
    ("Bộ Xây dựng", "the Ministry of Construction"),
    ("Bộ Giao thông vận tải", "the Ministry of Transport"),
)
# From the merger on (Resolution 176/2025/QH15 reorganised the Government the same day).
_MINISTRIES_AFTER = (
    ("Bộ Tài chính", "the Ministry of Finance"),
    ("Bộ Công Thương", "the Ministry of Industry and Trade"),
    ("Bộ Xây dựng", "the Ministry of Construction"),
    ("Bộ Khoa học và Công nghệ", "the Ministry of Science and Technology"),
    ("Bộ Nội vụ", "the Ministry of Home Affairs"),
    ("Bộ Y tế", "the Ministry of Health"),
)


def _doc_no(rnd: random.Random, day: dt.date, yearly: int) -> int:
    """A document number plausible for the day of the year (numbers grow through the year)."""
    share = day.timetuple().tm_yday / 366
    return max(1, int(yearly * share * rnd.uniform(0.85, 1.1)))


def _task_ref(rnd: random.Random, source: str, day: dt.date, nq01: bool) -> tuple[str, str]:
    """(ref, assigned_by) for a task from `source` assigned on `day`."""
    if source == "government":
        if nq01:
            return "01/NQ-CP", "Chính phủ"
        r = rnd.random()
        if r < 0.55:
            return f"{_doc_no(rnd, day, 560)}/TB-VPCP", rnd.choice(("Thủ tướng Chính phủ", "Phó Thủ tướng Chính phủ"))
        return f"{_doc_no(rnd, day, 230):02d}/NQ-CP", "Chính phủ"
    if source == "prime_minister":
        r = rnd.random()
        by = rnd.choice(ref.ASSIGNERS["prime_minister"])
        if r < 0.2:
            return f"{_doc_no(rnd, day, 40):02d}/CT-TTg", "Thủ tướng Chính phủ"
        if r < 0.5:
            return f"{_doc_no(rnd, day, 1700)}/QĐ-TTg", by
        if r < 0.6:
            return f"{_doc_no(rnd, day, 300)}/CĐ-TTg", "Thủ tướng Chính phủ"
        return f"{_doc_no(rnd, day, 9800)}/VPCP-{rnd.choice(ref.VPCP_DEPTS)}", by
    if source == "ministry_leaders":
        by = rnd.choice(ref.ASSIGNERS["ministry_leaders"])
        ministry = ref.ministry_on(day)
        if rnd.random() < 0.5:
            return f"{_doc_no(rnd, day, 420)}/TB-{ministry}", by
        return f"Phiếu giao việc {_doc_no(rnd, day, 260)}/PGV-{ministry}", by
    r = rnd.random()
    if r < 0.4:
        return f"{_doc_no(rnd, day, 900)}/BDN", "Ủy ban Thường vụ Quốc hội"
    if r < 0.7:
        return f"{_doc_no(rnd, day, 600)}/KTNN-TH", "Kiểm toán Nhà nước"
    return f"{_doc_no(rnd, day, 120)}-KL/TW", "Ban Chỉ đạo Trung ương"


def _workday_on_or_before(d: dt.date, holidays: set[dt.date]) -> dt.date:
    while d.weekday() >= 5 or d in holidays:
        d -= dt.timedelta(days=1)
    return d


def _workday_on_or_after(d: dt.date, holidays: set[dt.date]) -> dt.date:
    while d.weekday() >= 5 or d in holidays:
        d += dt.timedelta(days=1)
    return d


def _at_work_hours(rnd: random.Random, d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(8)) + dt.timedelta(seconds=rnd.randint(0, 9 * 3600 + 1800))


def _between(rnd: random.Random, a: dt.datetime, b: dt.datetime) -> dt.datetime:
    span = max(0, int((b - a).total_seconds()))
    return a + dt.timedelta(seconds=rnd.randint(0, span))


def _task_title(rnd: random.Random, category: str, day: dt.date) -> tuple[str, str, str, bool]:
    """(title_vi, title_en, lead unit, is a Resolution 01 report); the lead unit is a unit
    valid on `day`."""
    title_vi, title_en, unit, nq01 = _task_title_as_planned(rnd, category, day)
    return title_vi, title_en, ref.unit_on(unit, day), nq01


def _task_title_as_planned(rnd: random.Random, category: str, day: dt.date) -> tuple[str, str, str, bool]:
    after = day >= ref.MERGER
    topic_vi, topic_en, topic_unit = rnd.choice(ref.TOPICS + ref.AGRICULTURE_TOPICS if after else ref.TOPICS)
    prov = rnd.choice(ref.PROVINCES)
    month = day.month
    y = day.year
    period_vi, period_en = (
        (f"năm {y - 1}", f"in {y - 1}") if month <= 3 else
        (f"quý I/{y}", f"in the first quarter of {y}") if month <= 6 else
        (f"6 tháng đầu năm {y}", f"in the first half of {y}") if month <= 9 else
        (f"9 tháng năm {y}", f"in the first nine months of {y}"))
    fields = dict(topic_vi=topic_vi, topic_en=topic_en, prov=prov, y=y, m=month,
                  month_en=ref.MONTHS_EN[month - 1], q=(month - 1) // 3 + 1,
                  q_vi=ref.ROMAN[(month - 1) // 3],
                  period_vi=period_vi, period_en=period_en)
    if category == "legal_document":
        law_vi, law_en, law_unit = rnd.choice(ref.LAWS + ref.AGRICULTURE_LAWS if after else ref.LAWS)
        i = rnd.randrange(len(_LEGAL_TEMPLATES))
        vi, en = _LEGAL_TEMPLATES[i]
        unit = law_unit if i < 3 else topic_unit
        if unit in ref.TASK_SPOTLESS or rnd.random() < 0.35:
            unit = "PC"
        return (vi.format(law_vi=law_vi, law_en=law_en, **fields),
                en.format(law_vi=law_vi, law_en=law_en, **fields), unit, False)
    if category == "scheme":
        s_vi, s_en, unit = rnd.choice(ref.SCHEMES + ref.AGRICULTURE_SCHEMES if after else ref.SCHEMES)
        vi, en = rnd.choice(_SCHEME_TEMPLATES)
        return vi.format(s_vi=s_vi), en.format(s_en=s_en), unit, False
    if category == "report":
        i = rnd.choices(range(len(_REPORT_TEMPLATES)), _REPORT_WEIGHTS)[0]
        vi, en, unit = _REPORT_TEMPLATES[i]
        return vi.format(**fields), en.format(**fields), unit or topic_unit, i == 0
    vi, en, unit = rnd.choices(_OTHER_TEMPLATES, _OTHER_WEIGHTS)[0]
    min_vi, min_en = rnd.choice(_MINISTRIES_AFTER if after else _MINISTRIES)
    return (vi.format(min_vi=min_vi, **fields), en.format(min_en=min_en, **fields),
            unit or topic_unit, False)


def _generate_tasks(seed: int, now: dt.datetime) -> tuple[list[tuple], list[tuple]]:
    rnd = random.Random(f"tasks-{seed}")
    first = _years_before(now.date(), 3)
    holidays = set(ref.public_holidays(first.year - 1, now.year + 2))
    workdays = [first + dt.timedelta(days=i) for i in range((now.date() - first).days)]
    workdays = [d for d in workdays if d.weekday() < 5 and d not in holidays]
    weights = [1.25 if d.month in (11, 12) else 0.8 if d.month == 2 else 1.0 for d in workdays]
    years = (now.date() - first).days / 365.25
    n = int(round(TASKS_PER_YEAR * years * rnd.uniform(0.97, 1.03)))
    assigned = sorted(_at_work_hours(rnd, d) for d in rnd.choices(workdays, weights, k=n))

    sources = ("government", "prime_minister", "ministry_leaders", "other")
    categories = ("legal_document", "scheme", "report", "other")
    due_days = {
        "legal_document": (60, 90, 120, 150, 180, 180, 240, 300),
        "scheme": (30, 60, 90, 120, 150, 180, 180, 270, 365),
        "report": (7, 10, 15, 15, 20, 30, 30, 45, 60),
        "other": (10, 15, 20, 30, 30, 45, 60, 90),
    }
    tasks, updates = [], []
    for task_id, assigned_at in enumerate(assigned, start=1):
        category = rnd.choices(categories, (15, 22, 38, 25))[0]
        source = rnd.choices(sources, (20, 35, 38, 7))[0]
        title_vi, title_en, unit, nq01 = _task_title(rnd, category, assigned_at.date())
        if nq01:
            source = "government"
        task_ref, assigned_by = _task_ref(rnd, source, assigned_at.date(), nq01)
        days = rnd.choice(due_days[category])
        no_deadline = rnd.random() < 0.05
        due_date = None if no_deadline else _workday_on_or_before(
            assigned_at.date() + dt.timedelta(days=days), holidays)
        if due_date is not None and due_date < assigned_at.date():
            due_date = assigned_at.date()
        urgent = rnd.random() < (0.2 if days <= 15 else 0.07)
        cancelled = rnd.random() < 0.02

        # when it gets done
        if unit in ref.TASK_SPOTLESS:
            p_on_time = 1.0
        elif unit in ref.TASK_STRUGGLING:
            p_on_time = 0.62
        else:
            p_on_time = 0.9 - (0.07 if category == "legal_document" else 0.0)
        completed: dt.datetime | None
        if due_date is None:
            completed = (None if rnd.random() < 0.2 else _at_work_hours(
                rnd, _workday_on_or_after(assigned_at.date() + dt.timedelta(days=rnd.randint(20, 200)), holidays)))
        elif rnd.random() < p_on_time:
            span = (due_date - assigned_at.date()).days
            # many tasks are finished in the last days before the deadline
            frac = rnd.uniform(0.85, 1.0) if rnd.random() < 0.4 else rnd.betavariate(3, 1.6)
            d = assigned_at.date() + dt.timedelta(days=int(span * frac))
            completed = _at_work_hours(rnd, _workday_on_or_before(d, holidays))
            if completed <= assigned_at:
                completed = assigned_at + dt.timedelta(hours=rnd.randint(2, 30))
        elif unit in ref.TASK_STRUGGLING and rnd.random() < 0.2:
            completed = None                                   # long overdue
        else:
            late = 1 + int(rnd.expovariate(1 / 18))
            completed = _at_work_hours(rnd, _workday_on_or_after(
                due_date + dt.timedelta(days=min(late, 150)), holidays))
        if completed is not None and completed > now:
            completed = None

        end = now
        if cancelled:
            completed = None
            end = min(now, assigned_at + dt.timedelta(days=rnd.randint(10, 120)))
        elif completed is not None:
            end = completed
        else:                                   # open: last report within the last weeks
            end = _between(rnd, max(assigned_at, now - dt.timedelta(days=21)), now)

        # last reported progress
        if completed is not None:
            progress = 100
        elif cancelled:
            progress = 5 * rnd.randint(0, 12)
        else:
            horizon = ((due_date - assigned_at.date()).days if due_date else 120) or 1
            elapsed = (now - assigned_at).total_seconds() / 86400
            if due_date is not None and due_date < now.date():
                progress = 5 * rnd.randint(10, 19)
            else:
                progress = 5 * max(1, min(19, int(elapsed / horizon * 20 * rnd.uniform(0.6, 1.0))))

        # progress reports, the last one at `end`
        n_updates = rnd.randint(1, 5 if (end - assigned_at).days > 20 else 2)
        lo = min(assigned_at + dt.timedelta(minutes=30), end)
        times = sorted(_between(rnd, lo, end) for _ in range(n_updates - 1))
        times.append(end)
        times = [max(t, assigned_at) for t in times]
        steps = sorted(rnd.uniform(0.15, 0.95) for _ in range(n_updates - 1))
        for i, when in enumerate(times):
            pct = progress if i == n_updates - 1 else 5 * int(progress * steps[i] / 5)
            if cancelled and i == n_updates - 1:
                note = ref.CANCEL_NOTE
            else:
                stage = 3 if pct == 100 else 2 if pct >= 70 else 1 if pct >= 30 else 0
                note = rnd.choice(ref.TASK_NOTES[stage])
            updates.append((len(updates) + 1, task_id, when, pct, note))
        updated_at = max(times[-1], completed or assigned_at, assigned_at)
        tasks.append((task_id, task_ref, title_vi, title_en, source, category, unit, assigned_by,
                      assigned_at, due_date, completed, cancelled, progress,
                      "urgent" if urgent else "normal", updated_at))
    return tasks, updates


def _fill_tasks(engine: Engine, *, seed: int, now: dt.datetime) -> dict[str, int]:
    tasks, updates = _generate_tasks(seed, now)
    with _Bulk(engine) as bulk:
        bulk.clear("task_updates")
        bulk.clear("tasks")
        bulk.insert("tasks", ("id", "ref", "title_vi", "title_en", "source", "category", "lead_unit_code",
                              "assigned_by", "assigned_at", "due_date", "completed_at", "cancelled",
                              "progress_pct", "priority", "updated_at"), tasks)
        bulk.insert("task_updates", ("id", "task_id", "reported_at", "progress_pct", "note"), updates)
    return {"tasks": len(tasks), "task_updates": len(updates)}


# --- emulation ------------------------------------------------------------------------
def _person(rnd: random.Random) -> str:
    if rnd.random() < 0.5:
        return f"{rnd.choice(ref.FAMILY_NAMES)} {rnd.choice(ref.MIDDLE_FEMALE)} {rnd.choice(ref.GIVEN_FEMALE)}"
    return f"{rnd.choice(ref.FAMILY_NAMES)} {rnd.choice(ref.MIDDLE_MALE)} {rnd.choice(ref.GIVEN_MALE)}"


def _generate_emulation(seed: int, now: dt.datetime) -> dict[str, list[tuple]]:
    """Movements of the last three years. A movement of a year before the merger's has
    the former ministry's blocks and units, one of the merger's year or later the new
    ministry's; awards are decided on the units of the movement they close, under the
    ministry of the day of the decision."""
    rnd = random.Random(f"emulation-{seed}")
    out: dict[str, list[tuple]] = {k: [] for k in ("movements", "blocks", "block_members", "criteria",
                                                   "evaluations", "awards")}
    years = list(range(now.year - 2, now.year + 1))
    movement_of: dict[int, int] = {}
    criterion_id = 0
    # each unit's standing: most do well, the struggling ones less so
    quality = {u: rnd.uniform(0.8, 0.96) for u in ref.UNIT_CODES}
    for u in ref.STRUGGLING_UNITS:
        quality[u] = rnd.uniform(0.68, 0.78)
    quality[ref.TIED_UNITS[1]] = quality[ref.TIED_UNITS[0]]

    def units_of(year: int) -> list[str]:
        return [u for block in ref.blocks_of(year) for u in block]

    block_id = 0
    for m_id, year in enumerate(years, start=1):
        movement_of[year] = m_id
        theme_vi, theme_en = ref.THEMES.get(year, ref.FALLBACK_THEME)
        ministry = ref.UNIT_ROWS[1] if year >= ref.MERGER.year else ref.UNIT_ROWS[0]
        out["movements"].append((
            m_id, year,
            f"Phong trào thi đua năm {year} của {ministry[1]}",
            f"The {year} emulation movement of the {ministry[2]}",
            theme_vi, theme_en, dt.date(year, 1, 1), dt.date(year, 12, 31)))
        for b, members in enumerate(ref.blocks_of(year)):
            block_id += 1
            out["blocks"].append((block_id, m_id, f"Khối thi đua {ref.ROMAN[b]}", f"Emulation block {ref.ROMAN[b]}"))
            out["block_members"].extend((block_id, u) for u in members)
        hand: list[tuple[int, float]] = []
        for content_no, name_vi, name_en, max_points, metric in ref.CRITERIA:
            criterion_id += 1
            out["criteria"].append((criterion_id, m_id, content_no, name_vi, name_en, float(max_points), metric))
            if metric is None:
                hand.append((criterion_id, float(max_points)))

        # hand-given points: H1 once the first half is over, FY once the year is
        periods = []
        if now >= dt.datetime(year, 7, 1):
            periods.append(("H1", dt.datetime(year, 7, rnd.randint(8, 24), rnd.randint(8, 16), rnd.choice((0, 15, 30, 45)))))
        if now >= dt.datetime(year + 1, 1, 1):
            planned = (dt.datetime(year, 12, rnd.randint(18, 29), rnd.randint(8, 16), 0) if rnd.random() < 0.5
                       else dt.datetime(year + 1, 1, rnd.randint(6, 16), rnd.randint(8, 16), 30))
            periods.append(("FY", planned))
        members = units_of(year)
        for period, planned in periods:
            evaluated_at = min(planned, now)
            drift = {u: rnd.gauss(0, 0.03) for u in members}
            drift[ref.TIED_UNITS[1]] = drift[ref.TIED_UNITS[0]]
            points_of: dict[tuple[str, int], float] = {}
            for u in members:
                for c_id, max_points in hand:
                    if u == ref.TIED_UNITS[1]:
                        points_of[(u, c_id)] = points_of[(ref.TIED_UNITS[0], c_id)]
                        continue
                    share = min(1.0, max(0.6, quality[u] + drift[u] + rnd.gauss(0, 0.05)))
                    points_of[(u, c_id)] = min(max_points, max(math.ceil(max_points * 0.6 * 4),
                                                               round(max_points * share * 4)) / 4)
            # a couple of units without a row for one criterion
            candidates = [k for k in points_of if k[0] not in ref.TIED_UNITS]
            for key in rnd.sample(candidates, 2):
                del points_of[key]
            for (u, c_id), pts in points_of.items():
                out["evaluations"].append((m_id, u, c_id, period, pts, evaluated_at))

    # awards: year-end results decided in January, mid-year commendations in July
    award_id = 0

    def add(movement_id, unit, kind, name, title, decision, day):
        nonlocal award_id
        award_id += 1
        out["awards"].append((award_id, movement_id, unit, kind, name, title, decision, day))

    def section(unit: str) -> str:
        return f"{rnd.choice(ref.SECTIONS)}, {ref.UNIT_NAME_VI[unit]}"

    for year in years:
        jan = dt.date(year, 1, rnd.randint(8, 24))
        if jan <= now.date():
            m_id = movement_of.get(year - 1)
            blocks = ref.blocks_of(year - 1)
            units = units_of(year - 1)
            ranked = sorted(units, key=lambda u: -quality[u])
            staff_weights = [ref.UNIT_STAFF[u] for u in units]
            numbers = iter(sorted(rnd.sample(range(20, 320), 8)))
            ministry = ref.ministry_on(jan)
            no = lambda: f"{next(numbers)}/QĐ-{ministry}"  # noqa: E731
            flags = [blocks[b][0] if rnd.random() < 0.3 else max(blocks[b], key=lambda u: quality[u])
                     for b in rnd.sample(range(len(blocks)), 4)]
            decision = no()
            for u in dict.fromkeys(flags):
                add(m_id, u, "collective", ref.UNIT_NAME_VI[u], "emulation_flag", decision, jan)
            decision = no()
            excellent = ranked[:rnd.randint(9, 12)]
            for u in excellent:
                add(m_id, u, "collective", ref.UNIT_NAME_VI[u], "excellent_collective", decision, jan)
            for u in rnd.sample(excellent, 4):
                add(m_id, u, "collective", section(u), "excellent_collective", decision, jan)
            decision = no()
            for u in ranked[len(excellent):]:
                if u not in ref.STRUGGLING_UNITS or rnd.random() < 0.5:
                    add(m_id, u, "collective", ref.UNIT_NAME_VI[u], "advanced_collective", decision, jan)
            for u in rnd.choices(units, staff_weights, k=rnd.randint(6, 10)):
                add(m_id, u, "collective", section(u), "advanced_collective", decision, jan)
            decision = no()
            for _ in range(rnd.randint(18, 28)):
                u = rnd.choices(units, staff_weights)[0]
                if rnd.random() < 0.4:
                    add(m_id, u, "collective", section(u), "certificate_of_merit", decision, jan)
                else:
                    add(m_id, u, "individual", _person(rnd), "certificate_of_merit", decision, jan)
            decision = no()
            for u in rnd.choices(units, staff_weights, k=rnd.randint(6, 10)):
                add(m_id, u, "individual", _person(rnd), "emulation_fighter", decision, jan)
            # grassroots titles are decided by each unit's head
            for u in units:
                unit_decision = f"{rnd.randint(3, 60)}/QĐ-{u}"
                for _ in range(max(1, round(ref.UNIT_STAFF[u] * rnd.uniform(0.35, 0.6)))):
                    add(m_id, u, "individual", _person(rnd), "grassroots_emulation_fighter", unit_decision, jan)
                for _ in range(round(ref.UNIT_STAFF[u] * rnd.uniform(2.0, 3.0))):
                    add(m_id, u, "individual", _person(rnd), "advanced_worker", unit_decision, jan)
            decision = no()
            for u in rnd.choices(units, staff_weights, k=rnd.randint(2, 4)):
                add(m_id, u, "individual", _person(rnd), "other", decision, jan)
        jul = dt.date(year, 7, rnd.randint(10, 28))
        if jul <= now.date():
            m_id = movement_of.get(year)
            units = units_of(year)
            staff_weights = [ref.UNIT_STAFF[u] for u in units]
            ministry = ref.ministry_on(jul)
            decision = f"{rnd.randint(1400, 2300)}/QĐ-{ministry}"
            for _ in range(rnd.randint(5, 12)):
                u = rnd.choices(units, staff_weights)[0]
                if rnd.random() < 0.3:
                    add(m_id, u, "collective", section(u), "certificate_of_merit", decision, jul)
                else:
                    add(m_id, u, "individual", _person(rnd), "certificate_of_merit", decision, jul)
            decision = f"{rnd.randint(1400, 2300)}/QĐ-{ministry}"
            for u in rnd.choices(units, staff_weights, k=rnd.randint(1, 3)):
                add(m_id, u, "individual", _person(rnd), "other", decision, jul)
    return out


_EMULATION_COLUMNS = {
    "movements": ("id", "year", "name_vi", "name_en", "theme_vi", "theme_en", "start_date", "end_date"),
    "blocks": ("id", "movement_id", "name_vi", "name_en"),
    "block_members": ("block_id", "unit_code"),
    "criteria": ("id", "movement_id", "content_no", "name_vi", "name_en", "max_points", "metric"),
    "evaluations": ("movement_id", "unit_code", "criterion_id", "period", "points", "evaluated_at"),
    "awards": ("id", "movement_id", "unit_code", "recipient_kind", "recipient_name", "title",
               "decision_no", "decided_on"),
}


def _fill_emulation(engine: Engine, *, seed: int, now: dt.datetime) -> dict[str, int]:
    data = _generate_emulation(seed, now)
    with _Bulk(engine) as bulk:
        for name in reversed(list(_EMULATION_COLUMNS)):
            bulk.clear(name)
        for name, columns in _EMULATION_COLUMNS.items():
            bulk.insert(name, columns, data[name])
    return {name: len(rows) for name, rows in data.items()}
