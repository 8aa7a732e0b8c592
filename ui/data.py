"""The pages' door to `data_access`: one engine set per process, query results cached
with a TTL and shared across sessions, and a failed source turned into a named result
instead of an exception."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st

from data_access import procedures, report, settings, tasks
from data_access.db import SourceError, Sources
from data_access.model import Period, Scope, now


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
    """A query's value, or the name of the source that failed."""

    value: Any = None
    failed_source: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed_source is None


def _guard(fn: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(value=fn())
    except SourceError as exc:
        return Outcome(failed_source=exc.source, message=exc.message)


def _ttl() -> int:
    return settings.get("cache_ttl_seconds")


@st.cache_data(ttl=_ttl(), max_entries=500, show_spinner=False)
def _procedure_kpis(start: dt.date, end: dt.date, as_of: dt.datetime, unit: str | None) -> dict:
    return procedures.procedure_kpis(sources().procedures, Period(start, end), as_of, Scope(unit))


@st.cache_data(ttl=_ttl(), max_entries=500, show_spinner=False)
def _task_kpis(start: dt.date, end: dt.date, as_of: dt.datetime, unit: str | None) -> dict:
    return tasks.task_kpis(sources().tasks, Period(start, end), as_of, Scope(unit))


@st.cache_data(ttl=_ttl(), max_entries=200, show_spinner=False)
def _emulation_kpis(start: dt.date, end: dt.date, as_of: dt.datetime) -> dict:
    return report.emulation_part(sources(), Period(start, end), as_of)["kpis"]


def procedure_kpis(period: Period, as_of: dt.datetime, scope: Scope) -> Outcome:
    return _guard(lambda: _procedure_kpis(period.start, period.end, as_of, scope.unit))


def task_kpis(period: Period, as_of: dt.datetime, scope: Scope) -> Outcome:
    return _guard(lambda: _task_kpis(period.start, period.end, as_of, scope.unit))


def emulation_kpis(period: Period, as_of: dt.datetime) -> Outcome:
    return _guard(lambda: _emulation_kpis(period.start, period.end, as_of))
