"""The six-monthly (H1) and year-end (FY) emulation report for the Minister: the movement,
each unit's points per criterion, the ranking within each emulation block and the awards
decided in the evaluation window — as a workbook and as an A4 PDF in the layout of a
Vietnamese administrative document (`reports.document`): the ministry office signs and
sends it as it is.

Everything comes from `data_access.emulation`, computed exactly as the Emulation page
and the KPI report compute it. The awards list names people: the report is for the
Minister (viewers, who must not see names, cannot open Reports)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from fpdf.fonts import FontFace

from data_access import catalogue, emulation, figures, lists
from data_access.db import Sources
from data_access.emulation import Movement
from data_access.model import Period, Scope
from data_access.schema import AWARD_TITLES
from l10n import fmt
from l10n.i18n import enum, t

from . import document
from .document import DOC_FONT, GROUP_FILL, Fields, heading_row
from .government import (
    DATE_FORMATS,
    FORMAT_COUNT,
    FORMAT_ONE_DECIMAL,
    FORMAT_TWO_DECIMALS,
    MOMENT_FORMATS,
    Names,
    add_about,
    add_table,
    new_workbook,
    save,
    scope_text,
    unit_label,
)

PERIOD_CODES = ("H1", "FY")


class NoMovement(ValueError):
    """There is no emulation movement for the year asked for."""


@dataclass(frozen=True)
class EmulationReport:
    movement: Movement
    period_code: str                       # "H1" or "FY"
    window: Period                         # the evaluation window (awards decided in it, cut at as_of)
    as_of: dt.datetime
    scope: Scope
    blocks: list[dict]                     # id, name_vi, name_en, size (units in the whole block)
    criteria: list[dict]                   # emulation.criteria rows plus "code" ("1.1", "1.2", "2.1" …)
    points: list[dict]                     # emulation.criterion_points rows (the scope's units)
    scores: list[dict]                     # emulation.scores rows (the scope's units; ranks within the whole block)
    awards_by_title: dict[str, int]
    awards_by_unit: dict[str, int]
    awards: list[tuple]                    # emulation.AWARD_COLUMNS rows, by title, unit, recipient
    participating_units: int               # in the whole movement
    hand_scored: bool                      # any points given by hand for this period (ministry-wide)
    ministry: tuple[str, str] | None = None    # the ministry's name (vi, en) from the units table
    awards_by_kind: dict[tuple[str, str], int] = field(default_factory=dict)   # (title, kind) → n
    # {code: (name_vi, name_en)} read with the figures, so that every copy of the report
    # (the app's, the command line's) names units the same way, never by their codes.
    unit_names: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.movement.year

    @property
    def mean_score(self) -> float | None:
        defined = {r["unit"]: r["score"] for r in self.scores if r["score"] is not None}
        return sum(defined.values()) / len(defined) if defined else None


# --- reading -------------------------------------------------------------------------------
def unit_names(sources: Sources) -> dict[str, tuple[str, str]]:
    """{code: (name_vi, name_en)} of the units that answer for work (the ministry left out)."""
    return lists.unit_names(sources.procedures)


def ministry_name(sources: Sources, day: dt.date | None = None) -> tuple[str, str] | None:
    """The ministry the data describes on `day` (today when not given), (vi, en)."""
    return figures.ministry_name(sources, day or dt.date.today())


def _title_order(title: str) -> int:
    return AWARD_TITLES.index(title) if title in AWARD_TITLES else len(AWARD_TITLES)


def report(sources: Sources, year: int, period_code: str, as_of: dt.datetime, scope: Scope) -> EmulationReport:
    """The emulation report of the movement of `year` for `period_code` ("H1": 1 January –
    30 June, "FY": the whole year), as of `as_of`, for the ministry or one unit (its rows
    only; ranks are still among its whole block). Raises NoMovement when the year has
    no movement."""
    if period_code not in PERIOD_CODES:
        raise ValueError(f"evaluation period {period_code!r}, expected H1 or FY")
    movement = emulation.movement_for_year(sources.emulation, year)
    if movement is None:
        raise NoMovement(f"there is no emulation movement for {year}")
    window = emulation.eval_window(movement.year, period_code)
    # The one computation: the window's figures give the scores, points and awards.
    found = figures.compute(sources, window, as_of, scope, domains=("emulation",)).emulation
    scores, points = found.scores, found.points
    crit = emulation.criteria(sources.emulation, movement.id)
    codes = emulation.criterion_codes(crit)
    members = emulation.memberships(sources.emulation, movement.id, Scope.ministry())
    sizes = Counter(b for b, _ in members)
    blocks = [{**b, "size": sizes.get(b["id"], 0)} for b in emulation.blocks(sources.emulation, movement.id)]
    hand = emulation.hand_points(sources.emulation, movement.id, period_code, Scope.ministry())
    by_title, by_unit = found.awards_by_title, found.awards_by_unit
    awards = emulation.awards_list(sources.emulation, window, as_of, scope)
    awards.sort(key=lambda r: (_title_order(r[0]), r[0] or "", r[3] or "", r[1] or "", r[2] or "",
                               r[5] or dt.date.min))
    by_kind = Counter((r[0], r[1]) for r in awards)
    return EmulationReport(
        movement=movement, period_code=period_code, window=window, as_of=as_of, scope=scope,
        blocks=blocks, criteria=[{**c, "code": codes[c["id"]]} for c in crit], points=points, scores=scores,
        awards_by_title=by_title, awards_by_unit=by_unit, awards=awards,
        participating_units=emulation.participating_units(sources.emulation, movement.id),
        hand_scored=bool(hand), ministry=ministry_name(sources, as_of.date()), awards_by_kind=dict(by_kind),
        unit_names=unit_names(sources),
    )


# --- shared wording ------------------------------------------------------------------------
def _named(row: dict, lang: str, field_name: str = "name") -> str:
    vi = row.get(f"{field_name}_vi")
    en = row.get(f"{field_name}_en")
    return (en or vi or "") if lang == "en" else (vi or en or "")


def _block_name(rep: EmulationReport, block_id: int, lang: str) -> str:
    for b in rep.blocks:
        if b["id"] == block_id:
            return _named(b, lang) or t("emulation.block_fallback", lang, id=block_id)
    return t("emulation.block_fallback", lang, id=block_id)


def _ministry(rep: EmulationReport, lang: str) -> str:
    if rep.ministry:
        return rep.ministry[0] if lang == "vi" else rep.ministry[1]
    return t("ministry", lang)


def _content_title(number, lang: str) -> str:
    if number in (1, 2, 3, 4, 5, 6):
        return t(f"emulation.content_{number}", lang)
    return t("emulation.content_other", lang)


def _mode(criterion: dict, lang: str) -> str:
    if criterion["metric"]:
        try:
            name = catalogue.get()[criterion["metric"]].name(lang)
        except KeyError:
            name = criterion["metric"]
        return t("reports.mode_automatic", lang, kpi=name)
    return t("reports.mode_hand", lang)


def _title(rep: EmulationReport, lang: str) -> str:
    return t(f"reports.emulation_title_{rep.period_code.lower()}", lang, year=rep.year)


def _names(rep: EmulationReport, given: Names | None) -> dict[str, tuple[str, str]]:
    """The report's own unit names, with any the caller adds."""
    return {**rep.unit_names, **(given or {})}


def provisional_text(row: dict, lang: str) -> str | None:
    """"tạm tính (3/10 tiêu chí)" for a score that still lacks hand-scored criteria (the
    score rows carry `provisional`, `criteria_scored`, `criteria_total`), else None."""
    if not row.get("provisional") or row.get("score") is None:
        return None
    scored, total = row.get("criteria_scored"), row.get("criteria_total")
    if scored is None or total is None:
        return t("reports.provisional_short", lang)
    return t("reports.provisional", lang, scored=scored, total=total)


def _excerpt(rep: EmulationReport, lang: str) -> tuple[str, ...]:
    return (t(f"reports.emulation_excerpt_{rep.period_code.lower()}", lang, year=rep.year),)


def compose(rep: EmulationReport, lang: str, fields: Fields | None = None) -> document.Document:
    """The report's administrative-document heading and closing; `fields` default to the settings."""
    return document.compose("emulation", fields if fields is not None else document.from_settings("emulation"),
                            lang, ministry=_ministry(rep, lang), day=rep.as_of.date(), excerpt=_excerpt(rep, lang))


def _kinds_of(rep: EmulationReport, key_index: int) -> dict:
    """{title or unit: (collective, individual)} from the awards list."""
    out: dict = {}
    for r in rep.awards:
        collective, individual = out.get(r[key_index], (0, 0))
        if r[1] == "individual":
            individual += 1
        else:
            collective += 1
        out[r[key_index]] = (collective, individual)
    return out


_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}                        # ă â/ê/ô ơ/ư
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}    # huyền hỏi ngã sắc nặng


def vi_sort_key(text: str | None) -> tuple:
    """Vietnamese alphabetical order: a ă â b c d đ e ê … by letter first, tones second."""
    primary: list[tuple[str, int]] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", (text or "").lower()):
        if ch in _LETTER_MARKS and primary:
            primary[-1] = (primary[-1][0], _LETTER_MARKS[ch])
        elif ch in _TONES:
            tones.append(_TONES[ch])
        elif ch == "đ":
            primary.append(("d", 9))
        elif not unicodedata.combining(ch):
            primary.append((ch, 0))
    return tuple(primary), tuple(tones)


def _awards_in_order(rep: EmulationReport, unit_names, lang: str) -> list[tuple]:
    """By title (highest first), unit name, collectives before individuals, then people
    by given name as Vietnamese lists are ordered."""
    def key(r):
        title, kind, name, unit = r[0], r[1], r[2] or "", r[3]
        given = name.split()[-1] if kind == "individual" and name.split() else name
        return (_title_order(title), title or "", vi_sort_key(unit_label(unit, unit_names, lang)),
                kind == "individual", vi_sort_key(given), vi_sort_key(name), r[5] or dt.date.min)
    return sorted(rep.awards, key=key)


def _points_by_unit(rep: EmulationReport) -> dict[str, dict[int, float | None]]:
    out: dict[str, dict[int, float | None]] = {}
    for r in rep.points:
        out.setdefault(r["unit"], {})[r["criterion_id"]] = r["points"]
    return out


def _max_text(value: float, lang: str) -> str:
    return fmt.number(value, lang, 0 if float(value).is_integer() else 1)


# --- workbook ------------------------------------------------------------------------------
def to_xlsx(rep: EmulationReport, lang: str, unit_names: Names | None = None, fields: Fields | None = None) -> bytes:
    """Sheets: about (under the document's heading, with its recipients and signer),
    ranking by block, points by criterion (units × criteria with a frozen "max points"
    row), the criteria, awards by title, by unit, and the list. Units and blocks are
    named, never given by their codes; a provisional score says so beside it."""
    names = _names(rep, unit_names)
    wb = new_workbook()
    col = lambda name: t(f"reports.col_{name}", lang)  # noqa: E731

    ranking = [[_block_name(rep, r["block"], lang), r["rank"], unit_label(r["unit"], names, lang), r["score"],
                provisional_text(r, lang)] for r in rep.scores]
    add_table(wb, t("reports.sheet_ranking", lang),
              [col("block"), col("rank"), col("unit_name"), col("score"), col("note")],
              ranking, formats={3: FORMAT_TWO_DECIMALS})

    by_unit = _points_by_unit(rep)
    headers = [col("block"), col("unit_name"),
               *[f"{c['code']} {_named(c, lang)}" for c in rep.criteria], col("score")]
    max_row = [t("reports.max_points", lang), None, *[c["max_points"] for c in rep.criteria], 100]
    matrix = []
    for r in rep.scores:
        got = by_unit.get(r["unit"], {})
        matrix.append([_block_name(rep, r["block"], lang), unit_label(r["unit"], names, lang),
                       *[got.get(c["id"]) for c in rep.criteria], r["score"]])
    n = len(rep.criteria)
    formats = {2 + i: FORMAT_TWO_DECIMALS for i in range(n + 1)}
    ws = add_table(wb, t("reports.sheet_points", lang), headers, matrix, formats=formats, header_rows=[max_row],
                   freeze_columns=2)
    # Criterion names are long: narrow columns, a tall wrapped header row.
    for i in range(n + 1):
        ws.column_dimensions[ws.cell(row=1, column=3 + i).column_letter].width = 18
    longest = max((len(h) for h in headers[2:]), default=10)
    ws.row_dimensions[1].height = 15 * min(10, max(2, -(-longest // 15)))

    criteria_rows = [[c["code"], f"{c['content_no']}. {_content_title(c['content_no'], lang)}", _named(c, lang),
                      c["max_points"], _mode(c, lang)] for c in rep.criteria]
    add_table(wb, t("reports.sheet_criteria", lang),
              [col("code"), col("content"), col("criterion"), col("max_points"), col("mode")],
              criteria_rows, formats={3: FORMAT_ONE_DECIMAL}, wrap=(1, 2), max_width=70)

    title_kinds = _kinds_of(rep, 0)
    titles = sorted(rep.awards_by_title, key=lambda x: (_title_order(x), x))
    add_table(wb, t("reports.sheet_awards_by_title", lang),
              [col("title"), col("collective"), col("individual"), col("count")],
              [[enum("title", x, lang), *title_kinds.get(x, (0, 0)), rep.awards_by_title[x]] for x in titles],
              formats={1: FORMAT_COUNT, 2: FORMAT_COUNT, 3: FORMAT_COUNT})
    unit_kinds = _kinds_of(rep, 3)
    units = sorted(rep.awards_by_unit,
                   key=lambda u: (-rep.awards_by_unit[u], vi_sort_key(unit_label(u, names, lang))))
    add_table(wb, t("reports.sheet_awards_by_unit", lang),
              [col("unit_name"), col("collective"), col("individual"), col("count")],
              [[unit_label(u, names, lang), *unit_kinds.get(u, (0, 0)), rep.awards_by_unit[u]] for u in units],
              formats={1: FORMAT_COUNT, 2: FORMAT_COUNT, 3: FORMAT_COUNT})
    awards = [[enum("title", title, lang), enum("recipient_kind", kind, lang), name,
               unit_label(unit, names, lang), decision, decided]
              for title, kind, name, unit, decision, decided in _awards_in_order(rep, names, lang)]
    add_table(wb, t("reports.sheet_awards_list", lang),
              [col("title"), col("kind"), col("recipient"), col("unit_name"), col("decision"), col("decided_on")],
              awards, formats={5: DATE_FORMATS[lang]})

    about = [
        (t("reports.about_ministry", lang), _ministry(rep, lang), None),
        (t("reports.about_movement", lang), _named(rep.movement.__dict__, lang), None),
        (t("emulation.theme", lang), _named(rep.movement.__dict__, lang, "theme"), None),
        (t("emulation.evaluation_period", lang), enum("evaluation_period", rep.period_code, lang), None),
        (t("reports.about_from", lang), rep.window.start, DATE_FORMATS[lang]),
        (t("reports.about_to", lang), rep.window.end, DATE_FORMATS[lang]),
        (t("reports.about_as_of", lang), rep.as_of, MOMENT_FORMATS[lang]),
        (t("reports.about_scope", lang), scope_text(rep.scope.unit, names, lang), None),
        (t("reports.about_notes", lang), " ".join(_notes(rep, lang)), None),
    ]
    add_about(wb, _title(rep, lang), about, lang, document=compose(rep, lang, fields))
    return save(wb)


def _notes(rep: EmulationReport, lang: str) -> list[str]:
    notes = [t("reports.ranking_note", lang), t("reports.awards_window", lang,
                                                 start=fmt.date(rep.window.start, lang),
                                                 end=fmt.date(min(rep.window.end, rep.as_of.date()), lang))]
    if not rep.hand_scored and any(not c["metric"] for c in rep.criteria):
        notes.append(t("reports.hand_missing", lang))
    if any(r.get("provisional") for r in rep.scores):
        notes.append(t("reports.provisional_note", lang))
    if not rep.scope.is_ministry:
        notes.append(t("reports.unit_ranks_note", lang))
    return notes


# --- PDF -----------------------------------------------------------------------------------
def _moment(value: dt.datetime, lang: str) -> str:
    return t("reports.moment", lang, time=fmt.time_of_day(value), date=fmt.date(value.date(), lang))


def _period_words(rep: EmulationReport, lang: str) -> str:
    words = enum("evaluation_period", rep.period_code, lang)
    return words[0].lower() + words[1:] if lang == "vi" else words.lower()


def _summary(rep: EmulationReport, lang: str, unit_names) -> list[str]:
    lines = []
    kinds = Counter(r[1] for r in rep.awards)
    if rep.scope.is_ministry:
        lines.append(t("reports.summary_units", lang, n=rep.participating_units,
                       blocks=sum(1 for b in rep.blocks if b["size"])))
        lines.append(t("reports.summary_mean", lang, score=fmt.number(rep.mean_score, lang, 2))
                     if rep.mean_score is not None else t("reports.summary_no_scores", lang))
    else:
        name = unit_label(rep.scope.unit, unit_names, lang)
        rows = [r for r in rep.scores if r["unit"] == rep.scope.unit]
        if not rows:
            lines.append(t("emulation.unit_not_member", lang, unit=name))
        for r in rows:
            size = next((b["size"] for b in rep.blocks if b["id"] == r["block"]), 0)
            if r["score"] is None:
                lines.append(t("reports.summary_unit_unscored", lang, unit=name,
                               block=_block_name(rep, r["block"], lang)))
            else:
                line = t("reports.summary_unit", lang, unit=name, score=fmt.number(r["score"], lang, 2),
                         rank=r["rank"], n=size, block=_block_name(rep, r["block"], lang))
                provisional = provisional_text(r, lang)
                lines.append(f"{line[:-1]}, {provisional}." if provisional and line.endswith(".") else line)
    lines.append(t("reports.summary_awards", lang, n=len(rep.awards), collective=kinds.get("collective", 0),
                   individual=kinds.get("individual", 0)))
    return lines


def to_pdf(rep: EmulationReport, lang: str, unit_names: Names | None = None, fields: Fields | None = None) -> bytes:
    """A4 portrait in the layout of an administrative document: the heading (ministry and
    office, number, national heading, place and date, "BÁO CÁO" and what it reports on,
    the addressee); I. summary, II. ranking per block, III. points by criterion (the
    criteria, then units × criteria), IV. awards by title and by unit; recipients and
    signer; the list of awards as an appendix. Pages after the first are numbered at
    the top."""
    unit_names = _names(rep, unit_names)
    doc = compose(rep, lang, fields)
    pdf = document.new_pdf(doc, _title(rep, lang), lang)
    document.pdf_heading(pdf, doc)

    movement_name = _named(rep.movement.__dict__, lang)
    if movement_name:
        pdf.para(movement_name, size=12, bold=True, align="C", height=6)
    theme = _named(rep.movement.__dict__, lang, "theme")
    if theme:
        pdf.para(t("reports.theme_line", lang, theme=theme), size=12, italic=True, align="C", height=6)
    if movement_name or theme:
        pdf.ln(3)

    last = min(rep.window.end, rep.as_of.date())
    pdf.para(t("reports.window_line", lang, period=_period_words(rep, lang), start=fmt.date(rep.window.start, lang),
               end=fmt.date(rep.window.end, lang), as_of=_moment(rep.as_of, lang)), indent=0)
    scope = t("reports.scope_ministry", lang) if rep.scope.is_ministry else scope_text(rep.scope.unit, unit_names, lang)
    pdf.para(t("reports.scope_line", lang, scope=scope))

    # I. Summary
    pdf.heading(t("reports.section_summary", lang))
    for line in _summary(rep, lang, unit_names):
        pdf.para("- " + line)
    for note in _notes(rep, lang)[2:]:
        pdf.para(note, size=10.5, grey=True)

    # II. Ranking per block
    pdf.heading(t("reports.section_ranking", lang))
    pdf.para(t("reports.ranking_note", lang), size=10.5, grey=True)
    pdf.ln(1.5)
    if not rep.scores:
        pdf.para(t("emulation.no_members", lang) if rep.scope.is_ministry
                 else t("emulation.unit_not_member", lang, unit=unit_label(rep.scope.unit, unit_names, lang)))
    else:
        provisional = any(provisional_text(r, lang) for r in rep.scores)
        widths, align = ((14, 92, 24, 40), ("CENTER", "LEFT", "RIGHT", "LEFT")) if provisional else \
            ((16, 124, 30), ("CENTER", "LEFT", "RIGHT"))
        pdf.set_font(DOC_FONT, "", 10.5)
        with pdf.table(col_widths=widths, text_align=align) as table:
            heading_row(table, [t("reports.col_rank", lang), t("reports.col_unit_name", lang),
                                t("reports.col_score", lang), *([t("reports.col_note", lang)] if provisional else [])])
            current = None
            for r in rep.scores:
                if r["block"] != current:
                    current = r["block"]
                    size = next((b["size"] for b in rep.blocks if b["id"] == current), 0)
                    row = table.row()
                    row.cell(t("reports.block_heading", lang, block=_block_name(rep, current, lang), n=size),
                             colspan=len(widths), style=FontFace(emphasis="BOLD", fill_color=GROUP_FILL),
                             align="LEFT")
                table.row([str(r["rank"]) if r["rank"] is not None else t("undefined", lang),
                           unit_label(r["unit"], unit_names, lang), fmt.number(r["score"], lang, 2),
                           *([provisional_text(r, lang) or ""] if provisional else [])])

    # III. Points by criterion
    pdf.heading(t("reports.section_criteria", lang))
    if not rep.criteria:
        pdf.para(t("emulation.content_none", lang))
    else:
        pdf.subheading(t("reports.criteria_list", lang))
        pdf.set_font(DOC_FONT, "", 10)
        with pdf.table(col_widths=(11, 88, 25, 50), text_align=("CENTER", "LEFT", "RIGHT", "LEFT")) as table:
            heading_row(table, [t("reports.col_code", lang), t("reports.col_criterion", lang),
                                 t("reports.col_max_points", lang), t("reports.col_mode", lang)])
            current = object()
            for c in rep.criteria:
                if c["content_no"] != current:
                    current = c["content_no"]
                    row = table.row()
                    row.cell(t("emulation.content_label", lang, no=current) + ". " + _content_title(current, lang),
                             colspan=4, style=FontFace(emphasis="BOLD", fill_color=GROUP_FILL), align="LEFT")
                table.row([c["code"], _named(c, lang), _max_text(c["max_points"], lang), _mode(c, lang)])
        total_max = sum(c["max_points"] for c in rep.criteria)
        pdf.ln(1)
        pdf.para(t("reports.criteria_total", lang, n=len(rep.criteria), points=_max_text(total_max, lang)),
                 size=10.5, grey=True)
        if rep.scores:
            pdf.subheading(t("reports.points_matrix", lang))
            pdf.para(t("reports.criteria_note", lang), size=10.5, grey=True)
            pdf.ln(1.5)
            _points_tables(pdf, rep, lang, unit_names)

    # IV. Awards
    pdf.heading(t("reports.section_awards", lang))
    pdf.para(t("reports.awards_window", lang, start=fmt.date(rep.window.start, lang), end=fmt.date(last, lang)))
    if not rep.awards:
        pdf.para(t("emulation.no_awards", lang))
    else:
        head = [t("reports.col_collective", lang), t("reports.col_individual", lang), t("reports.col_count", lang)]
        pdf.subheading(t("reports.awards_by_title", lang))
        pdf.set_font(DOC_FONT, "", 10.5)
        kinds = _kinds_of(rep, 0)
        with pdf.table(col_widths=(98, 25, 25, 26), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")) as table:
            heading_row(table, [t("reports.col_title", lang), *head])
            for x in sorted(rep.awards_by_title, key=lambda x: (_title_order(x), x)):
                c, i = kinds.get(x, (0, 0))
                table.row([enum("title", x, lang), fmt.number(c, lang), fmt.number(i, lang),
                           fmt.number(rep.awards_by_title[x], lang)])
            table.row([t("reports.total", lang), fmt.number(sum(v[0] for v in kinds.values()), lang),
                       fmt.number(sum(v[1] for v in kinds.values()), lang),
                       fmt.number(sum(rep.awards_by_title.values()), lang)],
                      style=FontFace(emphasis="BOLD"))
        pdf.subheading(t("reports.awards_by_unit", lang))
        pdf.set_font(DOC_FONT, "", 10.5)
        kinds = _kinds_of(rep, 3)
        units = sorted(rep.awards_by_unit,
                       key=lambda u: (-rep.awards_by_unit[u], vi_sort_key(unit_label(u, unit_names, lang))))
        with pdf.table(col_widths=(98, 25, 25, 26), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")) as table:
            heading_row(table, [t("reports.col_unit_name", lang), *head])
            for u in units:
                c, i = kinds.get(u, (0, 0))
                table.row([unit_label(u, unit_names, lang) or "—", fmt.number(c, lang), fmt.number(i, lang),
                           fmt.number(rep.awards_by_unit[u], lang)])

    document.pdf_closing(pdf, doc)

    # Appendix: the awards list
    if rep.awards:
        pdf.add_page()
        pdf.para(t("reports.appendix_awards", lang), size=12, bold=True, align="C", height=7)
        pdf.para(t(f"reports.appendix_subtitle_{rep.period_code.lower()}", lang, year=rep.year),
                 size=10, align="C", height=5.5)
        pdf.ln(3)
        pdf.set_font(DOC_FONT, "", 8.5)
        with pdf.table(col_widths=(9, 55, 34, 44, 32), text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "LEFT")) as table:
            heading_row(table, [t("reports.col_no", lang), t("reports.col_recipient", lang),
                                 t("reports.col_title", lang), t("reports.col_unit_name", lang),
                                 t("reports.col_decision_full", lang)])
            for n, (title, kind, name, unit, decision, decided) in enumerate(_awards_in_order(rep, unit_names, lang),
                                                                              start=1):
                who = name or unit_label(unit, unit_names, lang) or "—"
                if kind == "individual":
                    who = f"{who} ({enum('recipient_kind', kind, lang).lower()})"
                table.row([str(n), who, enum("title", title, lang), unit_label(unit, unit_names, lang) or "—",
                           t("reports.decision_text", lang, no=decision or "—", date=fmt.date(decided, lang))])
    return bytes(pdf.output())


def _points_tables(pdf: document.DocumentPdf, rep: EmulationReport, lang: str, unit_names) -> None:
    """Units × criteria, grouped by block in rank order, at most 12 criteria per table;
    the last table ends with the score out of 100."""
    by_unit = _points_by_unit(rep)
    chunks = [rep.criteria[i:i + 12] for i in range(0, len(rep.criteria), 12)]
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        unit_w = 46.0
        total_w = 16.0 if last else 0.0
        crit_w = (pdf.epw - unit_w - total_w) / len(chunk)
        widths = (unit_w, *([crit_w] * len(chunk)), *((total_w,) if last else ()))
        ncols = len(widths)
        pdf.set_font(DOC_FONT, "", 7.5)
        with pdf.table(col_widths=widths, text_align=("LEFT", *(["RIGHT"] * (ncols - 1))),
                       line_height=pdf.font_size * 1.4, padding=(0.6, 0.8)) as table:
            heading = table.row()
            heading.cell(t("reports.col_unit_name", lang), align="LEFT")
            for c in chunk:
                heading.cell(f"{c['code']}\n/{_max_text(c['max_points'], lang)}", align="CENTER")
            if last:
                heading.cell(t("reports.col_total_short", lang), align="CENTER")
            current = None
            for r in rep.scores:
                if r["block"] != current:
                    current = r["block"]
                    row = table.row()
                    row.cell(_block_name(rep, current, lang), colspan=ncols,
                             style=FontFace(emphasis="BOLD", fill_color=GROUP_FILL), align="LEFT")
                got = by_unit.get(r["unit"], {})
                cells = [unit_label(r["unit"], unit_names, lang),
                         *[fmt.number(got.get(c["id"]), lang, 1) for c in chunk]]
                if last:
                    cells.append(fmt.number(r["score"], lang, 2))
                table.row(cells)
        pdf.ln(3)
