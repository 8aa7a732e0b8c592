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


def compute(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, Any]:
    """`{"from", "to", "as_of", "unit", "kpis", "emulation_scores", "awards_by_title"}`."""
    # The contract reports the emulation part for the whole ministry only.
    domains = figures.DOMAINS if scope.is_ministry else figures.SQL_DOMAINS
    return figures.compute(sources, period, as_of, scope, domains=domains).contract()


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
