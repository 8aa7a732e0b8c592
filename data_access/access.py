"""Who may see what, decided in the data layer: every scope a page asks for passes
through here with the signed-in identity, so a unit head gets their own unit's rows
whatever the URL or a widget says, and an identity without a valid role sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Scope

ROLES = ("admin", "leader", "unit_head", "viewer")

# Pages each role may open (a page left out cannot be reached by URL either).
PAGES = {
    "admin": ("overview", "procedures", "tasks", "emulation", "presentation", "reports", "data_status", "notifications"),
    "leader": ("overview", "procedures", "tasks", "emulation", "presentation", "reports", "notifications"),
    "unit_head": ("overview", "procedures", "tasks", "emulation", "presentation", "reports", "notifications"),
    # (a viewer's own notifications page: their address and that no rule sends them a list)
    "viewer": ("overview", "presentation", "notifications"),
}


# What a query returns, from least to most revealing.
AGGREGATE = "aggregate"     # KPI totals and breakdowns by unit, field, month …
ROWS = "rows"               # individual dossiers, tasks, awards (titles, people's names)
ADMIN = "admin"             # the sources' health and data-quality findings

_LEVELS = {AGGREGATE: ROLES, ROWS: ("admin", "leader", "unit_head"), ADMIN: ("admin",)}


class AccessDenied(PermissionError):
    """The identity may not see this (deny by default)."""


@dataclass(frozen=True)
class Principal:
    """The signed-in identity, as the server knows it (never taken from the browser)."""

    username: str
    role: str
    unit: str | None = None

    @property
    def valid(self) -> bool:
        if self.role not in ROLES or not self.username:
            return False
        return bool(self.unit) if self.role == "unit_head" else True

    @property
    def sees_names(self) -> bool:
        """Viewers (a presentation screen) see aggregates only, never people's names."""
        return permits(self, ROWS)

    def may_open(self, page: str) -> bool:
        return self.valid and page in PAGES[self.role]


@dataclass(frozen=True)
class Resolved:
    scope: Scope
    ignored_unit: str | None = None      # what was asked for and not granted


def resolve(principal: Principal | None, requested_unit: str | None) -> Resolved:
    """The scope `principal` gets when asking for `requested_unit` (None: the ministry).

    A unit head always gets their own unit; what they asked for instead is returned as
    `ignored_unit` so it can be noted. Anyone without a valid identity is refused."""
    if principal is None or not principal.valid:
        raise AccessDenied("no valid signed-in identity")
    requested = requested_unit or None
    if principal.role == "unit_head":
        ignored = requested if requested not in (None, principal.unit) else None
        return Resolved(Scope.of_unit(principal.unit), ignored)
    return Resolved(Scope(requested))


def permits(principal: Principal | None, level: str) -> bool:
    """Whether `principal` may receive results of `level` (deny by default)."""
    return principal is not None and principal.valid and principal.role in _LEVELS[level]


def comparison_allowed(principal: Principal | None) -> bool:
    """Ministry-wide totals as aggregate figures, for comparison: every valid identity."""
    return principal is not None and principal.valid


def comparison_scope(principal: Principal | None) -> Scope:
    """The scope of ministry-wide aggregate KPIs shown beside a unit's own for comparison.

    Only KPI totals may be computed with it — never a breakdown or a list of rows."""
    if not comparison_allowed(principal):
        raise AccessDenied("no valid signed-in identity")
    return Scope.ministry()
