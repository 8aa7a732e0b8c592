"""The report contract's content (`python -m data_access kpis`): the figures of one
period, as-of moment and scope from the one computation, in the contract's shape."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from exports.csv import rows_to_csv

from . import figures
from .db import SourceError, Sources
from .model import Period, Scope


def compute(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope,
            by: str | None = None) -> dict[str, Any]:
    """`{"from", "to", "as_of", "unit", "structure", "kpis", "emulation_scores",
    "awards_by_title"}`, and with `by="unit"` also `"by_unit"`: every procedure and task
    KPI of each unit over its scope in the chosen structure (the units the organisation
    lists as of T; with a unit scope, that unit alone)."""
    # The contract reports the emulation part for the whole ministry only.
    domains = figures.DOMAINS if scope.is_ministry else figures.SQL_DOMAINS
    found = figures.compute(sources, period, as_of, scope, domains=domains,
                            by="unit" if by == "unit" and scope.is_ministry else None)
    result = _with_structure(found.contract(), scope.structure)
    if by == "unit":
        result["by_unit"] = _by_unit(sources, found, as_of)
    return result


def _with_structure(contract: dict[str, Any], structure: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in contract.items():
        out[key] = value
        if key == "unit":
            out["structure"] = structure
    return out


def _by_unit(sources: Sources, found: figures.Figures, as_of: dt.datetime) -> list[dict[str, Any]]:
    ids = [k for k in found.kpis if k.split(".", 1)[0] in figures.SQL_DOMAINS]
    if not found.scope.is_ministry:
        return [{"unit": found.scope.unit, "kpis": {k: found.kpis[k] for k in ids}}]
    units = figures.organisation_of(sources).reporting_units(as_of.date(), found.scope.structure)
    empty = figures.empty_values(ids)
    # In `current` a unit's group in the breakdown is exactly its lineage: the codes whose
    # current unit it is.
    return [{"unit": code, "kpis": {k: found.breakdown.get(code, empty).get(k, empty[k]) for k in ids}}
            for code in units]


def compute_available(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, Any]:
    """`compute`, or when a source fails, the parts whose sources answered: the missing
    domains' KPIs null and `"unavailable"` naming the sources that failed (the emulation
    part needs all three: its automatic criteria read the other two). For a page or a
    download that should keep what it has; the command line reports a failure instead."""
    try:
        return compute(sources, period, as_of, scope)
    except SourceError as exc:
        failed = [exc.source]
    wanted = figures.DOMAINS if scope.is_ministry else figures.SQL_DOMAINS
    while True:
        domains = tuple(d for d in wanted if d not in failed and d != "emulation")
        try:
            result = figures.compute(sources, period, as_of, scope, domains=domains).contract()
        except SourceError as exc:
            failed.append(exc.source)
            continue
        result["unavailable"] = sorted(set(failed))
        return result


def to_json(result: dict) -> str:
    """The contract's JSON text, as the command line prints it."""
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def to_csv(result: dict) -> str:
    """One row per KPI, per emulation score and per award title, with the report's frame."""
    frame = [result["from"], result["to"], result["as_of"], result["unit"] or ""]
    rows = [[*frame, kpi_id, "", "", "", value, ""] for kpi_id, value in result["kpis"].items()]
    rows += [[*frame, "emulation.score", row["unit"], row["block"], "", row["score"], row["rank"]]
             for row in result["emulation_scores"]]
    rows += [[*frame, "emulation.awards", "", "", title, count, ""] for title, count in result["awards_by_title"].items()]
    return rows_to_csv(["from", "to", "as_of", "scope_unit", "kpi", "unit", "block", "title", "value", "rank"], rows)
