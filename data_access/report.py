"""The report contract's content (`python -m data_access kpis`): the figures of one
period, as-of moment and scope from the one computation, in the contract's shape."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from . import figures
from .db import Sources
from .model import Period, Scope


def compute(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, Any]:
    """`{"from", "to", "as_of", "unit", "kpis", "emulation_scores", "awards_by_title"}`."""
    # The contract reports the emulation part for the whole ministry only.
    domains = figures.DOMAINS if scope.is_ministry else figures.SQL_DOMAINS
    return figures.compute(sources, period, as_of, scope, domains=domains).contract()


def to_json(result: dict) -> str:
    """The contract's JSON text, as the command line prints it."""
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def to_csv(result: dict) -> str:
    """One row per KPI, per emulation score and per award title, with the report's frame."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    frame = [result["from"], result["to"], result["as_of"], result["unit"] or ""]
    writer.writerow(["from", "to", "as_of", "scope_unit", "kpi", "unit", "block", "title", "value", "rank"])

    def cell(value):
        return "" if value is None else value

    for kpi_id, value in result["kpis"].items():
        writer.writerow([*frame, kpi_id, "", "", "", cell(value), ""])
    for row in result["emulation_scores"]:
        writer.writerow([*frame, "emulation.score", row["unit"], row["block"], "", cell(row["score"]), cell(row["rank"])])
    for title, count in result["awards_by_title"].items():
        writer.writerow([*frame, "emulation.awards", "", "", title, count, ""])
    return buf.getvalue()
