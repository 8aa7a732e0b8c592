"""Procedure (one-stop-shop dossier) KPIs read from one database: the catalogue's
`procedures.*` KPIs through the one computation (`figures`), for callers that hold only
the procedures source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import figures
from .db import Database
from .model import Period, Scope

DIMENSIONS = figures.DIMENSIONS["procedures"]


def procedure_kpis(db: Database, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, Any]:
    """Every `procedures.*` KPI for the period, as of T, in the scope."""
    return figures.domain_kpis(db, "procedures", period, as_of, scope)


def breakdown(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str) -> dict[Any, dict[str, Any]]:
    """Every procedure KPI per unit, procedure, field, channel or month ('YYYY-MM')."""
    return figures.domain_breakdown(db, "procedures", period, as_of, scope, by)
