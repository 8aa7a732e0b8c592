"""The pages' door to `data_access`.

- One set of engines per process (`st.cache_resource`).
- Every figure is computed once per process and view and shared by every session: the
  store below is keyed by plain arguments (dates, the unit code …) without the as-of
  moment. A screen always gets the last complete figures with the moment they describe
  (`Outcome.read_at`, shown as "data as of") and never waits for a refresh: when the
  moment it asks for is newer, the figures are recomputed for it once, in one
  background thread that all screens share, and the next rerun shows them. Only a view
  nobody has asked for yet (or figures older than `STALE_LIMIT`) is computed while the
  screen waits.
- A failed source becomes an `Outcome` that names it and carries the last good value,
  marked stale, so the page keeps its figures and never shows a traceback.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any, Callable

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from data_access import access, emulation, figures, lists, report, settings, tasks
from data_access.db import SourceError, Sources
from data_access.model import Period, Scope, cutoff, now
from data_access.periods import Comparison, comparisons, previous_period
from data_access.schema import procedures as procedures_table
from l10n.i18n import t


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
    fault: str | None = None              # the SourceError's kind: unreachable, config, schema, timeout, query
    detail: str | None = None             # what the kind names: the missing table, the time limit

    @property
    def ok(self) -> bool:
        return self.failed_source is None

    @property
    def stale(self) -> bool:
        return not self.ok and self.value is not None


_LOG = logging.getLogger(__name__)

# Figures this much older than the moment a screen asks for are recomputed while it waits
# rather than shown (a screen left open overnight must not open on yesterday's figures).
STALE_LIMIT = dt.timedelta(minutes=15)
MAX_ENTRIES = 1000


@dataclass
class _Entry:
    value: Any
    as_of: dt.datetime | None             # the moment asked of the sources (None: no as-of)
    computed: dt.datetime                 # when it was computed
    failure: tuple[str, str, str, str | None] | None = None     # source, message, kind, detail
    expired: bool = False                 # recompute on the next call; kept as the last good value

    def outcome(self) -> Outcome:
        moment = self.as_of or self.computed
        if self.failure is not None:
            source, message, kind, detail = self.failure
            return Outcome(value=self.value, failed_source=source, message=message, fault=kind, detail=detail,
                           read_at=moment if self.value is not None else None)
        return Outcome(value=self.value, read_at=moment)


class _Store:
    """Last complete figures per call, and the one background worker that refreshes them."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self.refreshing: set[tuple] = set()
        # The computation under way per key, with the moment it is for: a second caller
        # asking for the same waits for it instead of sending the same queries again.
        self.computing: dict[tuple, tuple[dt.datetime | None, Future]] = {}
        self.lock = threading.Lock()
        self.worker: ThreadPoolExecutor | None = None
        self.generation = 0                   # bumped by clear(): late refreshes are dropped

    def get(self, key: tuple) -> _Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: _Entry, generation: int, background: bool = False) -> None:
        with self.lock:
            if generation != self.generation:
                return
            held = self.entries.get(key)
            if (background and held is not None and held.failure is None and held.as_of is not None
                    and entry.as_of is not None and held.as_of > entry.as_of):
                return                        # a late refresh never replaces newer figures
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)

    def once(self, key: tuple, as_of: dt.datetime | None, run: Callable[[], Any]) -> Any:
        """`run()`, unless the same key is being computed for the same moment: then its
        result (or its exception), without running it again."""
        with self.lock:
            under_way = self.computing.get(key)
            if under_way is not None and under_way[0] == as_of:
                mine, future = False, under_way[1]
            else:
                mine, future = True, Future()
                self.computing[key] = (as_of, future)
        if not mine:
            return future.result()
        try:
            result = run()
        except BaseException as exc:
            future.set_exception(exc)
            raise
        else:
            future.set_result(result)
            return result
        finally:
            with self.lock:
                if self.computing.get(key, (None, None))[1] is future:
                    del self.computing[key]

    def refresh(self, key: tuple, compute: Callable[[], None]) -> None:
        """Run `compute` in the background unless a refresh of `key` is already running."""
        with self.lock:
            if key in self.refreshing:
                return
            self.refreshing.add(key)
            if self.worker is None:
                self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ioc-refresh")
            worker = self.worker

        def run() -> None:
            try:
                compute()
            except Exception:                       # a refresh must never kill the worker
                _LOG.exception("background refresh of %s failed", key[0])
            finally:
                with self.lock:
                    self.refreshing.discard(key)

        worker.submit(run)

    def expire(self, name: str) -> None:
        """Recompute `name`'s results on their next call, keeping them as last good values."""
        with self.lock:
            for key, entry in self.entries.items():
                if key[0] == name:
                    entry.expired = True

    def clear(self) -> None:
        with self.lock:
            self.generation += 1
            self.entries.clear()
            self.refreshing.clear()
            self.computing.clear()

    def drain(self) -> None:
        """Wait for the refreshes under way (tests and benchmarks)."""
        with self.lock:
            worker = self.worker
        if worker is not None:
            worker.submit(lambda: None).result()


_STORE = _Store()


def _ttl() -> int:
    return settings.get("cache_ttl_seconds")


PRINCIPAL_KEY = "_principal"


def _organisation():
    """The organisation over time (cached a minute per source by the data layer), or None
    when its source cannot be read: what depends on it is then left out, not a fault."""
    try:
        return figures.organisation_of(sources())
    except SourceError:
        return None


def ministry_names() -> tuple[str, str] | None:
    """The data's own (vi, en) name of the ministry today (public: shown before sign-in
    too), or None: the built-in name is then shown."""
    try:
        return figures.ministry_name(sources(), as_of_now().date())
    except SourceError:
        return None


def ministry(lang: str) -> str:
    """The ministry's name in `lang`, from the data when it has it."""
    names = ministry_names()
    return (names[0] if lang == "vi" else names[1]) if names else t("ministry", lang)


def unit_choices(names: dict[str, tuple[str, str]], structure: str) -> dict[str, tuple[str, str]]:
    """The units the unit picker offers in `structure`, labelled in both languages: in
    `current` the units without heir today (a dissolved unit without heir stays, with its
    end date); in `historical` every unit, one that no longer exists with its end date and
    the unit that now answers for its work ("đến 28/02/2025, nay là …")."""
    from l10n import fmt

    org = _organisation()
    if org is None:
        return names
    day = as_of_now().date()
    heirs = org.heirs(day)
    # Records per unit are not read for the picker: `historical` offers every unit (each
    # may have records in the period), `current` every unit without heir.
    offered = set(names) if structure == "historical" else set(
        org.offered(day, structure, with_records=[c for c in names if c not in heirs]))
    out: dict[str, tuple[str, str]] = {}
    for code, (vi, en) in names.items():
        if code not in offered:
            continue
        unit = org.units.get(code)
        ended = unit is not None and unit.valid_to is not None and unit.valid_to < day
        if not ended:
            out[code] = (vi, en)
            continue
        heir = org.current(code, day, heirs)
        labels = []
        for lang, name in (("vi", vi), ("en", en)):
            until = t("unit_until", lang, date=fmt.date(unit.valid_to, lang))
            if heir != code and heir in names:
                until = t("unit_until_heir", lang, until=until, heir=names[heir][0 if lang == "vi" else 1])
            labels.append(f"{name} ({until})")
        out[code] = (labels[0], labels[1])
    return out


def succession_marks(start: dt.date, end: dt.date) -> list[tuple[dt.date, tuple[str, ...]]]:
    """The days in [start, end] on which a reorganisation took effect, with its legal
    bases (none when the source cannot be read: the chart is drawn without marks)."""
    org = _organisation()
    return org.took_effect(start, end) if org is not None else []


def current_unit_of(structure: str):
    """In `current`, a function giving the unit that answers today for a unit code's
    work; None in `historical` (each record stays with its own unit)."""
    org = _organisation() if structure == "current" else None
    if org is None:
        return None
    day = as_of_now().date()
    heirs = org.heirs(day)
    return lambda code: org.current(code, day, heirs)


def chosen_structure() -> str:
    """The structure this session's view is drawn in (`current` until chosen)."""
    from data_access.organisation import DEFAULT_STRUCTURE, STRUCTURES

    value = st.session_state.get("view_structure")
    return value if value in STRUCTURES else DEFAULT_STRUCTURE


def scope_of(unit: str | None, structure: str = "current") -> Scope:
    """The scope of `unit` in `structure`, its codes resolved as of today: a comparison
    with an earlier period reads the same codes (last year's work of the units a
    department took over is its own in `current`)."""
    scope = Scope(unit, structure)
    if scope.resolved:
        return scope
    return scope.resolve(figures.organisation_of(sources()), as_of_now().date())


def principal() -> access.Principal | None:
    """The signed-in identity of this session, set by app.py from the user store."""
    return st.session_state.get(PRINCIPAL_KEY)


def live(fn: Callable | None = None, *, level: str = access.AGGREGATE) -> Callable[..., Outcome]:
    """Share `fn`'s results between sessions (see the module's note) and turn a failing
    source into a named Outcome.

    The signed-in identity must be permitted `level` (`access.ROWS` for lists of
    individual records, `access.ADMIN` for the sources' health), else the Outcome is a
    refusal. A `unit` argument is first resolved by `data_access.access` against that
    identity, so a unit head's queries are their unit's whatever the caller asked; `fn`
    itself never reads the session (it may run in the background worker)."""
    if fn is None:
        return lambda f: live(f, level=level)
    signature = inspect.signature(fn)
    scoped = "unit" in signature.parameters
    structured = "structure" in signature.parameters
    name = f"{fn.__module__}.{fn.__qualname__}"

    def compute(key: tuple, args: tuple, kwargs: dict, as_of: dt.datetime | None, generation: int,
                background: bool = False) -> Outcome:
        previous = _STORE.get(key)
        try:
            value = _STORE.once(key, as_of, lambda: fn(*args, as_of=as_of, **kwargs) if as_of is not None
                                else fn(*args, **kwargs))
        except SourceError as exc:
            # The last good value stays, marked with its own moment and the failure.
            last = previous.value if previous is not None else None
            entry = _Entry(last, previous.as_of if previous is not None else as_of,
                           previous.computed if previous is not None else now(),
                           (exc.source, exc.message, exc.kind, exc.detail))
            _STORE.put(key, entry, generation, background)
            return entry.outcome()
        entry = _Entry(value, as_of, now())
        _STORE.put(key, entry, generation, background)
        return entry.outcome()

    def fetch(args: tuple, kwargs: dict, as_of: dt.datetime | None) -> Outcome:
        key = (name, args, tuple(sorted(kwargs.items())))
        generation = _STORE.generation
        entry = _STORE.get(key)
        if entry is not None and entry.failure is None and not entry.expired:
            if as_of is None:
                current = (now() - entry.computed).total_seconds() < _ttl()
                usable = True
            else:
                current = entry.as_of == as_of
                usable = current or (entry.as_of < as_of and as_of - entry.as_of <= STALE_LIMIT)
            if usable:
                if not current:
                    _STORE.refresh(key, lambda: compute(key, args, kwargs, as_of, generation, background=True))
                return entry.outcome()
        # Nothing to show yet, figures too old, an earlier moment asked for, or a source
        # that failed last time (tried again now, as the screen expects).
        return compute(key, args, kwargs, as_of, generation)

    @wraps(fn)
    def call(*args, as_of: dt.datetime | None = None, **kwargs) -> Outcome:
        if not access.permits(principal(), level):
            return Outcome(failed_source="access", message=f"not permitted: {level}")
        if scoped:
            bound = signature.bind_partial(*args, **kwargs)
            resolved = access.resolve(principal(), bound.arguments.get("unit"))
            bound.arguments["unit"] = resolved.scope.unit
            args, kwargs = bound.args, bound.kwargs
        if structured and "structure" not in kwargs:
            # The session's chosen structure is part of the shared result's key.
            kwargs = {**kwargs, "structure": chosen_structure()}
        return fetch(args, kwargs, as_of)

    def within(*args, as_of: dt.datetime | None = None, **kwargs) -> Outcome:
        """The same shared result for another shared computation (which may run in the
        background, outside any session): no identity to check, the arguments as given."""
        bound = signature.bind_partial(*args, **kwargs)
        args, kwargs = bound.args, bound.kwargs
        if structured and "structure" not in kwargs:
            kwargs = {**kwargs, "structure": "current"}      # the key a session's default view asks for
        return fetch(args, kwargs, as_of)

    call.within = within  # type: ignore[attr-defined]
    call.clear = lambda: _STORE.expire(name)  # type: ignore[attr-defined]
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
                   as_of: dt.datetime, structure: str = "current") -> figures.Figures:
    return figures.compute(sources(), Period(start, end), as_of, scope_of(unit, structure), by="unit",
                           domains=(domain,))


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
def _ministry_kpis(start: dt.date, end: dt.date, domain: str, *, as_of: dt.datetime) -> dict:
    return _figures(start, end, Scope.ministry(), domain, as_of=as_of).kpis


def _ministry_comparison(start: dt.date, end: dt.date, domain: str, as_of: dt.datetime) -> Outcome:
    try:
        access.comparison_scope(principal())
    except access.AccessDenied as exc:
        return Outcome(failed_source="access", message=str(exc))
    return _ministry_kpis(start, end, domain, as_of=as_of)


def ministry_procedure_kpis(start: dt.date, end: dt.date, *, as_of: dt.datetime) -> Outcome:
    """Ministry-wide procedure KPI totals, shown to a unit head beside their own."""
    return _ministry_comparison(start, end, "procedures", as_of)


def ministry_task_kpis(start: dt.date, end: dt.date, *, as_of: dt.datetime) -> Outcome:
    """Ministry-wide task KPI totals, shown to a unit head beside their own."""
    return _ministry_comparison(start, end, "tasks", as_of)


@live
def emulation_summary(start: dt.date, end: dt.date, *, as_of: dt.datetime) -> dict:
    """The ministry's emulation KPIs, scores and awards for the period's movement. Its
    automatic criteria read the per-unit KPIs of the evaluation window that the
    procedure and task cards of that window already computed (the year's cards, when the
    page shows the year), not a computation of their own."""
    _code, window = emulation.evaluation_period(start.year, end)
    # Those cards are as of T, grouped by the units of T's day: they serve only when the
    # evaluation is taken at T too (the period and its evaluation window not over yet).
    at_t = cutoff(Period(start, end), as_of) == as_of == cutoff(window, as_of)
    per_unit: dict | None = {} if at_t else None
    for domain in figures.SQL_DOMAINS if at_t else ():
        got = domain_figures.within(window.start, window.end, None, domain, as_of=as_of)
        if not got.ok or got.read_at != as_of:
            per_unit = None                   # not for this very moment: computed below
            break
        for unit, values in got.value.breakdown.items():
            per_unit.setdefault(unit, {}).update(values)
    found = figures.compute(sources(), Period(start, end), as_of, Scope.ministry(), domains=("emulation",),
                            evaluation_kpis=per_unit)
    emu = found.emulation
    return {"movement": emu.movement.__dict__ if emu.movement else None, "evaluation_period": emu.evaluation_period,
            "kpis": {k: v for k, v in found.kpis.items() if k.startswith("emulation.")},
            "scores": emu.scores, "awards_by_title": emu.awards_by_title}


def previous(period: Period, as_of: dt.datetime) -> tuple[Period, dt.datetime]:
    """The previous period and the moment its figures are taken as of: the same elapsed
    point while `period` runs (`data_access.periods.previous_period`)."""
    prev = previous_period(period, as_of)
    return prev.period, prev.as_of


@dataclass(frozen=True)
class Compared:
    """A comparison period of the cards and its KPI values (None when its source failed:
    the cards then show "—" for it, the current figures stay)."""

    domain: str
    comparison: Comparison
    values: dict | None
    current: dt.datetime          # the moment the current figures are taken as of


def _comparison_kpis(domain: str, period: Period, unit: str | None, as_of: dt.datetime) -> Outcome:
    if domain == "emulation":
        got = emulation_summary(period.start, period.end, as_of=as_of)
        return replace(got, value=None if got.value is None else got.value["kpis"])
    fetch = procedure_kpis if domain == "procedures" else task_kpis
    return fetch(period.start, period.end, unit, as_of=as_of)


def compared(domain: str, period: Period, unit: str | None, as_of: dt.datetime) -> dict[str, Compared]:
    """Both comparison periods of a domain's cards — the previous period and the same
    period last year, as of the same elapsed point — with their KPI values, from the same
    shared computation as the current figures (`domain_figures`; emulation: the
    ministry's `emulation_summary`)."""
    out = {}
    for kind, comparison in comparisons(period, as_of).items():
        got = _comparison_kpis(domain, comparison.period, unit, comparison.as_of)
        out[kind] = Compared(domain, comparison, got.value, as_of)
    return out


@live
def breakdown(start: dt.date, end: dt.date, unit: str | None, domain: str, by: str, *, as_of: dt.datetime,
              structure: str = "current") -> dict:
    return _figures(start, end, scope_of(unit, structure), domain, by, as_of=as_of).breakdown


def procedure_breakdown(start: dt.date, end: dt.date, unit: str | None, by: str, *, as_of: dt.datetime) -> Outcome:
    if by == "unit":        # the cards' own computation already holds it
        return _part(domain_figures(start, end, unit, "procedures", as_of=as_of), lambda f: f.breakdown)
    return breakdown(start, end, unit, "procedures", by, as_of=as_of)


def task_breakdown(start: dt.date, end: dt.date, unit: str | None, by: str, *, as_of: dt.datetime) -> Outcome:
    if by == "unit":
        return _part(domain_figures(start, end, unit, "tasks", as_of=as_of), lambda f: f.breakdown)
    return breakdown(start, end, unit, "tasks", by, as_of=as_of)


@live
def procedure_trend(unit: str | None, *, as_of: dt.datetime, structure: str = "current") -> pd.DataFrame:
    """Each procedure KPI per month over the 12 months ending with as-of's month; pending
    figures are month-end snapshots (the last one at as-of). `attrs["through"]` is as-of:
    the charts mark a last month it ends before as still running."""
    frame = pd.DataFrame(figures.trend(sources(), "procedures", as_of, scope_of(unit, structure)))
    frame.attrs["through"] = as_of
    return frame


@live
def task_trend(unit: str | None, *, as_of: dt.datetime, structure: str = "current") -> pd.DataFrame:
    """Each task KPI per month of assignment over the 12 months ending with as-of's month
    (`attrs["through"]`: as-of, as for procedures)."""
    frame = pd.DataFrame(figures.trend(sources(), "tasks", as_of, scope_of(unit, structure)))
    frame.attrs["through"] = as_of
    return frame


@live
def tasks_due_by_unit(unit: str | None, days: int, *, as_of: dt.datetime, structure: str = "current") -> dict[str, int]:
    return tasks.due_within_by_unit(sources().tasks, as_of, scope_of(unit, structure), days)


# --- row lists ---------------------------------------------------------------------------
@live(level=access.ROWS)
def overdue_dossiers(unit: str | None, limit: int, start: dt.date | None = None, end: dt.date | None = None,
                     *, as_of: dt.datetime, structure: str = "current") -> pd.DataFrame:
    period = Period(start, end) if start and end else None
    return lists.overdue_pending_dossiers(sources().procedures, as_of, scope_of(unit, structure), limit, period=period)


@live(level=access.ROWS)
def overdue_tasks(unit: str | None, limit: int, start: dt.date | None = None, end: dt.date | None = None,
                  *, as_of: dt.datetime, structure: str = "current") -> pd.DataFrame:
    period = Period(start, end) if start and end else None
    return lists.overdue_tasks(sources().tasks, as_of, scope_of(unit, structure), limit, period=period)


@live(level=access.ROWS)
def tasks_due(unit: str | None, days: int, limit: int, *, as_of: dt.datetime, structure: str = "current") -> pd.DataFrame:
    return lists.tasks_due_within(sources().tasks, as_of, scope_of(unit, structure), days, limit)


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
                        as_of: dt.datetime, structure: str = "current") -> dict[str, list[dict]]:
    """`{"scores", "points", "block_sizes"}`: scores and ranks (ranked among the whole
    block) and points per criterion, only `unit`'s rows when given; members per block."""
    found = emulation.movement_for_year(sources().emulation, year)
    if found is None:
        return {"scores": [], "points": [], "unreadable": {}, "block_sizes": {}}
    scope = scope_of(unit, structure)
    scores, points = figures.evaluate_movement(sources(), found, period_code, as_of, Scope.ministry())
    # A unit's rank reads against its whole block ("2/3"), counted before keeping its rows.
    sizes: dict[int, int] = {}
    for row in scores:
        sizes[row["block"]] = sizes.get(row["block"], 0) + 1
    if not scope.is_ministry:
        scores = [r for r in scores if r["unit"] == scope.unit]
        points = [r for r in points if r["unit"] == scope.unit]
    return {"scores": scores, "points": points, "block_sizes": sizes,
            "unreadable": emulation.unreadable_rows(sources().emulation, found.id, period_code)}


@live
def awards_by(start: dt.date, end: dt.date, unit: str | None, by: str, *, as_of: dt.datetime, structure: str = "current") -> dict:
    return emulation.awards_by(sources().emulation, Period(start, end), as_of, scope_of(unit, structure), by)


@live
def government_report(start: dt.date, end: dt.date, unit: str | None, *, as_of: dt.datetime, structure: str = "current") -> dict:
    """The KPI report of the contract (`python -m data_access kpis`) for the period; when
    a source fails, the parts of the others, with `"unavailable"` naming it."""
    return report.compute_available(sources(), Period(start, end), as_of, scope_of(unit, structure))


@live
def slides(start: dt.date, end: dt.date, unit: str | None, keys: tuple[str, ...], lang: str, *,
           as_of: dt.datetime, structure: str = "current") -> list:
    """The presentation's slides (aggregates only: the viewer role runs them)."""
    from reports import slides as model

    return model.build(sources(), Period(start, end), as_of, scope_of(unit, structure), lang, keys)


def granted_unit(unit: str | None) -> str | None:
    """The unit the signed-in identity gets when asking for `unit` (for work done outside
    a cached query, such as building a file on download)."""
    return access.resolve(principal(), unit).scope.unit


def clear_caches() -> None:
    """Forget shared results and last good values (tests repoint the sources)."""
    _STORE.clear()
    from data_access import organisation

    organisation.forget()
    st.cache_data.clear()
    st.cache_resource.clear()


def wait_for_refreshes() -> None:
    """Block until the background refreshes under way are done (tests, benchmarks)."""
    _STORE.drain()


def emulation_scores(year: int, period_code: str, unit: str | None = None, *, as_of: dt.datetime) -> Outcome:
    """The `scores` of `movement_evaluation`, as their own Outcome."""
    got = movement_evaluation(year, period_code, unit, as_of=as_of)
    return replace(got, value=None if got.value is None else got.value["scores"])


def unreadable_evaluation_rows(year: int, period_code: str, *, as_of: dt.datetime) -> Outcome:
    """`{"evaluations": n, "criteria": m}`: the rows left out of the scores because a
    number in them is not one."""
    got = movement_evaluation(year, period_code, None, as_of=as_of)
    return replace(got, value=None if got.value is None else got.value["unreadable"])


def criterion_points(year: int, period_code: str, unit: str | None, *, as_of: dt.datetime) -> Outcome:
    """The `points` of `movement_evaluation`, as their own Outcome."""
    got = movement_evaluation(year, period_code, unit, as_of=as_of)
    return replace(got, value=None if got.value is None else got.value["points"])
