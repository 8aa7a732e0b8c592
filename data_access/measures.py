"""Named measures of the sources' facts, and the one aggregate query per fact family.

A measure is one additive SQL expression over one fact (a count under a condition, or a
sum), named `fact.measure` — `dossiers_finished.on_time`. KPIs are formed from measures
by the catalogue (`config/kpis.toml`); nothing else in the code writes a KPI's SQL. Each
fact family is answered by one `SELECT … GROUP BY` over its window, with every measure a
column read back by its label, so totals, breakdowns and per-unit emulation scores all
come from the same expressions, and rates are formed from exact integers.

The per-dialect details that make boundaries exact (a deadline met to the second, a
day's first midnight, the as-of cut) live in `sqlfn`.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa

from .db import Database
from .model import Period, Scope, cutoff
from .schema import FINISHED_STATUSES
from .schema import dossiers as D
from .schema import procedures as P
from .schema import tasks as T
from .sqlfn import Sql, count_if

DUE_SOON_DAYS = 7
MICROS_PER_DAY = 86_400 * 1_000_000


@dataclass(frozen=True)
class Window:
    """What a fact is asked for: a period cut at `as_of`, or a moment (snapshots)."""

    period: Period
    as_of: dt.datetime

    @property
    def cutoff(self) -> dt.datetime:
        """The period's cut-off, the moment of every figure judged "as of" (all but the
        live tasks due soon, which read `as_of`)."""
        return cutoff(self.period, self.as_of)


@dataclass(frozen=True)
class Fact:
    name: str
    domain: str
    source: str                          # the `Sources` attribute it reads
    measures: tuple[str, ...]
    floats: tuple[str, ...]              # measures that are sums of fractions, not counts
    dimensions: tuple[str, ...]
    # None for the facts answered by `flow_pass` (received and finished dossiers).
    build: Callable[[Sql, tuple[str, ...], Window, Scope, str | None], sa.Select] | None

    def aggregate(self, db: Database, names: tuple[str, ...], window: Window, scope: Scope,
                  by: str | None = None) -> dict[Any, dict[str, float | int]]:
        """`{key: {measure: value}}` for the measures asked (key None without `by`)."""
        if by is not None and by not in self.dimensions:
            return {}
        names = tuple(n for n in self.measures if n in names)
        rows = db.execute(self.build(Sql(db.dialect), names, window, scope, by), limit=None)
        out: dict[Any, dict[str, float | int]] = {}
        for row in rows:
            values = row._mapping
            key = values["key"] if by is not None else None
            out[key] = {n: (float(values[n] or 0) if n in self.floats else int(values[n] or 0)) for n in names}
        if by is None and None not in out:
            out[None] = {n: (0.0 if n in self.floats else 0) for n in names}
        return out


def _select(columns: dict[str, Any], names, where: list, group, source) -> sa.Select:
    cols = [columns[n].label(n) for n in names]
    if group is None:
        return sa.select(*cols).select_from(source).where(*where)
    return sa.select(group.label("key"), *cols).select_from(source).where(*where).group_by(group)


def unit_filter(column, scope: Scope) -> list:
    """The condition that keeps the scope's records: none for the whole ministry, an
    equality for one code, an IN list for a lineage (a short list: index-friendly)."""
    if scope.is_ministry:
        return []
    codes = scope.unit_codes
    if len(codes) == 1:
        return [column == sa.literal(codes[0], sa.String)]
    return [column.in_([sa.literal(code, sa.String) for code in codes])]


def _dossier_scope(scope: Scope) -> list:
    return unit_filter(D.c.unit_code, scope)


# --- dossiers received in P and finished in P: one pass ------------------------------------
# Both facts are answered by one pass over the dossiers received or finished in any of the
# windows asked. Each window contributes two flags (received in it; finished in it with a
# final decision) and each as-of moment one (withdrawn by then); the pass groups by the key
# and the flags, with a few plain counts per group. The flags are computed once per row,
# where conditional aggregates would repeat each window's comparisons in every measure;
# Python then adds up the groups whose flags say a row belongs to a measure. Every row of
# a group shares its flags, so a group is wholly inside or outside each window.
FLOW_FACTS = ("dossiers_received", "dossiers_finished")
_RECEIVED_SHARES = ("online", "digitized", "synced", "with_fee", "paid_online")
_FINISHED_PARTS = ("on_time", "late", "rated", "satisfied", "days_sum")


def _received_conditions(sql: Sql) -> dict[str, Any]:
    """The shares of the received dossiers, by measure name (counted among those kept).
    A fee that is not a number counts as no fee (SQLite text would compare above 0)."""
    has_fee = sql.number(D.c.fee_amount) > 0
    return {"online": D.c.channel == sa.literal("online", sa.String), "digitized": D.c.digitized,
            "synced": D.c.synced_national, "with_fee": has_fee, "paid_online": sa.and_(has_fee, D.c.paid_online)}


def _finished_conditions(sql: Sql) -> dict[str, Any]:
    """The counted parts of the finished dossiers, by measure name."""
    on_time = sql.le_columns(D.c.finished_at, D.c.due_at)
    return {"on_time": on_time, "late": sa.not_(on_time), "rated": D.c.rating.is_not(None),
            "satisfied": D.c.rating >= 4}


def _flow_columns(sql: Sql, received: bool, finished: bool) -> dict[str, Any]:
    columns: dict[str, Any] = {"n": sa.func.count()}
    if received:
        columns.update({s: sql.count_if(c) for s, c in _received_conditions(sql).items()})
    if finished:
        columns.update({s: sql.count_if(c) for s, c in _finished_conditions(sql).items()})
        columns["days_sum"] = sql.elapsed_total(D.c.finished_at, D.c.received_at)
    return columns


def _add(into: dict[str, float | int], fact_name: str, names: tuple[str, ...], got: dict[str, int]) -> None:
    for name in names:
        into[f"{fact_name}.{name}"] = into.get(f"{fact_name}.{name}", 0) + got[name]


def _flow_keys(sql: Sql, by: str | None):
    """(received key, finished key, the rows' source): a month is the month of receipt
    for the received measures and of the decision for the finished ones."""
    if by == "month":
        return sql.month_group(D.c.received_at), sql.month_group(D.c.finished_at), D
    if by == "field":
        return P.c.field, None, D.outerjoin(P, P.c.code == D.c.procedure_code)
    column = {None: None, "unit": D.c.unit_code, "procedure": D.c.procedure_code, "channel": D.c.channel}[by]
    return column, None, D


def windows_share_a_pass(db: Database) -> bool:
    """Whether another window costs `flow_pass` little beside the first (not on SQLite,
    which reads the rows again for each window)."""
    return not Sql(db.dialect).sqlite


def flow_pass(db: Database, wanted: dict[str, tuple[str, ...]], windows: list[Window], scope: Scope,
              by: str | None) -> dict[Window, dict[Any, dict[str, float | int]]]:
    """`{window: {key: {"fact.measure": value}}}` of the received and finished measures in
    `wanted`, for every window.

    PostgreSQL and MariaDB answer both facts in one query grouped by flags. SQLite does
    not: it cannot group on expressions without sorting every row, and parses a timestamp
    (julianday) at a cost that only the rows decided in a window should pay, so it gets
    one query per fact and window, each measure a conditional count, grouped by the key
    alone along its index (testing several windows in each count costs it more than
    reading the rows again)."""
    if Sql(db.dialect).sqlite:
        out: dict[Window, dict[Any, dict[str, float | int]]] = {}
        for window in dict.fromkeys(windows):
            out.update(_flow_conditional(db, wanted, [window], scope, by))
        return out
    return _flow_grouped(db, wanted, windows, scope, by)


def _flow_conditional(db: Database, wanted: dict[str, tuple[str, ...]], windows: list[Window], scope: Scope,
                      by: str | None) -> dict[Window, dict[Any, dict[str, float | int]]]:
    sql = Sql(db.dialect)
    windows = list(dict.fromkeys(windows))
    out: dict[Window, dict[Any, dict[str, float | int]]] = {w: {} for w in windows}
    done = D.c.status.in_([sa.literal(s, sa.String) for s in FINISHED_STATUSES])
    key_r, key_f, source = _flow_keys(sql, by)
    for fact_name in FLOW_FACTS:
        names = wanted.get(fact_name)
        if not names:
            continue
        moment = D.c.received_at if fact_name == "dossiers_received" else D.c.finished_at
        key = key_r if fact_name == "dossiers_received" or key_f is None else key_f
        ranges = [sql.in_window(moment, w.period.start, w.period.end, w.cutoff) for w in windows]
        columns = []
        for i, w in enumerate(windows):
            # One window: its range is the WHERE already, and need not be tested again.
            inside = [] if len(windows) == 1 else [ranges[i]]
            if fact_name == "dossiers_received":
                withdrawn = sa.and_(D.c.status == sa.literal("withdrawn", sa.String), D.c.finished_at.is_not(None),
                                    sql.before_or_at(D.c.finished_at, w.cutoff))
                parts = {"n": count_if(sa.and_(*inside)) if inside else sa.func.count(),
                         "w": count_if(sa.and_(withdrawn, *inside))}
                shares = {s: c for s, c in _received_conditions(sql).items() if s in names}
                parts.update({s: count_if(sa.and_(*inside, c)) for s, c in shares.items()})
                parts.update({f"w_{s}": count_if(sa.and_(withdrawn, *inside, c)) for s, c in shares.items()})
            else:
                # Only the measures asked: each timestamp parsed on SQLite costs a pass's worth.
                fin = sa.and_(done, *inside)
                parts = {"n": count_if(fin), **{p: count_if(sa.and_(fin, c))
                                                for p, c in _finished_conditions(sql).items() if p in names}}
                if "days_sum" in names:
                    parts["days_sum"] = sql.elapsed_total(D.c.finished_at, D.c.received_at, where=fin)
            columns += [c.label(f"{name}_{i}") for name, c in parts.items()]
        query = sa.select(*([key.label("k0")] if key is not None else []), *columns).select_from(source).where(
            sa.or_(*ranges), *_dossier_scope(scope))
        if key is not None:
            query = query.group_by(key)
        for row in db.execute(query, limit=None):
            v = row._mapping
            k = v["k0"] if key is not None else None
            if by == "month":
                k = sql.month_label(k)
            for i, w in enumerate(windows):
                n = int(v[f"n_{i}"] or 0)
                if fact_name == "dossiers_received":
                    withdrawn = int(v[f"w_{i}"] or 0)
                    got = {"received": n, "withdrawn": withdrawn, "kept": n - withdrawn,
                           **{s: int(v[f"{s}_{i}"] or 0) - int(v[f"w_{s}_{i}"] or 0)
                              for s in _RECEIVED_SHARES if s in names}}
                else:
                    got = {"finished": n, **{s: (sql.elapsed_micros(v[f"{s}_{i}"]) if s == "days_sum"
                                                 else int(v[f"{s}_{i}"] or 0)) for s in _FINISHED_PARTS if s in names}}
                if not any(got.values()):
                    continue
                _add(out[w].setdefault(k, {}), fact_name, names, got)
    return _days_exact(out)


def _days_exact(out):
    # Summed in whole microseconds; kept an exact number of days from here on, so that
    # totals over units and the mean are the same on every engine, whatever the order.
    for per_key in out.values():
        for values in per_key.values():
            if "dossiers_finished.days_sum" in values:
                values["dossiers_finished.days_sum"] = Fraction(values["dossiers_finished.days_sum"], MICROS_PER_DAY)
    return out


def _flow_grouped(db: Database, wanted: dict[str, tuple[str, ...]], windows: list[Window], scope: Scope,
              by: str | None) -> dict[Window, dict[Any, dict[str, float | int]]]:
    """PostgreSQL and MariaDB: one query, grouped by the key and the flags."""
    sql = Sql(db.dialect)
    windows = list(dict.fromkeys(windows))
    moments = list(dict.fromkeys(w.cutoff for w in windows))
    received, finished = "dossiers_received" in wanted, "dossiers_finished" in wanted
    done = D.c.status.in_([sa.literal(s, sa.String) for s in FINISHED_STATUSES])
    flags: dict[str, Any] = {}
    reach = []
    for i, w in enumerate(windows):
        if received:
            flags[f"r{i}"] = sql.in_window(D.c.received_at, w.period.start, w.period.end, w.cutoff)
            reach.append(flags[f"r{i}"])
        if finished:
            in_window = sql.in_window(D.c.finished_at, w.period.start, w.period.end, w.cutoff)
            flags[f"f{i}"] = sa.and_(in_window, done)
            reach.append(in_window)
    if received:
        for j, moment in enumerate(moments):
            # Withdrawn means withdrawn as of the cut-off: a later withdrawal still counts in the shares.
            flags[f"w{j}"] = sa.and_(D.c.status == sa.literal("withdrawn", sa.String),
                                     D.c.finished_at.is_not(None), sql.before_or_at(D.c.finished_at, moment))
    key_r, key_f, source = _flow_keys(sql, by)
    groups = [k for k in (key_r, key_f) if k is not None]
    labelled = [*(g.label(f"k{n}") for n, g in enumerate(groups)), *(f.label(name) for name, f in flags.items())]
    columns = [c.label(name) for name, c in _flow_columns(sql, received, finished).items()]
    query = (sa.select(*labelled, *columns).select_from(source)
             .where(sa.or_(*reach), *_dossier_scope(scope))
             .group_by(*groups, *flags.values()))
    rows = db.execute(query, limit=None)

    out: dict[Window, dict[Any, dict[str, float | int]]] = {w: {} for w in windows}
    rec_names = wanted.get("dossiers_received", ())
    fin_names = wanted.get("dossiers_finished", ())
    for row in rows:
        v = row._mapping
        n = int(v["n"] or 0)
        k_r = v["k0"] if groups else None
        k_f = v["k1"] if key_f is not None else k_r
        if by == "month":
            k_r, k_f = sql.month_label(k_r), sql.month_label(k_f)
        for i, w in enumerate(windows):
            if received and v[f"r{i}"]:
                withdrawn = bool(v[f"w{moments.index(w.cutoff)}"])
                kept = 0 if withdrawn else 1
                got = {"received": n, "withdrawn": n - n * kept, "kept": n * kept,
                       **{s: int(v[s] or 0) * kept for s in _RECEIVED_SHARES}}
                _add(out[w].setdefault(k_r, {}), "dossiers_received", rec_names, got)
            if finished and v[f"f{i}"]:
                got = {"finished": n, **{s: (sql.elapsed_micros(v[s]) if s == "days_sum" else int(v[s] or 0))
                                         for s in _FINISHED_PARTS}}
                _add(out[w].setdefault(k_f, {}), "dossiers_finished", fin_names, got)
    return _days_exact(out)


def gather(db: Database, wanted: dict[str, tuple[str, ...]], windows: list[Window], scope: Scope,
           by: str | None) -> dict[Window, dict[Any, dict[str, float | int]]]:
    """`{window: {key: {"fact.measure": value}}}` for the measures wanted of each fact over
    every window: the received and finished dossiers of all the windows in one pass, each
    other fact one GROUP BY per window. A fact without the dimension `by` is left out."""
    windows = list(dict.fromkeys(windows))
    out: dict[Window, dict[Any, dict[str, float | int]]] = {w: {} for w in windows}

    def merge(window: Window, per_key: dict[Any, dict[str, float | int]]) -> None:
        for key, values in per_key.items():
            out[window].setdefault(key, {}).update(values)

    flows = {f: names for f, names in wanted.items()
             if f in FLOW_FACTS and (by is None or by in FACTS[f].dimensions)}
    if flows:
        for window, per_key in flow_pass(db, flows, windows, scope, by).items():
            merge(window, per_key)
    for fact_name, names in wanted.items():
        if fact_name in FLOW_FACTS:
            continue
        fact = FACTS[fact_name]
        for window in windows:
            merge(window, {key: {f"{fact_name}.{n}": v for n, v in values.items()}
                           for key, values in fact.aggregate(db, names, window, scope, by).items()})
    return out


# --- dossiers pending at a moment ----------------------------------------------------------
def _pending(sql: Sql, names, window: Window, scope: Scope, by):
    """Dossiers received by the cut-off and neither finished nor withdrawn at it."""
    moment = window.cutoff
    received_by = [
        sql.before_day(D.c.received_at, moment.date() + dt.timedelta(days=1)),
        sql.before_or_at(D.c.received_at, moment),
        *_dossier_scope(scope),
    ]
    # Two index-friendly halves (still open; closed only after the moment) instead of an
    # OR that would make the planner walk every dossier received before it.
    kept = (D.c.unit_code, D.c.procedure_code, D.c.channel, D.c.due_at)
    still_open = sa.select(*kept).where(D.c.finished_at.is_(None), *received_by)
    # For the whole ministry the finished-after-T range is the selective one; a unit's
    # scope has its own (unit, received_at) index, which must stay usable.
    received = received_by[:2] if not scope.is_ministry else [sql.likely(c) for c in received_by[:2]]
    closed_later = sa.select(*kept).where(
        sql.on_or_after_day(D.c.finished_at, moment.date()), sql.after(D.c.finished_at, moment),
        *received, *received_by[2:]
    )
    open_at = sa.union_all(still_open, closed_later).subquery("open_at_t")
    columns = {
        "pending": sa.func.count(),
        "overdue": count_if(sql.before(open_at.c.due_at, moment)),
    }
    if by == "field":
        group, source = P.c.field, open_at.outerjoin(P, P.c.code == open_at.c.procedure_code)
    else:
        source = open_at
        group = {None: None, "unit": open_at.c.unit_code, "procedure": open_at.c.procedure_code,
                 "channel": open_at.c.channel}[by]
    return _select(columns, names, [], group, source)


def pending_series(db: Database, moments: list[dt.datetime], scope: Scope) -> list[dict[str, int]]:
    """`dossiers_pending` at each of several moments (month ends of a trend) in one pass:
    the rows open at the first moment or received after it."""
    if not moments:
        return []
    if db.dialect == "postgresql" and moments == sorted(moments):
        return _pending_series_bucketed(db, moments, scope)
    return _pending_series_conditional(db, moments, scope)


def _open_in_series(sql: Sql, moments: list[dt.datetime], scope: Scope, kept: tuple):
    first, last = min(moments), max(moments)
    received_by = [
        sql.before_day(D.c.received_at, last.date() + dt.timedelta(days=1)),
        sql.before_or_at(D.c.received_at, last),
        *_dossier_scope(scope),
    ]
    still_open = sa.select(*kept).where(D.c.finished_at.is_(None), *received_by)
    closed_later = sa.select(*kept).where(
        sql.on_or_after_day(D.c.finished_at, first.date()), sql.after(D.c.finished_at, first), *received_by
    )
    return sa.union_all(still_open, closed_later).subquery("open_in_series")


def _pending_series_bucketed(db: Database, moments: list[dt.datetime], scope: Scope) -> list[dict[str, int]]:
    """PostgreSQL: each row's place among the moments (`width_bucket`, one call per
    timestamp) is its group, where a pair of conditional counts per moment would compare
    every row with every moment. With the moments M₀ < M₁ < … (0-based): a row received
    at r is open at Mᵢ when #{M ≤ r - 1 µs} ≤ i (received by Mᵢ) and, finished at f,
    #{M ≤ f - 1 µs} > i (not finished by Mᵢ; never finished counts as past every
    moment); it is overdue there when also #{M ≤ due} ≤ i (due before Mᵢ). Timestamps
    are whole microseconds, so "- 1 µs" turns ≤ into <, exactly."""
    sql = Sql(db.dialect)
    rows = _open_in_series(sql, moments, scope, (D.c.received_at, D.c.finished_at, D.c.due_at))
    thresholds = sa.literal(list(moments), sa.ARRAY(sa.DateTime))
    micro = sa.text("interval '1 microsecond'")
    beyond = len(moments)
    received = sa.func.width_bucket(rows.c.received_at - micro, thresholds).label("rb")
    finished = sa.func.coalesce(sa.func.width_bucket(rows.c.finished_at - micro, thresholds), beyond).label("fb")
    due = sa.func.coalesce(sa.func.width_bucket(rows.c.due_at, thresholds), beyond).label("db")
    query = sa.select(received, finished, due, sa.func.count().label("n")).select_from(rows).group_by(
        sa.text("1"), sa.text("2"), sa.text("3"))
    out = [{"pending": 0, "overdue": 0} for _ in moments]
    for row in db.execute(query, limit=None):
        rb, fb, db_, n = int(row.rb), int(row.fb), int(row.db), int(row.n)
        for i in range(rb, min(fb, beyond)):
            out[i]["pending"] += n
            if db_ <= i:
                out[i]["overdue"] += n
    return out


def _pending_series_conditional(db: Database, moments: list[dt.datetime], scope: Scope) -> list[dict[str, int]]:
    """Each moment a pair of conditional counts over the rows open in the series."""
    sql = Sql(db.dialect)
    rows = _open_in_series(sql, moments, scope, (D.c.received_at, D.c.finished_at, D.c.due_at))
    columns = []
    for i, moment in enumerate(moments):
        open_at = sa.and_(sql.before_or_at(rows.c.received_at, moment),
                          sa.or_(rows.c.finished_at.is_(None), sql.after(rows.c.finished_at, moment)))
        columns.append(count_if(open_at).label(f"pending_{i}"))
        columns.append(count_if(sa.and_(open_at, sql.before(rows.c.due_at, moment))).label(f"overdue_{i}"))
    values = db.execute(sa.select(*columns).select_from(rows), limit=None)[0]._mapping
    return [{"pending": int(values[f"pending_{i}"] or 0), "overdue": int(values[f"overdue_{i}"] or 0)}
            for i in range(len(moments))]


# --- tasks assigned in P, in the four Government categories as of the cut-off ------------------------
def tasks_open_at(sql: Sql, as_of: dt.datetime):
    """Not completed as of T (a completion after T had not happened yet)."""
    return sa.or_(T.c.completed_at.is_(None), sql.after(T.c.completed_at, as_of))


def tasks_scope(scope: Scope) -> list:
    return unit_filter(T.c.lead_unit_code, scope)


def _task_group(sql: Sql, by):
    return {None: None, "unit": T.c.lead_unit_code, "source": T.c.source, "category": T.c.category,
            "month": sql.month_key(T.c.assigned_at) if by == "month" else None}[by]


def _tasks_assigned(sql: Sql, names, window: Window, scope: Scope, by):
    as_of = window.cutoff
    today = sql.date_value(as_of.date())
    due = sql.date_column(T.c.due_date)
    done = sa.and_(T.c.completed_at.is_not(None), sql.before_or_at(T.c.completed_at, as_of))
    still_open = tasks_open_at(sql, as_of)
    done_day = sql.date_of(T.c.completed_at)
    is_legal = T.c.category == sa.literal("legal_document", sa.String)
    columns = {
        "assigned": sa.func.count(),
        "on_time": count_if(sa.and_(done, sa.or_(T.c.due_date.is_(None), done_day <= due))),
        "late": count_if(sa.and_(done, T.c.due_date.is_not(None), done_day > due)),
        "in_progress_on_time": count_if(sa.and_(still_open, sa.or_(T.c.due_date.is_(None), due >= today))),
        "in_progress_overdue": count_if(sa.and_(still_open, T.c.due_date.is_not(None), due < today)),
        "legal_total": count_if(is_legal),
        "legal_done": count_if(sa.and_(is_legal, done)),
    }
    where = [sql.in_window(T.c.assigned_at, window.period.start, window.period.end, as_of),
             sa.not_(T.c.cancelled), *tasks_scope(scope)]
    return _select(columns, names, where, _task_group(sql, by), T)


# --- open tasks due soon, live at T (independent of the period) -----------------------------
def due_within_filter(sql: Sql, as_of: dt.datetime, scope: Scope, days: int) -> list:
    today = as_of.date()
    due = sql.date_column(T.c.due_date)
    return [
        sql.before_or_at(T.c.assigned_at, as_of),
        sa.not_(T.c.cancelled),
        tasks_open_at(sql, as_of),
        T.c.due_date.is_not(None),
        due > sql.date_value(today),
        due <= sql.date_value(today + dt.timedelta(days=days)),
        *tasks_scope(scope),
    ]


def _tasks_due(sql: Sql, names, window: Window, scope: Scope, by):
    columns = {"within_7_days": sa.func.count()}
    where = due_within_filter(sql, window.as_of, scope, DUE_SOON_DAYS)
    return _select(columns, names, where, _task_group(sql, by), T)


FACTS: dict[str, Fact] = {f.name: f for f in (
    Fact("dossiers_received", "procedures", "procedures",
         ("received", "withdrawn", "kept", "online", "digitized", "synced", "with_fee", "paid_online"), (),
         ("unit", "procedure", "field", "channel", "month"), None),
    Fact("dossiers_finished", "procedures", "procedures",
         ("finished", "on_time", "late", "rated", "satisfied", "days_sum"), ("days_sum",),
         ("unit", "procedure", "field", "channel", "month"), None),
    Fact("dossiers_pending", "procedures", "procedures", ("pending", "overdue"), (),
         ("unit", "procedure", "field", "channel"), _pending),
    Fact("tasks_assigned", "tasks", "tasks",
         ("assigned", "on_time", "late", "in_progress_on_time", "in_progress_overdue", "legal_total", "legal_done"), (),
         ("unit", "source", "category", "month"), _tasks_assigned),
    Fact("tasks_due", "tasks", "tasks", ("within_7_days",), (), ("unit",), _tasks_due),
)}

# Emulation figures are not one GROUP BY: they come from the movement's blocks, criteria
# and evaluations (data_access/emulation.py), under these names.
EMULATION_MEASURES = ("participating_units", "unit_score", "awards")


def split(name: str) -> tuple[str, str]:
    fact, _, measure = name.partition(".")
    return fact, measure


def known(name: str) -> bool:
    fact, measure = split(name)
    if fact == "emulation":
        return measure in EMULATION_MEASURES
    return fact in FACTS and measure in FACTS[fact].measures


def domain_of(name: str) -> str:
    fact, _ = split(name)
    return "emulation" if fact == "emulation" else FACTS[fact].domain
