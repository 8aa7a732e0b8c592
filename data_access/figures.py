"""The one computation of the figures: every KPI of the catalogue for a period, an as-of
moment and a scope, optionally broken down — read by every surface (the pages, the kiosk,
the deck, the Government report, the emulation report, both command lines).

The catalogue says how each KPI is formed from named measures; `measures` answers each
fact family with one GROUP BY. Totals are the sums of the per-unit measures (one pass
serves both, and the emulation criteria of the same window reuse it); a rate is formed
from the summed integers, never averaged from other rates.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import catalogue as catalogue_mod
from . import emulation, measures
from .db import Database, Sources
from .model import Period, Scope, cutoff
from .periods import month_keys, trailing_months

DOMAINS = ("procedures", "tasks", "emulation")
SQL_DOMAINS = ("procedures", "tasks")
DIMENSIONS = {
    "procedures": ("unit", "procedure", "field", "channel", "month"),
    "tasks": ("unit", "source", "category", "month"),
}

Values = dict[str, Any]
CONTRACT_SCORE_KEYS = ("unit", "block", "score", "rank")


# --- forming KPIs from measures -------------------------------------------------------------
def _ratio(num: float, den: float) -> float | None:
    # float() of an exact quotient (a Fraction numerator): the correctly rounded mean.
    return None if not den else float(num / den) if isinstance(num, Fraction) else num / den


def service_index(values: Values, cat: catalogue_mod.Catalogue) -> tuple[float | None, list[dict]]:
    """The Decision 766 index over the indicators whose ratio is defined, with each one's points."""
    parts = []
    earned_sum = max_sum = 0.0
    for ind in cat.service_index:
        ratio = values.get(ind.ratio)
        earned = None if ratio is None else ind.max * min(1.0, ratio / ind.full_at)
        parts.append({"indicator": ind.indicator, "ratio_kpi": ind.ratio, "ratio": ratio, "points": earned, "max": ind.max})
        if earned is not None:
            earned_sum += earned
            max_sum += ind.max
    return (100.0 * earned_sum / max_sum if max_sum else None), parts


def kpis_from_measures(measured: dict[str, float | int], domain: str,
                       cat: catalogue_mod.Catalogue | None = None) -> Values:
    """Every KPI of a SQL domain from its measures (`{"fact.measure": value}`, absent = 0)."""
    cat = cat or catalogue_mod.get()
    values: Values = {}
    for kpi in cat.of_domain(domain):
        if kpi.form == "count":
            values[kpi.id] = int(measured.get(kpi.measure, 0))
        elif kpi.form in ("ratio", "mean"):
            den = 0
            for name in kpi.denominator:
                den += measured.get(name, 0)
            values[kpi.id] = _ratio(measured.get(kpi.numerator, 0), den)
    for kpi in cat.of_domain(domain):
        if kpi.form == "index":
            values[kpi.id] = service_index(values, cat)[0]
    return values


def _facts_of(domain: str, cat: catalogue_mod.Catalogue,
              only: tuple[str, ...] | None = None) -> dict[str, tuple[str, ...]]:
    """fact → the measures of it that the domain's KPIs (or those of `only`) read, in the
    fact's order."""
    wanted: dict[str, set[str]] = {}
    for kpi in cat.of_domain(domain):
        if only is not None and kpi.id not in only:
            continue
        for name in kpi.measures_used():
            fact, measure = measures.split(name)
            wanted.setdefault(fact, set()).add(measure)
    return {fact: tuple(m for m in measures.FACTS[fact].measures if m in names)
            for fact, names in wanted.items()}


def domain_measures(db: Database, domain: str, period: Period, as_of: dt.datetime, scope: Scope,
                    by: str | None, cat: catalogue_mod.Catalogue | None = None,
                    only: tuple[str, ...] | None = None) -> dict[Any, dict[str, float | int]]:
    """`{key: {"fact.measure": value}}` for every measure the domain's KPIs (or only
    those of the KPIs `only`) read."""
    window = measures.Window(period, as_of)
    return domain_measures_many(db, domain, [window], scope, by, cat, only)[window]


def domain_measures_many(db: Database, domain: str, windows: list[measures.Window], scope: Scope,
                         by: str | None, cat: catalogue_mod.Catalogue | None = None,
                         only: tuple[str, ...] | None = None) -> dict[measures.Window, dict[Any, dict]]:
    """`domain_measures` of several windows at once, sharing their passes."""
    cat = cat or catalogue_mod.get()
    return measures.gather(db, _facts_of(domain, cat, only), windows, scope, by)


def summed(per_key: dict[Any, dict[str, float | int]]) -> dict[str, float | int]:
    total: dict[str, float | int] = {}
    for values in per_key.values():
        for name, value in values.items():
            total[name] = total.get(name, 0) + value
    return total


def domain_breakdown(db: Database, domain: str, period: Period, as_of: dt.datetime, scope: Scope,
                     by: str) -> dict[Any, Values]:
    """Every KPI of a SQL domain per key of `by` (a unit, procedure, field, channel, source,
    category, or month 'YYYY-MM')."""
    if by not in DIMENSIONS[domain]:
        raise ValueError(f"unknown dimension {by!r}; expected one of {DIMENSIONS[domain]}")
    cat = catalogue_mod.get()
    # A KPI whose fact has no such dimension (tasks due soon by source) is left out, not 0.
    kept = [k.id for k in cat.of_domain(domain)
            if all(by in measures.FACTS[measures.split(m)[0]].dimensions for m in k.measures_used())]
    out = {}
    for key, values in domain_measures(db, domain, period, as_of, scope, by, cat).items():
        formed = kpis_from_measures(values, domain, cat)
        out[key] = {k: formed[k] for k in kept}
    return out


def domain_kpis(db: Database, domain: str, period: Period, as_of: dt.datetime, scope: Scope) -> Values:
    """Every KPI of a SQL domain for the scope (the sum of its units' measures)."""
    cat = catalogue_mod.get()
    return kpis_from_measures(summed(domain_measures(db, domain, period, as_of, scope, "unit", cat)), domain, cat)


# --- the figures of a request -----------------------------------------------------------------
@dataclass(frozen=True)
class EmulationFigures:
    movement: emulation.Movement | None
    evaluation_period: str | None          # 'H1' or 'FY'
    scores: list[dict]                     # per (unit, block): score and rank within the block
    points: list[dict]                     # per (unit, criterion): points earned
    awards_by_title: dict[str, int]
    awards_by_unit: dict[str, int]
    awards_by_kind: dict[str, int]
    block_sizes: dict[int, int]            # members per block (the whole block, whatever the scope)


@dataclass(frozen=True)
class Figures:
    period: Period
    as_of: dt.datetime
    scope: Scope
    kpis: Values                                           # every catalogue KPI (None: undefined)
    by: str | None = None
    breakdown: dict[Any, Values] = field(default_factory=dict)
    index_parts: tuple[dict, ...] = ()                     # the 766 indicators of the total
    emulation: EmulationFigures | None = None

    @property
    def cutoff(self) -> dt.datetime:
        """The period's cut-off: the moment of the snapshot figures (before T for a period
        that ended before T)."""
        return cutoff(self.period, self.as_of)

    def contract(self) -> dict[str, Any]:
        """The report contract's JSON content (`python -m data_access kpis`)."""
        ministry = self.scope.is_ministry and self.emulation is not None
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "as_of": self.as_of.strftime("%Y-%m-%d %H:%M:%S"),
            "unit": self.scope.unit,
            "kpis": dict(self.kpis),
            # The contract's four keys of a score row; the rows carry more for the pages
            # (how many criteria are scored, whether the score is provisional).
            "emulation_scores": [{k: row[k] for k in CONTRACT_SCORE_KEYS} for row in self.emulation.scores]
            if ministry else [],
            "awards_by_title": dict(self.emulation.awards_by_title) if ministry else {},
        }


def empty_values(ids: Iterable[str]) -> Values:
    """The KPIs `ids` of a scope without any record (counts 0, rates undefined)."""
    cat = catalogue_mod.get()
    out: Values = {}
    for domain in SQL_DOMAINS:
        out.update(kpis_from_measures({}, domain, cat))
    return {k: out.get(k) for k in ids}


def organisation_of(sources: Sources):
    """The organisation over time as the procedures database records it (cached a minute)."""
    from . import organisation

    return organisation.cached(sources.procedures)


def ministry_name(sources: Sources, day: dt.date) -> tuple[str, str] | None:
    """(Vietnamese, English) name of the ministry the data describes on `day`: its unit of
    kind `ministry` valid that day with no heir; None when the data has none."""
    unit = organisation_of(sources).ministry(day)
    return None if unit is None else (unit.name_vi, unit.name_en or unit.name_vi)


def resolve(sources: Sources, scope: Scope, as_of: dt.datetime) -> Scope:
    """`scope` with the unit codes it reads as of T (its lineage in `current`)."""
    return scope if scope.resolved else scope.resolve(organisation_of(sources), as_of.date())


def regrouped(per_code: dict[Any, dict[str, float | int]], group) -> dict[Any, dict[str, float | int]]:
    """Measures per unit code added up per `group(code)` (counts, never rates)."""
    out: dict[Any, dict[str, float | int]] = {}
    for code, values in per_code.items():
        into = out.setdefault(group(code), {})
        for name, value in values.items():
            into[name] = into.get(name, 0) + value
    return out


def _per_unit(by_unit: dict[str, dict[Any, dict]], cat) -> dict[Any, Values]:
    out: dict[Any, Values] = {}
    for domain, per_key in by_unit.items():
        for unit, values in per_key.items():
            out.setdefault(unit, {}).update(kpis_from_measures(values, domain, cat))
    return out


def evaluate_movement(sources: Sources, movement: emulation.Movement, period_code: str, as_of: dt.datetime,
                      scope: Scope, kpis_by_unit: dict[Any, Values] | None = None) -> tuple[list[dict], list[dict]]:
    """Scores with ranks (ranked among the whole block) and points per criterion, the
    scope's units only. Automatic criteria read the catalogue's KPIs per unit over the
    evaluation window, computed here unless the caller has them for that window. The
    evaluation is taken at the window's cut-off (last year's FY as at 31 December)."""
    if kpis_by_unit is None:
        window = emulation.eval_window(movement.year, period_code)
        as_of = cutoff(window, as_of)
        cat = catalogue_mod.get()
        lineage = organisation_of(sources).group_of(as_of.date(), "current")
        kpis_by_unit = _per_unit({d: regrouped(domain_measures(getattr(sources, d), d, window, as_of, Scope.ministry(),
                                                               "unit", cat, only=cat.criterion_kpis), lineage)
                                  for d in SQL_DOMAINS}, cat)
    scores = emulation.scores(sources.emulation, movement, period_code, scope, kpis_by_unit)
    points = emulation.criterion_points(sources.emulation, movement, period_code, scope, kpis_by_unit)
    return scores, points


def mean_score(scores: Iterable[dict]) -> float | None:
    """The ministry's mean emulation score: over units (a unit in two blocks counts once)
    with a defined score."""
    defined: dict[str, float] = {}
    for row in scores:
        if row["score"] is not None:
            defined.setdefault(row["unit"], row["score"])
    return sum(defined.values()) / len(defined) if defined else None


def compute(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope, *,
            by: str | None = None, domains: tuple[str, ...] = DOMAINS,
            evaluation_kpis: dict[Any, Values] | None = None) -> Figures:
    """Every KPI of the catalogue for the period, as of T, in the scope (the snapshot
    figures and the emulation evaluation at the period's cut-off); with `by`, each
    SQL domain's KPIs per key of that dimension too (where the domain has it).
    `evaluation_kpis`: the per-unit KPIs of the emulation evaluation window as of T, when
    the caller has them from this same function (they are not computed again)."""
    cat = catalogue_mod.get()
    kpis: Values = {kpi_id: None for kpi_id in cat.ids}
    org = organisation_of(sources) if (by == "unit" or not scope.resolved or "emulation" in domains) else None
    if not scope.resolved:
        scope = scope.resolve(org, as_of.date())
    code = evaluated = None
    # The emulation evaluation is taken at the period's cut-off, as its snapshot figures are.
    cut = cutoff(period, as_of)
    if "emulation" in domains:
        # The movement of the period's first year, evaluated for H1 when the period ends
        # by 30 June, else FY.
        code, evaluated = emulation.evaluation_period(period.start.year, period.end)
    windows = [measures.Window(period, as_of)]
    # The ministry's evaluation window rides in the period's own passes (a month and its
    # year are one pass over the year) where the engine shares passes; a unit's scope
    # cannot carry the whole ministry's. Otherwise the evaluation reads only the facts
    # its criteria need.
    shared = evaluated is not None and scope.is_ministry and all(d in domains for d in SQL_DOMAINS)
    if shared and evaluated != period:
        shared = all(measures.windows_share_a_pass(getattr(sources, d)) for d in SQL_DOMAINS)
        if shared:
            windows.append(measures.Window(evaluated, cut))
    by_unit: dict[str, dict] = {}
    eval_by_unit: dict[str, dict] = {}
    for domain in SQL_DOMAINS:
        if domain in domains:
            per_window = domain_measures_many(getattr(sources, domain), domain, windows, scope, "unit", cat)
            by_unit[domain] = per_window[windows[0]]
            eval_by_unit[domain] = per_window[windows[-1]]
            kpis.update(kpis_from_measures(summed(by_unit[domain]), domain, cat))

    breakdown: dict[Any, Values] = {}
    if by == "unit":
        # In `current` a record counts under the current unit of its code, as of T.
        group = org.group_of(as_of.date(), scope.structure)
        breakdown = _per_unit({d: regrouped(per_code, group) for d, per_code in by_unit.items()}, cat)
    elif by is not None:
        for domain in by_unit:
            if by in DIMENSIONS[domain]:
                for key, values in domain_breakdown(getattr(sources, domain), domain, period, as_of, scope, by).items():
                    breakdown.setdefault(key, {}).update(values)

    index_parts: tuple[dict, ...] = ()
    if "procedures" in by_unit:
        index_parts = tuple(service_index(kpis, cat)[1])

    emu = None
    if "emulation" in domains:
        movement = emulation.movement_for_year(sources.emulation, period.start.year)
        # A member is scored over its lineage as of the cut-off, in both structures.
        lineage = org.group_of(cutoff(evaluated, cut).date() if evaluated else cut.date(), "current")
        reuse = (_per_unit({d: regrouped(per_code, lineage) for d, per_code in eval_by_unit.items()}, cat)
                 if shared else evaluation_kpis)
        emu = _emulation(sources, period, cut, scope, movement, code, reuse)
        if scope.is_ministry:
            kpis["emulation.participating_units"] = emulation.participating_units(
                sources.emulation, movement.id if movement else None)
            kpis["emulation.score"] = mean_score(emu.scores)
            kpis["emulation.awards"] = sum(emu.awards_by_title.values())
        # The contract reports the emulation KPIs for the whole ministry only.
    return Figures(period=period, as_of=as_of, scope=scope, kpis=kpis, by=by, breakdown=breakdown,
                   index_parts=index_parts, emulation=emu)


def compute_available(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope, *,
                      by: str | None = None) -> tuple[Figures, tuple[str, ...]]:
    """`compute`, or when a source fails, the figures of the domains whose sources answered
    and the names of the sources that failed; the emulation part needs all three (its
    automatic criteria read the other two). For a surface that keeps what it has."""
    from .db import SourceError

    failed: list[str] = []
    while True:
        domains = DOMAINS if not failed else tuple(d for d in SQL_DOMAINS if d not in failed)
        try:
            return compute(sources, period, as_of, scope, by=by, domains=domains), tuple(sorted(set(failed)))
        except SourceError as exc:
            if exc.source in failed or len(failed) > len(DOMAINS):
                raise
            failed.append(exc.source)


def _emulation(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope,
               movement: emulation.Movement | None, code: str | None,
               kpis_by_unit: dict[Any, Values] | None) -> EmulationFigures:
    """The movement's scores and points for its evaluation period `code` (criteria read
    `kpis_by_unit` when the caller has them for that window); awards decided in the
    period (cut at T's day)."""
    scores: list[dict] = []
    points: list[dict] = []
    sizes: dict[int, int] = {}
    if movement is not None:
        scores, points = evaluate_movement(sources, movement, code, as_of, Scope.ministry(), kpis_by_unit)
        for row in scores:
            sizes[row["block"]] = sizes.get(row["block"], 0) + 1
        if not scope.is_ministry:
            scores = [r for r in scores if r["unit"] == scope.unit]
            points = [r for r in points if r["unit"] == scope.unit]
    return EmulationFigures(
        movement=movement, evaluation_period=code, scores=scores, points=points,
        awards_by_title=emulation.awards_by(sources.emulation, period, as_of, scope, by="title"),
        awards_by_unit=emulation.awards_by(sources.emulation, period, as_of, scope, by="unit"),
        awards_by_kind=emulation.awards_by(sources.emulation, period, as_of, scope, by="kind"),
        block_sizes=sizes,
    )


# --- trends -----------------------------------------------------------------------------------
def _month_end(key: str) -> dt.datetime:
    year, month = int(key[:4]), int(key[5:])
    return dt.datetime(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(seconds=1)


def trend(sources: Sources, domain: str, as_of: dt.datetime, scope: Scope) -> list[Values]:
    """Each KPI of a SQL domain per month over the 12 months ending with as-of's month,
    as `[{"month": "YYYY-MM", kpi_id: value, …}]`. Snapshot measures (pending dossiers)
    are taken at each month's end (the last one at as-of)."""
    cat = catalogue_mod.get()
    db = getattr(sources, domain)
    scope = resolve(sources, scope, as_of)
    window = trailing_months(as_of.date())
    by_month = domain_measures(db, domain, window, as_of, scope, "month", cat)
    snapshot_facts = {f: names for f, names in _facts_of(domain, cat).items()
                      if "month" not in measures.FACTS[f].dimensions}
    # Tasks due soon are live at T only: not a monthly series.
    live_only = {f"{f}.{n}" for f in snapshot_facts if f == "tasks_due" for n in snapshot_facts[f]}
    snapshot_facts.pop("tasks_due", None)
    left_out = {k.id for k in cat.of_domain(domain) if set(k.measures_used()) & live_only}
    keys = month_keys(window)
    moments = [min(_month_end(key), as_of) for key in keys]
    snapshots: dict[str, list[dict]] = {}
    for fact_name in snapshot_facts:
        if fact_name != "dossiers_pending":
            raise ValueError(f"no monthly series for {fact_name}")
        snapshots[fact_name] = measures.pending_series(db, moments, scope)
    rows = []
    for i, key in enumerate(keys):
        measured = dict(by_month.get(key, {}))
        for fact_name, names in snapshot_facts.items():
            measured.update({f"{fact_name}.{n}": snapshots[fact_name][i][n] for n in names})
        values = kpis_from_measures(measured, domain, cat)
        rows.append({"month": key, **{k: v for k, v in values.items() if k not in left_out}})
    return rows
