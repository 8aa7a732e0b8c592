"""The pages' door to `data_access`.

- One set of engines per process (`st.cache_resource`).
- Query results cached with a TTL and shared by every session (`st.cache_data`), keyed
  by plain arguments (dates, the as-of minute, the unit code), so fifty screens on the
  same view cost one set of queries a minute.
- A failed source becomes an `Outcome` that names it and carries the last good value,
  marked stale, so the page keeps its figures and never shows a traceback.
"""

from __future__ import annotations

import datetime as dt
import inspect
import threading
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any, Callable

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from data_access import access, emulation, figures, lists, report, settings, tasks
from data_access.db import SourceError, Sources
from data_access.model import Period, Scope, now, previous_window
from data_access.schema import procedures as procedures_table


@st.cache_resource(show_spinner=False)
def sources() -> Sources:
    return Sources.from_settings()


def ensure_demo_data() -> None:
    """Generate the embedded demo databases on first start (no-op once they exist)."""
    if all(settings.is_embedded_demo(s) for s in settings.SOURCE_NAMES):
        from data_access.demo import ensure_demo_data as generate

        generate(log=lambda _msg: None)


def as_of_now() -> dt.datetime:
    """Now, to the minute, so sessions opened within the same minute share cache entries."""
    return now().replace(second=0)


@dataclass(frozen=True)
class Outcome:
    """A query's value; when its source failed, the source's name and the last good
    value (if any) with the moment it was read."""

    value: Any = None
    failed_source: str | None = None
    message: str | None = None
    read_at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.failed_source is None

    @property
    def stale(self) -> bool:
        return not self.ok and self.value is not None


_LAST_GOOD: dict[tuple, tuple[Any, dt.datetime]] = {}
_LAST_GOOD_LOCK = threading.Lock()


def _ttl() -> int:
    return settings.get("cache_ttl_seconds")


PRINCIPAL_KEY = "_principal"


def principal() -> access.Principal | None:
    """The signed-in identity of this session, set by app.py from the user store."""
    return st.session_state.get(PRINCIPAL_KEY)


def live(fn: Callable | None = None, *, level: str = access.AGGREGATE) -> Callable[..., Outcome]:
    """Cache `fn` for every session and turn a failing source into a named Outcome.

    The signed-in identity must be permitted `level` (`access.ROWS` for lists of
    individual records, `access.ADMIN` for the sources' health), else the Outcome is a
    refusal. A `unit` argument is first resolved by `data_access.access` against that
    identity, so a unit head's queries are their unit's whatever the caller asked. The
    last good value is remembered per call ignoring `as_of`, so a view whose source goes
    down keeps showing what it showed a minute ago."""
    if fn is None:
        return lambda f: live(f, level=level)
    cached = st.cache_data(ttl=_ttl(), max_entries=1000, show_spinner=False)(fn)
    signature = inspect.signature(fn)
    scoped = "unit" in signature.parameters

    @wraps(fn)
    def call(*args, as_of: dt.datetime | None = None, **kwargs) -> Outcome:
        if not access.permits(principal(), level):
            return Outcome(failed_source="access", message=f"not permitted: {level}")
        if scoped:
            bound = signature.bind_partial(*args, **kwargs)
            resolved = access.resolve(principal(), bound.arguments.get("unit"))
            bound.arguments["unit"] = resolved.scope.unit
            args, kwargs = bound.args, bound.kwargs
        key = (fn.__name__, args, tuple(sorted(kwargs.items())))
        try:
            value = cached(*args, as_of=as_of, **kwargs) if as_of is not None else cached(*args, **kwargs)
        except SourceError as exc:
            with _LAST_GOOD_LOCK:
                last = _LAST_GOOD.get(key)
            if last is None:
                return Outcome(failed_source=exc.source, message=exc.message)
            return Outcome(value=last[0], failed_source=exc.source, message=exc.message, read_at=last[1])
        with _LAST_GOOD_LOCK:
            _LAST_GOOD[key] = (value, as_of or now())
        return Outcome(value=value, read_at=as_of)

    call.clear = cached.clear  # type: ignore[attr-defined]
    return call


# --- reference data --------------------------------------------------------------------
@live
def unit_names() -> dict[str, tuple[str, str]]:
    """Units that answer for work (the ministry itself left out), by Vietnamese name."""
    return lists.unit_names(sources().procedures)


@live
def procedure_catalogue() -> dict[str, dict]:
    rows = sources().procedures.execute(sa.select(
        procedures_table.c.code, procedures_table.c.name_vi, procedures_table.c.name_en, procedures_table.c.field,
        procedures_table.c.unit_code, procedures_table.c.legal_days, procedures_table.c.service_level,
    ), limit=None)
    return {r[0]: {"name_vi": r[1], "name_en": r[2] or r[1], "field": r[3], "unit_code": r[4],
                   "legal_days": r[5], "service_level": r[6]} for r in rows}


# --- KPIs: every figure from the one computation (data_access.figures) --------------------
# One domain per call, so that a source that is down costs only its own section. The
# per-unit pass gives the totals too, so a page's cards, its 766 indicators and its
# per-unit chart share one cached computation.
@live
def domain_figures(start: dt.date, end: dt.date, unit: str | None, domain: str, *,
                   as_of: dt.datetime) -> figures.Figures:
    return figures.compute(sources(), Period(start, end), as_of, Scope(unit), by="unit", domains=(domain,))


def _part(outcome: Outcome, pick: Callable[[figures.Figures], Any]) -> Outcome:
    return replace(outcome, value=None if outcome.value is None else pick(outcome.value))


def procedure_kpis(start: dt.date, end: dt.date, unit: str | None, *, as_of: dt.datetime) -> Outcome:
    return _part(domain_figures(start, end, unit, "procedures", as_of=as_of), lambda f: f.kpis)


def task_kpis(start: dt.date, end: dt.date, unit: str | None, *, as_of: dt.datetime) -> Outcome:
    return _part(domain_figures(start, end, unit, "tasks", as_of=as_of), lambda f: f.kpis)


def service_index_parts(start: dt.date, end: dt.date, unit: str | None, *, as_of: dt.datetime) -> Outcome:
    """The Decision 766 indicators behind `procedures.service_index`: points and max each."""
    return _part(domain_figures(start, end, unit, "procedures", as_of=as_of), lambda f: list(f.index_parts))


procedure_kpis.clear = task_kpis.clear = service_index_parts.clear = domain_figures.clear  # type: ignore[attr-defined]


def _figures(start: dt.date, end: dt.date, scope: Scope, domain: str, by: str | None = None, *,
             as_of: dt.datetime) -> figures.Figures:
    return figures.compute(sources(), Period(start, end), as_of, scope, by=by, domains=(domain,))


@live
def ministry_procedure_kpis(start: dt.date, end: dt.date, *, as_of: dt.datetime) -> dict:
    """Ministry-wide procedure KPI totals, shown to a unit head beside their own."""
    return _figures(start, end, access.comparison_scope(principal()), "procedures", as_of=as_of).kpis


@live
def ministry_task_kpis(start: dt.date, end: dt.date, *, as_of: dt.datetime) -> dict:
    """Ministry-wide task KPI totals, shown to a unit head beside their own."""
    return _figures(start, end, access.comparison_scope(principal()), "tasks", as_of=as_of).kpis


@live
def emulation_summary(start: dt.date, end: dt.date, *, as_of: dt.datetime) -> dict:
    """The ministry's emulation KPIs, scores and awards for the period's movement."""
    found = figures.compute(sources(), Period(start, end), as_of, Scope.ministry(), domains=("emulation",))
    emu = found.emulation
    return {"movement": emu.movement.__dict__ if emu.movement else None, "evaluation_period": emu.evaluation_period,
            "kpis": {k: v for k, v in found.kpis.items() if k.startswith("emulation.")},
            "scores": emu.scores, "awards_by_title": emu.awards_by_title}


def previous(period: Period, as_of: dt.datetime) -> tuple[Period, dt.datetime]:
    return previous_window(period, as_of)


@live
def _breakdown(start: dt.date, end: dt.date, unit: str | None, domain: str, by: str, *, as_of: dt.datetime) -> dict:
    return _figures(start, end, Scope(unit), domain, by, as_of=as_of).breakdown


def procedure_breakdown(start: dt.date, end: dt.date, unit: str | None, by: str, *, as_of: dt.datetime) -> Outcome:
    if by == "unit":        # the cards' own computation already holds it
        return _part(domain_figures(start, end, unit, "procedures", as_of=as_of), lambda f: f.breakdown)
    return _breakdown(start, end, unit, "procedures", by, as_of=as_of)


def task_breakdown(start: dt.date, end: dt.date, unit: str | None, by: str, *, as_of: dt.datetime) -> Outcome:
    if by == "unit":
        return _part(domain_figures(start, end, unit, "tasks", as_of=as_of), lambda f: f.breakdown)
    return _breakdown(start, end, unit, "tasks", by, as_of=as_of)


@live
def procedure_trend(unit: str | None, *, as_of: dt.datetime) -> pd.DataFrame:
    """Each procedure KPI per month over the 12 months ending with as-of's month; pending
    figures are month-end snapshots (the last one at as-of)."""
    return pd.DataFrame(figures.trend(sources(), "procedures", as_of, Scope(unit)))


@live
def task_trend(unit: str | None, *, as_of: dt.datetime) -> pd.DataFrame:
    """Each task KPI per month of assignment over the 12 months ending with as-of's month."""
    return pd.DataFrame(figures.trend(sources(), "tasks", as_of, Scope(unit)))


@live
def tasks_due_by_unit(unit: str | None, days: int, *, as_of: dt.datetime) -> dict[str, int]:
    return tasks.due_within_by_unit(sources().tasks, as_of, Scope(unit), days)


# --- row lists ---------------------------------------------------------------------------
@live(level=access.ROWS)
def overdue_dossiers(unit: str | None, limit: int, *, as_of: dt.datetime) -> pd.DataFrame:
    return lists.overdue_pending_dossiers(sources().procedures, as_of, Scope(unit), limit)


@live(level=access.ROWS)
def overdue_tasks(unit: str | None, limit: int, start: dt.date | None = None, end: dt.date | None = None,
                  *, as_of: dt.datetime) -> pd.DataFrame:
    period = Period(start, end) if start and end else None
    return lists.overdue_tasks(sources().tasks, as_of, Scope(unit), limit, period=period)


@live(level=access.ROWS)
def tasks_due(unit: str | None, days: int, limit: int, *, as_of: dt.datetime) -> pd.DataFrame:
    return lists.tasks_due_within(sources().tasks, as_of, Scope(unit), days, limit)


# --- emulation ---------------------------------------------------------------------------
@live
def movement(year: int) -> dict | None:
    found = emulation.movement_for_year(sources().emulation, year)
    if found is None:
        return None
    return {**found.__dict__, "blocks": emulation.blocks(sources().emulation, found.id),
            "criteria": emulation.criteria(sources().emulation, found.id)}


@live
def movement_evaluation(year: int, period_code: str, unit: str | None = None, *,
                        as_of: dt.datetime) -> dict[str, list[dict]]:
    """`{"scores", "points"}`: scores and ranks (ranked among the whole block) and points
    per criterion; only `unit`'s rows when given."""
    found = emulation.movement_for_year(sources().emulation, year)
    if found is None:
        return {"scores": [], "points": []}
    scores, points = figures.evaluate_movement(sources(), found, period_code, as_of, Scope(unit))
    return {"scores": scores, "points": points}


@live
def awards_by(start: dt.date, end: dt.date, unit: str | None, by: str, *, as_of: dt.datetime) -> dict:
    return emulation.awards_by(sources().emulation, Period(start, end), as_of, Scope(unit), by)


@live
def government_report(start: dt.date, end: dt.date, unit: str | None, *, as_of: dt.datetime) -> dict:
    """The KPI report of the contract (`python -m data_access kpis`) for the period."""
    return report.compute(sources(), Period(start, end), as_of, Scope(unit))


@live
def slides(start: dt.date, end: dt.date, unit: str | None, keys: tuple[str, ...], lang: str, *,
           as_of: dt.datetime) -> list:
    """The presentation's slides (aggregates only: the viewer role runs them)."""
    from reports import slides as model

    return model.build(sources(), Period(start, end), as_of, Scope(unit), lang, keys)


def granted_unit(unit: str | None) -> str | None:
    """The unit the signed-in identity gets when asking for `unit` (for work done outside
    a cached query, such as building a file on download)."""
    return access.resolve(principal(), unit).scope.unit


def clear_caches() -> None:
    """Forget cached results and last good values (tests repoint the sources)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    with _LAST_GOOD_LOCK:
        _LAST_GOOD.clear()


def emulation_scores(year: int, period_code: str, unit: str | None = None, *, as_of: dt.datetime) -> Outcome:
    """The `scores` of `movement_evaluation`, as their own Outcome."""
    got = movement_evaluation(year, period_code, unit, as_of=as_of)
    return replace(got, value=None if got.value is None else got.value["scores"])


def criterion_points(year: int, period_code: str, unit: str | None, *, as_of: dt.datetime) -> Outcome:
    """The `points` of `movement_evaluation`, as their own Outcome."""
    got = movement_evaluation(year, period_code, unit, as_of=as_of)
    return replace(got, value=None if got.value is None else got.value["points"])
