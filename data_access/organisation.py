"""The organisation over time: which units exist on a day, who took over whose work, and
the two structures every figure can be computed in.

A unit may carry `valid_from` / `valid_to` (its first and last day); `unit_successions`
says that a successor answers, from `effective_on`, for a predecessor's work, and
whether it takes over the predecessor's records (`inherits_history`). Both are optional
in the sources: without them every unit is always valid and no succession exists, so
every structure gives what the plain unit codes give.

As of T (`d`, the date of T):
- a succession is *in force* when `effective_on <= d`;
- the *heir* of a code is the successor of its in-force inheriting succession (several:
  the smallest successor code, and a data-quality finding);
- the *current unit* of a code follows heirs until a code has none (a cycle stops at the
  first repeated code, and is a finding);
- the *lineage* of a unit is the unit and every code whose walk to its current unit
  passes through it.

`current` (the default) scopes unit U to the records of its lineage and groups a
breakdown by the current unit of each record's code; `historical` scopes U to its own
code and groups by the record's own code. The whole ministry is every record in both.
The rules are pure (tested without a database); `load` reads them from a source.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable

STRUCTURES = ("current", "historical")
DEFAULT_STRUCTURE = "current"
SUCCESSION_KINDS = ("rename", "merge", "split", "transfer")


@dataclass(frozen=True)
class Unit:
    code: str
    name_vi: str
    name_en: str | None = None
    kind: str | None = None
    parent_code: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" or not self.name_en else self.name_en


@dataclass(frozen=True)
class Succession:
    predecessor: str
    successor: str
    effective_on: dt.date
    kind: str
    inherits_history: bool
    legal_basis: str | None = None


@dataclass(frozen=True)
class Finding:
    """A data-quality finding about the organisation: `check` names `rule`, counts the
    rows and shows the codes."""

    rule: str              # succession_cycle | several_heirs | unknown_unit_in_succession
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    units: dict[str, Unit] = field(default_factory=dict)
    successions: tuple[Succession, ...] = ()

    # -- successions ------------------------------------------------------------------
    def in_force(self, day: dt.date) -> tuple[Succession, ...]:
        return tuple(s for s in self.successions if s.effective_on <= day)

    def heirs(self, day: dt.date) -> dict[str, str]:
        """{code: its heir} as of `day`."""
        out: dict[str, str] = {}
        for s in sorted(self.in_force(day), key=lambda s: (s.predecessor, s.successor)):
            if s.inherits_history:
                out.setdefault(s.predecessor, s.successor)
        return out

    def heir(self, code: str, day: dt.date) -> str | None:
        return self.heirs(day).get(code)

    def current(self, code: str, day: dt.date, heirs: dict[str, str] | None = None) -> str:
        """The current unit of `code` as of `day` (a cycle stops at its first repeated code)."""
        heirs = self.heirs(day) if heirs is None else heirs
        seen = {code}
        while code in heirs:
            nxt = heirs[code]
            if nxt in seen:
                break
            seen.add(nxt)
            code = nxt
        return code

    def _walk(self, code: str, heirs: dict[str, str]) -> list[str]:
        path, seen = [code], {code}
        while code in heirs and heirs[code] not in seen:
            code = heirs[code]
            path.append(code)
            seen.add(code)
        return path

    def lineage(self, unit: str, day: dt.date) -> tuple[str, ...]:
        """`unit` and every code whose walk to its current unit passes through it, sorted
        (the unit first): the codes a scope of `unit` in `current` reads."""
        heirs = self.heirs(day)
        codes = set(self.units) | set(heirs) | set(heirs.values()) | {unit}
        members = {c for c in codes if unit in self._walk(c, heirs)}
        return (unit, *sorted(members - {unit}))

    def codes_of(self, unit: str, day: dt.date, structure: str) -> tuple[str, ...]:
        """The unit codes a scope of `unit` reads in `structure`."""
        return self.lineage(unit, day) if structure == "current" else (unit,)

    def group_of(self, day: dt.date, structure: str):
        """A function mapping a record's unit code to the unit it is counted under in a
        breakdown: its current unit (`current`) or itself (`historical`)."""
        if structure != "current":
            return lambda code: code
        heirs = self.heirs(day)
        return lambda code: code if code is None else self.current(code, day, heirs)

    # -- units offered ----------------------------------------------------------------
    def offered(self, day: dt.date, structure: str, with_records: Iterable[str] = ()) -> list[str]:
        """Units a user may pick, in code order. `current`: units with no heir at `day` and
        valid on it, and dissolved units without heir that have records in the period;
        `historical`: every unit valid on `day` or with records in the period."""
        heirs = self.heirs(day)
        recorded = set(with_records)
        out = []
        for code, unit in self.units.items():
            if unit.kind == "ministry":
                continue
            if structure == "current":
                keep = code not in heirs and (unit.valid_on(day) or code in recorded)
            else:
                keep = unit.valid_on(day) or code in recorded
            if keep:
                out.append(code)
        return sorted(out)

    def reporting_units(self, day: dt.date, structure: str) -> list[str]:
        """The units of the report contract's `by_unit`: `current`, every unit without heir
        at `day`; `historical`, every unit; never one of kind `ministry`."""
        heirs = self.heirs(day)
        return sorted(c for c, u in self.units.items()
                      if u.kind != "ministry" and (structure != "current" or c not in heirs))

    def ministry(self, day: dt.date) -> Unit | None:
        """The unit of kind `ministry` valid on `day` with no heir (the smallest code if
        several): its name is the ministry's name."""
        heirs = self.heirs(day)
        found = [u for c, u in sorted(self.units.items())
                 if u.kind == "ministry" and u.valid_on(day) and c not in heirs]
        return found[0] if found else None

    def took_effect(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, tuple[str, ...]]]:
        """The days in [start, end] on which successions took effect, with their legal
        bases (in order, without repeats): the marks of a trend chart."""
        days: dict[dt.date, list[str]] = {}
        for s in self.successions:
            if start <= s.effective_on <= end:
                bases = days.setdefault(s.effective_on, [])
                if s.legal_basis and s.legal_basis not in bases:
                    bases.append(s.legal_basis)
        return [(day, tuple(bases)) for day, bases in sorted(days.items())]

    # -- data quality -----------------------------------------------------------------
    def findings(self) -> list[Finding]:
        """Cycles of inherited successions (whatever the dates), predecessors with several
        inheriting successors, and successions naming a code that is not a unit."""
        out: list[Finding] = []
        inheriting: dict[str, list[str]] = {}
        for s in self.successions:
            if s.inherits_history:
                inheriting.setdefault(s.predecessor, []).append(s.successor)
        several = sorted(p for p, succ in inheriting.items() if len(set(succ)) > 1)
        if several:
            out.append(Finding("several_heirs", tuple(several)))
        heirs = {p: min(succ) for p, succ in inheriting.items()}
        cycles: set[str] = set()
        for start in heirs:
            path, code = [start], start
            while code in heirs:
                code = heirs[code]
                if code in path:
                    cycles.update(path[path.index(code):])
                    break
                path.append(code)
        if cycles:
            out.append(Finding("succession_cycle", tuple(sorted(cycles))))
        unknown = sorted({c for s in self.successions for c in (s.predecessor, s.successor) if c not in self.units})
        if unknown and self.units:
            out.append(Finding("unknown_unit_in_succession", tuple(unknown)))
        return out


def parse_structure(value: str | None) -> str:
    """`current` or `historical`; raises ValueError for anything else."""
    text = (value or DEFAULT_STRUCTURE).strip().lower()
    if text not in STRUCTURES:
        raise ValueError(f"unknown structure {value!r}: one of {', '.join(STRUCTURES)}")
    return text


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None                        # unreadable: `check` reports it (unparseable_date)


def load(db) -> Organisation:
    """The organisation as the source `db` records it: its units (with their validity
    when the columns are there) and its successions (when the table is there). A source
    without them gives units always valid and no succession, as before."""
    import sqlalchemy as sa

    from . import schema
    from .db import SchemaMismatch

    U, S = schema.units, schema.unit_successions
    base = [U.c.code, U.c.name_vi, U.c.name_en, U.c.kind, U.c.parent_code]
    # Read as text and parsed here: one unreadable date must not hide the whole organisation.
    dates = [sa.cast(U.c.valid_from, sa.String).label("valid_from"), sa.cast(U.c.valid_to, sa.String).label("valid_to")]
    try:
        rows = db.execute(sa.select(*base, *dates), limit=None)
    except SchemaMismatch:
        rows = [(*r, None, None) for r in db.execute(sa.select(*base), limit=None)]
    units = {str(r[0]): Unit(str(r[0]), r[1] or str(r[0]), r[2], r[3], r[4], _date(r[5]), _date(r[6]))
             for r in rows if r[0] is not None}
    try:
        found = db.execute(sa.select(S.c.predecessor_code, S.c.successor_code,
                                     sa.cast(S.c.effective_on, sa.String), S.c.kind, S.c.inherits_history,
                                     S.c.legal_basis), limit=None)
    except SchemaMismatch:
        found = []
    successions = []
    for pred, succ, effective, kind, inherits, basis in found:
        day = _date(effective)
        if pred is None or succ is None or day is None:
            continue                       # `check` names the row
        successions.append(Succession(str(pred), str(succ), day, str(kind or ""), _flag(inherits), basis))
    return Organisation(units, tuple(sorted(successions, key=lambda s: (s.effective_on, s.predecessor, s.successor))))


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "t", "yes", "y")
    return bool(value)


# The organisation changes a few times a year: read it at most once a minute per source.
_CACHE_SECONDS = 60.0
_cache: dict[str, tuple[float, Organisation]] = {}
_cache_lock = threading.Lock()


def cached(db) -> Organisation:
    """`load(db)`, kept for a minute per database URL (shared by every caller)."""
    moment = time.monotonic()
    with _cache_lock:
        hit = _cache.get(db.url)
        if hit is not None and moment - hit[0] < _CACHE_SECONDS:
            return hit[1]
    found = load(db)
    with _cache_lock:
        _cache[db.url] = (moment, found)
    return found


def forget() -> None:
    """Drop the cached organisations (tests, or after the data was reloaded)."""
    with _cache_lock:
        _cache.clear()
