"""Helpers of the Emulation page: the awards list (a cached `live` query), and the frames
the page draws — criteria codes, the unit × criterion table, the block rankings with
last year's rank — built from the `ui.data` results, in the reader's language."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access import access, catalogue, emulation, lists, settings
from data_access.db import Database
from data_access.model import Period, Scope
from l10n import fmt
from l10n.i18n import enum, t

from .data import live, sources
from .text import plain

CONTENT_NUMBERS = (1, 2, 3, 4, 5, 6)
AUTOMATIC_MARK = "⚙"
HAND_MARK = "✍"
AWARD_COLUMNS = emulation.AWARD_COLUMNS


# --- queries -----------------------------------------------------------------------------
@live(level=access.ROWS)
def awards_list(start: dt.date, end: dt.date, unit: str | None, *, as_of: dt.datetime) -> pd.DataFrame:
    """Awards decided in [start, end] cut at as-of's day, newest first (the same rows
    `emulation.awards_by` counts)."""
    return award_frame(sources().emulation, Period(start, end), as_of, Scope(unit))


def award_frame(db: Database, period: Period, as_of: dt.datetime, scope: Scope) -> pd.DataFrame:
    """`emulation.awards_list` as a frame carrying its total (see `data_access.lists`):
    when the list is cut at the `row_limit` setting, the count of the same awards."""
    rows = emulation.awards_list(db, period, as_of, scope)
    frame = pd.DataFrame(rows, columns=AWARD_COLUMNS)
    full = len(rows) >= settings.get("row_limit")
    return lists.with_total(frame, emulation.awards_count(db, period, as_of, scope) if full else len(rows))


# --- names -------------------------------------------------------------------------------
def named(row: dict, lang: str, field: str = "name") -> str:
    """The `name_vi` / `name_en` of a row in the language, falling back to Vietnamese."""
    vi = row.get(f"{field}_vi")
    return (row.get(f"{field}_en") or vi or "") if lang == "en" else (vi or row.get(f"{field}_en") or "")


def unit_name(code: str | None, units: dict[str, tuple[str, str]], lang: str) -> str:
    if code in units:
        return units[code][0 if lang == "vi" else 1]
    return code or "—"


def content_title(number, lang: str) -> str:
    if number in CONTENT_NUMBERS:
        return t(f"emulation.content_{number}", lang)
    return t("emulation.content_other", lang)


def mode_text(criterion: dict, lang: str) -> str:
    if criterion["metric"]:
        try:
            kpi = catalogue.get()[criterion["metric"]]
        except KeyError:
            kpi = None
        name = kpi.name(lang) if kpi else criterion["metric"]
        return t("emulation.mode_automatic", lang, mark=AUTOMATIC_MARK, kpi=name)
    return t("emulation.mode_hand", lang, mark=HAND_MARK)


def points(value: float | None, lang: str) -> str:
    return fmt.number(value, lang, 1)


# --- frames ------------------------------------------------------------------------------
def criterion_table(rows: list[dict], criteria: list[dict], scores: dict[str, float | None],
                    units: dict[str, tuple[str, str]], lang: str) -> tuple[pd.DataFrame, dict[str, str], dict]:
    """Unit × criterion points ("—" where a criterion does not apply) and the score.

    Returns the frame, the {column: label} map for `tables.show`, and help per column."""
    codes = emulation.criterion_codes(criteria)
    by_unit: dict[str, dict[int, float | None]] = {}
    for r in rows:
        by_unit.setdefault(r["unit"], {})[r["criterion_id"]] = r["points"]
    columns = {"unit": t("emulation.col_unit", lang)}
    helps: dict[str, str] = {}
    for c in criteria:
        key = f"c{c['id']}"
        mark = AUTOMATIC_MARK if c["metric"] else HAND_MARK
        columns[key] = t("emulation.criterion_header", lang, code=codes[c["id"]], mark=mark,
                         max=fmt.number(c["max_points"], lang, 0 if float(c["max_points"]).is_integer() else 1))
        helps[key] = f"{plain(named(c, lang))} — {mode_text(c, lang)}"
    columns["score"] = t("emulation.col_score_100", lang)
    records = []
    for unit, got in by_unit.items():
        record = {"unit": unit_name(unit, units, lang)}
        for c in criteria:
            record[f"c{c['id']}"] = points(got.get(c["id"]), lang)
        record["score"] = points(scores.get(unit), lang)
        record["_sort"] = scores.get(unit)
        records.append(record)
    frame = pd.DataFrame(records, columns=[*columns, "_sort"])
    if not frame.empty:
        frame = frame.sort_values(["_sort", "unit"], ascending=[False, True], na_position="last", kind="stable")
    return frame.drop(columns="_sort"), columns, helps


def change_text(rank: int | None, previous: int | None, lang: str) -> str:
    """↑ n / ↓ n / = against last year's rank; "—" when either is missing."""
    if rank is None or previous is None:
        return t("undefined", lang)
    if rank < previous:
        return t("emulation.change_up", lang, n=previous - rank)
    if rank > previous:
        return t("emulation.change_down", lang, n=rank - previous)
    return t("emulation.change_same", lang)


def provisional_text(row: dict, lang: str) -> str:
    """"tạm tính · 4/12 tiêu chí" for a provisional score, else "" (a unit without any
    score is unranked, which says it already)."""
    if not row.get("provisional") or row.get("score") is None:
        return ""
    return t("emulation.provisional", lang, scored=row["criteria_scored"], total=row["criteria_total"])


RANKING_COLUMNS = ["rank", "unit", "score", "provisional", "previous_rank", "change", "score_value", "code"]


def ranking_frame(rows: list[dict], previous: dict[str, int | None], units: dict[str, tuple[str, str]],
                  lang: str) -> pd.DataFrame:
    """One block's ranking (rows of `emulation.scores`, already ranked first, unranked last)."""
    records = []
    for r in rows:
        before = previous.get(r["unit"])
        records.append({
            "rank": str(r["rank"]) if r["rank"] is not None else t("emulation.unranked", lang),
            "unit": unit_name(r["unit"], units, lang),
            "score": points(r["score"], lang),
            "provisional": provisional_text(r, lang),
            "previous_rank": str(before) if before is not None else t("undefined", lang),
            "change": change_text(r["rank"], before, lang),
            "score_value": r["score"],
            "code": r["unit"],
        })
    return pd.DataFrame(records, columns=RANKING_COLUMNS)


def award_rows(frame: pd.DataFrame, units: dict[str, tuple[str, str]], lang: str) -> pd.DataFrame:
    shown = frame.copy()
    shown["title"] = [enum("title", v, lang) for v in frame["title"]]
    shown["recipient_kind"] = [enum("recipient_kind", v, lang) for v in frame["recipient_kind"]]
    shown["unit_code"] = [unit_name(v, units, lang) for v in frame["unit_code"]]
    shown["recipient_name"] = frame["recipient_name"].fillna("—")
    shown["decision_no"] = frame["decision_no"].fillna("—")
    return shown
