"""The full KPI set of KPIS.md for one period, as-of moment and scope: the report
contract's content, shared by the command line, the app and the Government report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import catalogue, emulation, procedures, tasks
from .db import Sources
from .model import Period, Scope


def _unit_kpis_from(proc_by_unit: dict, task_by_unit: dict) -> dict[str, dict[str, Any]]:
    cat = catalogue.get()
    out: dict[str, dict[str, Any]] = {}
    for unit, c in proc_by_unit.items():
        out.setdefault(unit, {}).update(procedures.kpis_from_counts(c, cat))
    for unit, c in task_by_unit.items():
        out.setdefault(unit, {}).update(tasks.kpis_from_counts(c))
    return out


def compute(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, Any]:
    """`{"from", "to", "as_of", "unit", "kpis", "emulation_scores", "awards_by_title"}`."""
    # Per-unit counts once: their sums are the totals, and they also score the
    # emulation criteria when the evaluation window is the report's period.
    proc_by_unit = procedures.counts(sources.procedures, period, as_of, scope, by="unit")
    task_by_unit = tasks.counts(sources.tasks, period, as_of, scope, by="unit")

    kpis: dict[str, Any] = {}
    kpis.update(procedures.kpis_from_counts(procedures.total(proc_by_unit)))
    kpis.update(tasks.kpis_from_counts(tasks.total(task_by_unit)))
    kpis["tasks.due_next_7_days"] = tasks.due_within(sources.tasks, as_of, scope, 7)

    emulation_scores, awards_by_title = [], {}
    if scope.is_ministry:
        by_unit = _unit_kpis_from(proc_by_unit, task_by_unit)
        part = emulation_part(sources, period, as_of, reuse=(period, by_unit))
        kpis.update(part["kpis"])
        emulation_scores, awards_by_title = part["scores"], part["awards_by_title"]
    else:
        # KPIS.md: the emulation part is reported for the whole ministry only.
        kpis.update({k: None for k in ("emulation.participating_units", "emulation.score", "emulation.awards")})

    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "as_of": as_of.strftime("%Y-%m-%d %H:%M:%S"),
        "unit": scope.unit,
        "kpis": {kpi_id: kpis[kpi_id] for kpi_id in catalogue.KPI_IDS},
        "emulation_scores": emulation_scores,
        "awards_by_title": awards_by_title,
    }


def emulation_part(sources: Sources, period: Period, as_of: dt.datetime,
                   reuse: tuple[Period, dict] | None = None) -> dict[str, Any]:
    """The ministry's emulation figures for the movement of the period's first year:
    evaluated for H1 when the period ends by 30 June, else FY. `reuse` passes per-unit
    KPIs already computed for a window, to spare the queries when it is the same one."""
    movement = emulation.movement_for_year(sources.emulation, period.start.year)
    scores: list[dict] = []
    code = None
    if movement is not None:
        code, window = emulation.evaluation_period(movement.year, period.end)
        by_unit = reuse[1] if reuse is not None and reuse[0] == window else None
        scores = emulation.scores(sources, movement, code, as_of, Scope.ministry(), kpis_by_unit=by_unit)
    defined = {r["unit"]: r["score"] for r in scores if r["score"] is not None}
    awards_by_title = emulation.awards_by(sources.emulation, period, as_of, Scope.ministry(), by="title")
    return {
        "movement": movement,
        "evaluation_period": code,
        "kpis": {
            "emulation.participating_units": emulation.participating_units(
                sources.emulation, movement.id if movement else None),
            "emulation.score": sum(defined.values()) / len(defined) if defined else None,
            "emulation.awards": sum(awards_by_title.values()),
        },
        "scores": scores,
        "awards_by_title": awards_by_title,
    }
