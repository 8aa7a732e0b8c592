"""The report contract's content (`python -m data_access kpis`): the figures of one
period, as-of moment and scope from the one computation, in the contract's shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import figures
from .db import Sources
from .model import Period, Scope


def compute(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, Any]:
    """`{"from", "to", "as_of", "unit", "kpis", "emulation_scores", "awards_by_title"}`."""
    return figures.compute(sources, period, as_of, scope).contract()
