"""The arguments every KPI query takes: a period, an as-of moment and a scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from . import settings


# The days a period, an as-of moment or an evaluation year may fall on. Beyond them the
# engines' date arithmetic (the previous period, the day after the end) overflows
# Python's dates, and no source holds such data; they are refused as bad input.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)


def supported(day: dt.date) -> bool:
    """Whether `day` (or a moment's day) lies within EARLIEST … LATEST."""
    day = day.date() if isinstance(day, dt.datetime) else day
    return EARLIEST <= day <= LATEST


@dataclass(frozen=True)
class Period:
    """Whole days, both ends inclusive."""

    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(f"period starts {self.start} after it ends {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The equal-length period just before this one."""
        shift = dt.timedelta(days=self.days)
        return Period(self.start - shift, self.end - shift)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def half_year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 6, 30))


def cutoff(period: Period, as_of: dt.datetime) -> dt.datetime:
    """The period's cut-off `C = min(T, the last instant of the period's last day)`: the
    moment its snapshot figures (pending dossiers, the task categories, which dossiers
    count as withdrawn, the emulation evaluation) are taken at. `dt.time.max` marks the
    end of a day; `sqlfn` compares against it as "before the next midnight", exactly."""
    return min(as_of, dt.datetime.combine(period.end, dt.time.max))


@dataclass(frozen=True)
class Scope:
    """The whole ministry (`unit is None`) or one unit, in one of the two structures of
    the organisation over time (`data_access.organisation`). Every query function
    requires one, so that unit-level access can be enforced in the data layer.

    `codes` are the unit codes the scope reads once resolved as of T (the unit's lineage
    in `current`, the unit alone in `historical`); an unresolved unit scope reads its own
    code. The whole ministry reads every record in both structures."""

    unit: str | None = None
    structure: str = "current"
    codes: tuple[str, ...] = ()

    @classmethod
    def ministry(cls, structure: str = "current") -> "Scope":
        return cls(None, structure)

    @classmethod
    def of_unit(cls, code: str, structure: str = "current") -> "Scope":
        if not code:
            raise ValueError("a unit scope needs a unit code")
        return cls(code, structure)

    @property
    def is_ministry(self) -> bool:
        return self.unit is None

    @property
    def unit_codes(self) -> tuple[str, ...]:
        return self.codes or ((self.unit,) if self.unit is not None else ())

    @property
    def resolved(self) -> bool:
        return self.is_ministry or bool(self.codes)

    def resolve(self, organisation, day: dt.date) -> "Scope":
        """This scope with the codes it reads as of `day` (unchanged if resolved)."""
        if self.resolved:
            return self
        return Scope(self.unit, self.structure, organisation.codes_of(self.unit, day, self.structure))


def now() -> dt.datetime:
    """The ministry's local time, naive, to the second (the sources' convention),
    unless the `as_of` setting freezes the clock."""
    frozen = str(settings.get("as_of")).strip()
    if frozen:
        return dt.datetime.fromisoformat(frozen).replace(microsecond=0)
    zone = ZoneInfo(settings.get("timezone"))
    return dt.datetime.now(zone).replace(tzinfo=None, microsecond=0)


def previous_window(period: Period, as_of: dt.datetime) -> tuple[Period, dt.datetime]:
    """The previous equal-length period, cut at the same point within it, for deltas
    that compare like with like (the year so far against last year to the same day)."""
    prev = period.previous()
    return prev, as_of - dt.timedelta(days=period.days)
