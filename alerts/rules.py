"""The rule catalogue (`config/alerts.toml`, the `alerts_catalogue` setting): read and
checked as a whole, so a mistake is refused with its rule and key before anything is
sent, never half-applied."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from data_access import access, settings

ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEMPLATES = ("list", "summary")
# Each trigger kind: its parameters with their allowed range, and what a recipient must be
# permitted to receive (a list of tasks or dossiers is rows; the summary is figures).
TRIGGERS: dict[str, dict[str, Any]] = {
    "tasks_due": {"params": {"days": (1, 366)}, "level": access.ROWS},
    "tasks_overdue": {"params": {"days": (1, 366)}, "level": access.ROWS},
    "dossiers_overdue": {"params": {}, "level": access.ROWS},
    "kpi_status": {"params": {}, "level": access.AGGREGATE},
    "weekly_summary": {"params": {"weekday": (1, 7), "hour": (0, 23)}, "level": access.ROWS},
    "cutoff_reminder": {"params": {"day": (1, 28), "working_days": (0, 15)}, "level": access.AGGREGATE},
}
DEFAULTS = {"weekly_summary": {"weekday": 1, "hour": 7}, "cutoff_reminder": {"day": 14, "working_days": 3}}
RULE_KEYS = ("id", "name_vi", "name_en", "audience", "trigger", "template")


class RuleError(ValueError):
    """The catalogue cannot be used; the message names the file, the rule and the key."""


@dataclass(frozen=True)
class Rule:
    id: str
    name_vi: str
    name_en: str
    role: str
    unit: str | None
    kind: str
    params: Mapping[str, int] = field(default_factory=dict)
    template: str = "list"

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    @property
    def level(self) -> str:
        return TRIGGERS[self.kind]["level"]

    def applies_to(self, role: str, unit: str | None) -> bool:
        """Whether a user of `role` (and `unit`) is in this rule's audience."""
        return role == self.role and (self.unit is None or self.unit == unit)


def catalogue_path() -> Path:
    path = Path(settings.get("alerts_catalogue"))
    return path if path.is_absolute() else settings.PROJECT_ROOT / path


def _rule(entry: Any, where: str) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError(f"{where}: a rule must be a table [[rule]]")
    for key in entry:
        if key not in RULE_KEYS:
            raise RuleError(f"{where}: unknown key {key!r}; a rule has {', '.join(RULE_KEYS)}")
    for key in RULE_KEYS:
        if key not in entry:
            raise RuleError(f"{where}: missing {key!r}")
    rid = entry["id"]
    if not isinstance(rid, str) or not ID_RE.match(rid):
        raise RuleError(f"{where}: id {rid!r} must be lower-case letters, digits and '_' (at most 40)")
    where = f"{where} ({rid})"
    for key in ("name_vi", "name_en"):
        if not isinstance(entry[key], str) or not entry[key].strip() or len(entry[key]) > 120:
            raise RuleError(f"{where}: {key} must be a text of 1 to 120 characters")
    audience = entry["audience"]
    if not isinstance(audience, dict) or set(audience) - {"role", "unit"} or "role" not in audience:
        raise RuleError(f"{where}: audience must be {{ role = \"…\" }} with an optional unit = \"CODE\"")
    if audience["role"] not in access.ROLES:
        raise RuleError(f"{where}: audience role {audience['role']!r} is not one of {', '.join(access.ROLES)}")
    unit = audience.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        raise RuleError(f"{where}: audience unit must be a unit code")
    trigger = entry["trigger"]
    if not isinstance(trigger, dict) or trigger.get("kind") not in TRIGGERS:
        raise RuleError(f"{where}: trigger kind must be one of {', '.join(TRIGGERS)}")
    kind = trigger["kind"]
    allowed = TRIGGERS[kind]["params"]
    params = dict(DEFAULTS.get(kind, {}))
    for key, value in trigger.items():
        if key == "kind":
            continue
        if key not in allowed:
            raise RuleError(f"{where}: trigger {kind} takes no {key!r}"
                            + (f"; it takes {', '.join(allowed)}" if allowed else ""))
        low, high = allowed[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise RuleError(f"{where}: trigger {key} = {value!r} must be a whole number {low} … {high}")
        params[key] = value
    for key in allowed:
        if key not in params:
            raise RuleError(f"{where}: trigger {kind} needs {key!r}")
    if kind == "tasks_due" and audience["role"] == "viewer":
        raise RuleError(f"{where}: the viewer role gets aggregate figures only, never a list of tasks")
    if TRIGGERS[kind]["level"] == access.ROWS and audience["role"] == "viewer":
        raise RuleError(f"{where}: the viewer role gets aggregate figures only")
    if entry["template"] not in TEMPLATES:
        raise RuleError(f"{where}: template must be one of {', '.join(TEMPLATES)}")
    return Rule(rid, entry["name_vi"].strip(), entry["name_en"].strip(), audience["role"],
                unit.strip() if unit else None, kind, MappingProxyType(params), entry["template"])


def parse(data: dict, where: str = "alerts catalogue") -> tuple[Rule, ...]:
    if set(data) - {"rule"}:
        raise RuleError(f"{where}: unknown table {sorted(set(data) - {'rule'})[0]!r}; rules are [[rule]]")
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise RuleError(f"{where}: rules are [[rule]] tables")
    rules = [_rule(e, f"{where}: rule {i + 1}") for i, e in enumerate(entries)]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{where}: two rules are named {rule.id!r}")
        seen.add(rule.id)
    return tuple(rules)


def load(path: Path | None = None) -> tuple[Rule, ...]:
    """Every rule of the catalogue, checked; raises RuleError."""
    path = path or catalogue_path()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise RuleError(f"no alerts catalogue at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path} is not valid TOML: {exc}") from None
    return parse(data, str(path))
