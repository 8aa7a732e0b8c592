"""Evaluating the rules: who gets which message today, built from the engine's own
figures and lists in each recipient's resolved scope, exactly as the pages resolve it.

Recipients come from the users file (an account with an e-mail address, not disabled,
is subscribed to the rules of its role until it opts out). Each rule's data is read once
per scope and shared by every recipient of that scope: two hundred unit heads of twenty
units cost twenty queries of a list, not two hundred.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

from auth.users import UserStore
import auth
from data_access import access, catalogue as catalogue_mod, figures, lists
from data_access.db import SourceError, Sources
from data_access.model import Period, Scope
from data_access.periods import DEFAULT_PRESET, preset

from .rules import Rule

# The period of the figures a message quotes: the pages' default view.
PERIOD_PRESET = DEFAULT_PRESET
# The Overview's four headline tiles (screens/overview.py), then the other judged KPIs.
HEADLINE = ("procedures.on_time_rate", "procedures.pending_overdue", "tasks.on_time_rate",
            "tasks.in_progress_overdue")
LIST_LIMIT = 200                  # rows a list message quotes at most ("and N more" beyond)


@dataclass(frozen=True)
class Recipient:
    username: str
    name: str
    email: str
    role: str
    unit: str | None
    lang: str

    @property
    def principal(self) -> access.Principal:
        return access.Principal(self.username, self.role, self.unit)


@dataclass
class Due:
    """One message a rule makes for one recipient: `item` and `day` are its unique key
    with the rule and the recipient; `content` is what the message template reads."""

    rule: Rule
    recipient: Recipient
    item: str
    day: dt.date
    scope: Scope
    content: dict[str, Any]


@dataclass
class Context:
    """What a run shares between recipients: the sources, the moment, the results per
    scope, and the state the rules compare with (and the state to keep afterwards)."""

    sources: Sources
    now: dt.datetime
    previous: dict[str, str] = field(default_factory=dict)
    new_state: dict[str, str] = field(default_factory=dict)
    cache: dict[tuple, Any] = field(default_factory=dict)

    def once(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    @property
    def period(self) -> Period:
        return preset(PERIOD_PRESET, self.now.date())

    def unit_names(self) -> dict[str, tuple[str, str]]:
        return self.once(("unit_names",), lambda: lists.unit_names(self.sources.procedures))

    def ministry(self) -> tuple[str, str] | None:
        return self.once(("ministry",), lambda: figures.ministry_name(self.sources, self.now.date()))

    def current_unit(self, code: str | None) -> str | None:
        """The unit answering today for `code`'s work (the current structure, as the
        Tasks page lists it): a task assigned to a unit since merged away is the heir's."""
        if code is None:
            return None

        def heirs():
            try:
                org = figures.organisation_of(self.sources)
            except SourceError:
                return None                 # no organisation: each code stays its own
            return org, org.heirs(self.now.date())

        found = self.once(("heirs",), heirs)
        return code if found is None else found[0].current(code, self.now.date(), found[1])


def recipients(users_file=None, opted: dict[tuple[str, str], bool] | None = None,
               languages: dict[str, str] | None = None) -> list[Recipient]:
    """Every account that can receive mail: enabled, with an e-mail address, a valid role."""
    store = UserStore(users_file or auth.config("users_file"))
    languages = languages or {}
    out = []
    for user in store.list():
        if user.disabled or not user.email:
            continue
        r = Recipient(user.username, user.name, user.email, user.role, user.unit,
                      languages.get(user.username, "vi") if languages.get(user.username) in ("vi", "en") else "vi")
        if r.principal.valid:
            out.append(r)
    return out


def subscribed(rule: Rule, recipient: Recipient, opted: dict[tuple[str, str], bool]) -> bool:
    """In the rule's audience, permitted what it sends, and not opted out."""
    return (rule.applies_to(recipient.role, recipient.unit) and access.permits(recipient.principal, rule.level)
            and opted.get((recipient.username, rule.id), True))


def scope_of(ctx: Context, recipient: Recipient) -> Scope:
    """The recipient's scope as a page resolves it: `data_access.access` decides (a unit
    head gets their own unit), then the unit's lineage as of today (`ui.data.scope_of`)."""
    scope = access.resolve(recipient.principal, None).scope
    return ctx.once(("scope", scope), lambda: figures.resolve(ctx.sources, scope, ctx.now))


def _scope_key(scope: Scope) -> str:
    return scope.unit or "ministry"


def _records(frame) -> list[dict]:
    return frame.to_dict("records") if frame is not None and len(frame) else []


# --- the triggers -----------------------------------------------------------------------
def _tasks_due(ctx: Context, rule: Rule, scope: Scope) -> dict | None:
    days = rule.params["days"]
    frame = ctx.once(("tasks_due", days, scope), lambda: lists.tasks_due_within(
        ctx.sources.tasks, ctx.now, scope, days, limit=lists.DEFAULT_LIMIT))
    # Each task is reminded on the day it is `days` away: the engine's list of tasks due
    # within that many days, those at its far end.
    rows = [r for r in _records(frame) if int(r["days_left"]) == days]
    if not rows:
        return None
    return {"kind": "tasks_due", "days": days, "rows": rows, "total": len(rows)}


def _tasks_overdue(ctx: Context, rule: Rule, scope: Scope) -> dict | None:
    days = rule.params["days"]
    frame = ctx.once(("tasks_overdue", scope), lambda: lists.overdue_tasks(
        ctx.sources.tasks, ctx.now, scope, limit=lists.DEFAULT_LIMIT))
    rows = [r for r in _records(frame) if r["days_overdue"] is not None and int(r["days_overdue"]) == days]
    if not rows:
        return None
    return {"kind": "tasks_overdue", "days": days, "rows": rows, "total": len(rows)}


def _dossiers_overdue(ctx: Context, rule: Rule, scope: Scope) -> dict | None:
    frame = ctx.once(("dossiers_overdue", scope), lambda: lists.overdue_pending_dossiers(
        ctx.sources.procedures, ctx.now, scope, limit=LIST_LIMIT))
    count = lists.row_count(frame)
    key = f"dossiers_overdue:{rule.id}:{_scope_key(scope)}"
    before = int(ctx.previous.get(key, "0") or 0)
    ctx.new_state[key] = str(count.total)
    if count.total <= before:
        return None
    return {"kind": "dossiers_overdue", "rows": _records(frame), "total": count.total, "before": before}


def _figures(ctx: Context, scope: Scope):
    """The pages' figures of the default period for the scope, per unit for the ministry."""
    by = "unit" if scope.is_ministry else None
    return ctx.once(("figures", scope), lambda: figures.compute(ctx.sources, ctx.period, ctx.now, scope, by=by))


def _kpi_status(ctx: Context, rule: Rule, scope: Scope) -> dict | None:
    cat = catalogue_mod.get()
    result = _figures(ctx, scope)
    seen = [(_scope_key(scope), result.kpis)]
    if scope.is_ministry:
        seen += sorted((str(unit), values) for unit, values in result.breakdown.items())
    crossings = []
    for where, values in seen:
        for kpi in cat:
            status = kpi.status(values.get(kpi.id))
            if status is None:
                continue
            key = f"kpi_status:{rule.id}:{kpi.id}:{where}"
            before = ctx.previous.get(key)
            ctx.new_state[key] = status
            # From green to amber or red; a first sight only records the light.
            if before == "green" and status in ("amber", "red"):
                crossings.append({"kpi": kpi.id, "unit": None if where == "ministry" else where,
                                  "value": values.get(kpi.id), "status": status, "before": before})
    if not crossings:
        return None
    return {"kind": "kpi_status", "rows": crossings, "total": len(crossings)}


def _monday(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.isoweekday() - weekday) % 7)


def weekly_day(now: dt.datetime, weekday: int, hour: int) -> dt.date | None:
    """The day of this week's summary when it is due now (from its hour, and a day after
    for a run that was missed), else None."""
    day = _monday(now.date(), weekday)
    start = dt.datetime.combine(day, dt.time(hour))
    return day if start <= now < start + dt.timedelta(days=2) else None


def _working_days_before(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day -= dt.timedelta(days=1)
        if day.isoweekday() <= 5:
            n -= 1
    return day


def next_cutoff(today: dt.date, day: int) -> dt.date:
    this = today.replace(day=day)
    if today <= this:
        return this
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=day)


def cutoff_period(cut: dt.date) -> Period:
    """The Decree 09/2019 monthly reporting period ending at `cut` (the 14th): from the
    15th of the month before."""
    before = cut.replace(day=1) - dt.timedelta(days=1)
    return Period(before.replace(day=min(cut.day, before.day)) + dt.timedelta(days=1), cut)


def cutoff_day(now: dt.datetime, day: int, working_days: int) -> tuple[dt.date, dt.date] | None:
    """(the reminder's day, the cut-off) when a reminder is due today: from `working_days`
    working days before the cut-off up to the cut-off (a missed run catches up)."""
    cut = next_cutoff(now.date(), day)
    remind = _working_days_before(cut, working_days)
    return (remind, cut) if remind <= now.date() <= cut else None


def _summary(ctx: Context, rule: Rule, scope: Scope, recipient: Recipient) -> dict | None:
    result = _figures(ctx, scope)
    overdue = ctx.once(("tasks_overdue", scope), lambda: lists.overdue_tasks(
        ctx.sources.tasks, ctx.now, scope, limit=lists.DEFAULT_LIMIT))
    cat = catalogue_mod.get()
    # Worst first within each headline KPI, the KPIs in the cards' order: the list a
    # leader reads top down, as the Overview's attention panel is.
    problems = []
    for kpi_id in HEADLINE:
        kpi = cat[kpi_id]
        red = [(unit, values.get(kpi_id)) for unit, values in result.breakdown.items()
               if kpi.status(values.get(kpi_id)) == "red"]
        red.sort(key=lambda uv: (uv[1] if kpi.better == "higher" else -uv[1], str(uv[0])))
        problems.extend({"unit": unit, "kpi": kpi_id, "value": value, "status": "red"} for unit, value in red)
    return {"kind": "weekly_summary", "period": ctx.period, "kpis": {k: result.kpis.get(k) for k in HEADLINE},
            "problems": problems, "overdue": _records(overdue)[:10], "overdue_total": lists.row_count(overdue).total}


def evaluate(ctx: Context, rules: tuple[Rule, ...], people: list[Recipient],
             opted: dict[tuple[str, str], bool]) -> list[Due]:
    """Every message due now, for every subscribed recipient of every rule."""
    out: list[Due] = []
    today = ctx.now.date()
    for rule in rules:
        audience = [p for p in people if subscribed(rule, p, opted)]
        if not audience:
            continue
        day = today
        extra: dict[str, Any] = {}
        if rule.kind == "weekly_summary":
            found = weekly_day(ctx.now, rule.params["weekday"], rule.params["hour"])
            if found is None:
                continue
            day, item_of = found, (lambda s, d=found: f"week:{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}:{_scope_key(s)}")
        elif rule.kind == "cutoff_reminder":
            found = cutoff_day(ctx.now, rule.params["day"], rule.params["working_days"])
            if found is None:
                continue
            day, cut = found
            extra = {"cutoff": cut, "report_period": cutoff_period(cut)}
            item_of = (lambda s, c=cut: f"cutoff:{c.isoformat()}:{_scope_key(s)}")
        else:
            item_of = None
        for person in audience:
            scope = scope_of(ctx, person)
            if rule.kind == "tasks_due":
                content = _tasks_due(ctx, rule, scope)
            elif rule.kind == "tasks_overdue":
                content = _tasks_overdue(ctx, rule, scope)
            elif rule.kind == "dossiers_overdue":
                content = _dossiers_overdue(ctx, rule, scope)
            elif rule.kind == "kpi_status":
                content = _kpi_status(ctx, rule, scope)
            elif rule.kind == "weekly_summary":
                content = _summary(ctx, rule, scope, person)
            else:
                content = {"kind": "cutoff_reminder", **extra}
            if content is None:
                continue
            if item_of is not None:
                item = item_of(scope)
            elif rule.kind in ("dossiers_overdue", "kpi_status"):
                # A change is its own item: a second rise the same day is a new message.
                digest = hashlib.sha256(repr(sorted(map(repr, content["rows"]))).encode()).hexdigest()[:12]
                item = f"{_scope_key(scope)}:{content['total']}:{digest}"
            else:
                item = _scope_key(scope)
            out.append(Due(rule, person, item, day, scope, content))
    return out
