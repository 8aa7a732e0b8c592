"""Emulation movement KPIs of docs/kpis.md: participating units, scores and ranks per block,
awards. Criteria tied to a KPI are scored from that KPI per unit, computed by the same
grouped SQL as every other figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from . import catalogue
from .db import Database
from .model import Period, Scope
from .schema import awards as A
from .schema import block_members as BM
from .schema import blocks as B
from .schema import criteria as C
from .schema import evaluations as E
from .schema import movements as M
from .sqlfn import Sql


@dataclass(frozen=True)
class Movement:
    id: int
    year: int
    name_vi: str | None
    name_en: str | None
    theme_vi: str | None
    theme_en: str | None


def criterion_codes(criteria: list[dict]) -> dict[int, str]:
    """'1.1', '1.2', '2.1' … : content number and position within the content, as the
    Emulation page and the report number them."""
    codes: dict[int, str] = {}
    seen: dict = {}
    for c in criteria:
        seen[c["content_no"]] = seen.get(c["content_no"], 0) + 1
        codes[c["id"]] = f"{c['content_no'] if c['content_no'] is not None else '?'}.{seen[c['content_no']]}"
    return codes


def evaluation_period(year: int, period_end: dt.date) -> tuple[str, Period]:
    """'H1' when the period ends by 30 June of the movement's year, else 'FY'."""
    if period_end <= dt.date(year, 6, 30):
        return "H1", Period.half_year(year)
    return "FY", Period.year(year)


def eval_window(year: int, code: str) -> Period:
    return Period.half_year(year) if code == "H1" else Period.year(year)


def movement_for_year(db: Database, year: int) -> Movement | None:
    rows = db.execute(
        sa.select(M.c.id, M.c.year, M.c.name_vi, M.c.name_en, M.c.theme_vi, M.c.theme_en)
        .where(M.c.year == sa.literal(year, sa.Integer)).order_by(M.c.id),
        limit=1,
    )
    return Movement(*rows[0]) if rows else None


def memberships(db: Database, movement_id: int, scope: Scope) -> list[tuple[int, str]]:
    stmt = (
        sa.select(BM.c.block_id, BM.c.unit_code)
        .select_from(BM.join(B, B.c.id == BM.c.block_id))
        .where(B.c.movement_id == sa.literal(movement_id, sa.Integer))
        .order_by(BM.c.block_id, BM.c.unit_code)
    )
    if not scope.is_ministry:
        stmt = stmt.where(BM.c.unit_code == sa.literal(scope.unit, sa.String))
    return [(int(b), u) for b, u in db.execute(stmt, limit=None)]


def participating_units(db: Database, movement_id: int | None) -> int:
    if movement_id is None:
        return 0
    stmt = (
        sa.select(sa.func.count(sa.distinct(BM.c.unit_code)))
        .select_from(BM.join(B, B.c.id == BM.c.block_id))
        .where(B.c.movement_id == sa.literal(movement_id, sa.Integer))
    )
    return int(db.scalar(stmt) or 0)


def blocks(db: Database, movement_id: int) -> list[dict]:
    rows = db.execute(
        sa.select(B.c.id, B.c.name_vi, B.c.name_en).where(B.c.movement_id == sa.literal(movement_id, sa.Integer)).order_by(B.c.id),
        limit=None,
    )
    return [{"id": int(r[0]), "name_vi": r[1], "name_en": r[2]} for r in rows]


def criteria(db: Database, movement_id: int) -> list[dict]:
    """The movement's criteria; one whose maximum is not a number cannot be scored on and
    is left out (counted by `unreadable_rows`)."""
    sql = Sql(db.dialect)
    rows = db.execute(
        sa.select(C.c.id, C.c.content_no, C.c.name_vi, C.c.name_en, sql.number(C.c.max_points), C.c.metric)
        .where(C.c.movement_id == sa.literal(movement_id, sa.Integer)).order_by(C.c.content_no, C.c.id),
        limit=None,
    )
    return [
        {"id": int(r[0]), "content_no": r[1], "name_vi": r[2], "name_en": r[3], "max_points": float(r[4]), "metric": r[5] or None}
        for r in rows if r[4] is not None
    ]


def _evaluations_of(movement_id: int, period_code: str) -> list:
    return [E.c.movement_id == sa.literal(movement_id, sa.Integer), E.c.period == sa.literal(period_code, sa.String)]


def hand_points(db: Database, movement_id: int, period_code: str, scope: Scope) -> dict[tuple[str, int], float]:
    """Points given by hand per (unit, criterion); a value that is not a number is left
    out (counted by `unreadable_rows`)."""
    points = Sql(db.dialect).number(E.c.points)
    stmt = sa.select(E.c.unit_code, E.c.criterion_id, points).where(
        *_evaluations_of(movement_id, period_code), points.is_not(None))
    if not scope.is_ministry:
        stmt = stmt.where(E.c.unit_code == sa.literal(scope.unit, sa.String))
    return {(u, int(c)): float(p) for u, c, p in db.execute(stmt, limit=None)}


def unreadable_rows(db: Database, movement_id: int, period_code: str) -> dict[str, int]:
    """How many evaluation rows and criteria of the movement hold a number that is not
    one (left out of every score). Only SQLite can hold such values; elsewhere nothing
    is asked."""
    sql = Sql(db.dialect)
    if not sql.sqlite:
        return {"evaluations": 0, "criteria": 0}
    bad_points = sa.and_(E.c.points.is_not(None), sql.number(E.c.points).is_(None))
    evaluations = db.scalar(sa.select(sa.func.count()).select_from(E).where(
        *_evaluations_of(movement_id, period_code), bad_points))
    bad_max = sql.number(C.c.max_points).is_(None)
    crit = db.scalar(sa.select(sa.func.count()).select_from(C).where(
        C.c.movement_id == sa.literal(movement_id, sa.Integer), bad_max))
    return {"evaluations": int(evaluations or 0), "criteria": int(crit or 0)}


@dataclass(frozen=True)
class UnitScore:
    score: float | None
    criteria_scored: int        # criteria that apply: automatic with a value, by hand with points
    criteria_total: int         # the movement's criteria
    provisional: bool           # a criterion scored by hand has no points for the unit yet


def score_units(
    crit: list[dict], units: list[str], hand: dict[tuple[str, int], float], kpis_by_unit: dict[str, dict[str, Any]]
) -> dict[str, UnitScore]:
    """`100 × Σ earned ÷ Σ max` over the criteria that apply to each unit, with how many
    apply. A score is provisional while a hand-scored criterion has no evaluation row
    (with a number) for the unit: the evaluators have not scored it yet, and the score
    and its rank will move when they do. An automatic criterion without a value (no
    dossier to rate) is not waiting for anyone, so it does not make a score provisional."""
    allowed = set(catalogue.get().criterion_kpis)
    scores: dict[str, UnitScore] = {}
    for unit in units:
        earned = max_sum = 0.0
        scored = 0
        waiting = False
        for c in crit:
            if c["metric"]:
                value = kpis_by_unit.get(unit, {}).get(c["metric"]) if c["metric"] in allowed else None
                if value is None:
                    continue
                earned += c["max_points"] * value
            else:
                points = hand.get((unit, c["id"]))
                if points is None:
                    waiting = True
                    continue
                earned += points
            max_sum += c["max_points"]
            scored += 1
        scores[unit] = UnitScore(100.0 * earned / max_sum if max_sum else None, scored, len(crit), waiting)
    return scores


def rank_block(scores: list[tuple[str, float | None]]) -> dict[str, int | None]:
    """Competition ranking (1, 2, 2, 4); undefined scores unranked."""
    scored = sorted((s for s in scores if s[1] is not None), key=lambda s: -s[1])
    ranks: dict[str, int | None] = {}
    previous: float | None = None
    rank = 0
    for position, (unit, score) in enumerate(scored, start=1):
        # Scores built from the same inputs in different order can differ in the last bit.
        if previous is None or round(score, 9) != round(previous, 9):
            rank = position
        ranks[unit] = rank
        previous = score
    for unit, score in scores:
        if score is None:
            ranks[unit] = None
    return ranks


def scores(db: Database, movement: Movement, period_code: str, scope: Scope,
           kpis_by_unit: dict[str, dict[str, Any]]) -> list[dict]:
    """Per (unit, block): score and rank within the block, ranked first, unranked last,
    with `criteria_scored`, `criteria_total` and `provisional` (see `score_units`).
    `kpis_by_unit` holds the criteria's KPIs per unit over the evaluation window
    (`figures.evaluate_movement` computes them)."""
    members = memberships(db, movement.id, Scope.ministry())
    crit = criteria(db, movement.id)
    hand = hand_points(db, movement.id, period_code, Scope.ministry())
    unit_scores = score_units(crit, sorted({u for _, u in members}), hand, kpis_by_unit)
    result = []
    for block_id in sorted({b for b, _ in members}):
        in_block = [(u, unit_scores[u].score) for b, u in members if b == block_id]
        ranks = rank_block(in_block)
        for unit, score in in_block:
            got = unit_scores[unit]
            result.append({"unit": unit, "block": block_id, "score": score, "rank": ranks[unit],
                           "criteria_scored": got.criteria_scored, "criteria_total": got.criteria_total,
                           "provisional": got.provisional})
    result.sort(key=lambda r: (r["block"], r["rank"] is None, r["rank"] or 0, r["unit"]))
    if not scope.is_ministry:
        result = [r for r in result if r["unit"] == scope.unit]
    return result


def criterion_points(db: Database, movement: Movement, period_code: str, scope: Scope,
                     kpis_by_unit: dict[str, dict[str, Any]]) -> list[dict]:
    """Each unit's points per criterion (None where the criterion does not apply)."""
    members = memberships(db, movement.id, scope)
    crit = criteria(db, movement.id)
    hand = hand_points(db, movement.id, period_code, scope)
    allowed = set(catalogue.get().criterion_kpis)
    rows = []
    for unit in sorted({u for _, u in members}):
        for c in crit:
            if c["metric"]:
                value = kpis_by_unit.get(unit, {}).get(c["metric"]) if c["metric"] in allowed else None
                points = None if value is None else c["max_points"] * value
            else:
                points = hand.get((unit, c["id"]))
            rows.append({"unit": unit, "criterion_id": c["id"], "content_no": c["content_no"],
                         "automatic": bool(c["metric"]), "metric": c["metric"],
                         "points": points, "max_points": c["max_points"]})
    return rows


def _awards_where(db: Database, period: Period, as_of: dt.datetime, scope: Scope) -> list:
    sql = Sql(db.dialect)
    last_day = min(period.end, as_of.date())
    decided = sql.date_column(A.c.decided_on)
    where = [decided >= sql.date_value(period.start), decided <= sql.date_value(last_day)]
    # Awards to the units a scope took over are its own in `current` (its lineage).
    from .measures import unit_filter

    return where + unit_filter(A.c.unit_code, scope)


def awards_count(db: Database, period: Period, as_of: dt.datetime, scope: Scope) -> int:
    return int(db.scalar(sa.select(sa.func.count()).select_from(A).where(*_awards_where(db, period, as_of, scope))) or 0)


def awards_by(db: Database, period: Period, as_of: dt.datetime, scope: Scope, by: str = "title") -> dict[Any, int]:
    """Awards decided in the period (cut at T's day) per title or per unit."""
    column = {"title": A.c.title, "unit": A.c.unit_code, "kind": A.c.recipient_kind}[by]
    stmt = (
        sa.select(column, sa.func.count()).select_from(A)
        .where(*_awards_where(db, period, as_of, scope)).group_by(column).order_by(column)
    )
    return {key: int(n) for key, n in db.execute(stmt, limit=None)}


AWARD_COLUMNS = ["title", "recipient_kind", "recipient_name", "unit_code", "decision_no", "decided_on"]


def awards_list(db: Database, period: Period, as_of: dt.datetime, scope: Scope, limit: int | None = None):
    """The awards `awards_by` counts, newest first, as rows of AWARD_COLUMNS with
    `decided_on` a date."""
    sql = Sql(db.dialect)
    stmt = (
        sa.select(A.c.title, A.c.recipient_kind, A.c.recipient_name, A.c.unit_code, A.c.decision_no,
                  sql.date_text(A.c.decided_on))
        .where(*_awards_where(db, period, as_of, scope))
        .order_by(sql.date_column(A.c.decided_on).desc(), A.c.title, A.c.unit_code, A.c.recipient_name, A.c.id)
    )
    rows = []
    for r in db.execute(stmt, limit=limit):
        *head, decided = tuple(r)
        rows.append((*head, dt.date.fromisoformat(str(decided)[:10]) if decided else None))
    return rows
