"""The KPI report for the Government's information and operations centre: every KPI of
docs/kpis.md for a period, as-of moment and scope, as the report contract's JSON and CSV
(byte for byte what `python -m data_access kpis` prints), as a formatted workbook
whose cells hold the engine's values, and as the A4 report the ministry office signs
and sends (the administrative-document layout of `reports.document`).

Also the openpyxl helpers the emulation report shares (bold frozen header row, number
formats, column widths)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dataclasses import dataclass, field

from fpdf.fonts import FontFace

from data_access import catalogue, emulation, figures, lists
from data_access import report as engine
from data_access.db import SourceError, Sources
from data_access.model import Period, Scope, cutoff
from design import palette
from exports.xlsx import save
from l10n import fmt
from l10n.i18n import enum, t

from . import document as doc

DOMAINS = ("procedures", "tasks", "emulation")
Names = dict[str, tuple[str, str]]              # {unit code: (name_vi, name_en)}


# --- the contract --------------------------------------------------------------------------
def report(sources: Sources, period: Period, as_of: dt.datetime, scope: Scope) -> dict[str, Any]:
    """Exactly `data_access.report.compute`'s contract dict."""
    return engine.compute(sources, period, as_of, scope)


def to_json(result: dict) -> bytes:
    """What `python -m data_access kpis --format json` prints: `print(json.dumps(result,
    ensure_ascii=False, indent=2))`, in UTF-8."""
    return engine.to_json(result).encode("utf-8")


def to_csv(result: dict) -> bytes:
    """What `python -m data_access kpis --format csv` prints, in UTF-8."""
    return engine.to_csv(result).encode("utf-8")


# --- definitions ---------------------------------------------------------------------------
def definition(kpi_id: str, lang: str) -> str:
    """The KPI's one-line definition, from the catalogue."""
    return catalogue.get()[kpi_id].definition(lang)


# --- workbook helpers (shared with the emulation report) -----------------------------------
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor=palette.TABLE_HEADING.lstrip("#"))
TITLE_FONT = Font(bold=True, size=13)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")

FORMAT_RATE = "0.00%"
FORMAT_COUNT = "#,##0"
FORMAT_ONE_DECIMAL = "#,##0.0"
FORMAT_TWO_DECIMALS = "#,##0.00"
DATE_FORMATS = {"vi": "dd/mm/yyyy", "en": "dd mmm yyyy"}
MOMENT_FORMATS = {"vi": "hh:mm:ss dd/mm/yyyy", "en": "dd mmm yyyy hh:mm:ss"}
UNIT_FORMATS = {"count": FORMAT_COUNT, "rate": FORMAT_RATE, "days": FORMAT_ONE_DECIMAL,
                "index": FORMAT_ONE_DECIMAL, "points": FORMAT_ONE_DECIMAL}

_SHEET_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


def sheet_title(text: str) -> str:
    """Excel refuses []:*?/\\ in sheet names, and names longer than 31 characters."""
    return text.translate(_SHEET_FORBIDDEN)[:31]


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_table(wb: Workbook, title: str, headers: list[str], rows: list[list], *,
              formats: dict[int, str] | None = None, cell_formats: dict[tuple[int, int], str] | None = None,
              wrap: tuple[int, ...] = (), header_rows: list[list] | None = None, max_width: int = 60,
              freeze_columns: int = 0) -> Worksheet:
    """A sheet: a bold, filled, frozen header row, then `header_rows` (e.g. "max points",
    frozen too), then `rows`. `formats` maps a 0-based column to a number format for its
    numeric cells; `cell_formats` maps (0-based data row, column) to one."""
    ws = wb.create_sheet(sheet_title(title))
    ws.append(headers)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    extra = header_rows or []
    for values in extra:
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell.font = HEADER_FONT
    first_data_row = 2 + len(extra)
    for values in rows:
        ws.append(values)
    for col, number_format in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = number_format
    for (row, col), number_format in (cell_formats or {}).items():
        ws.cell(row=first_data_row + row, column=col + 1).number_format = number_format
    for col in wrap:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            cell.alignment = WRAP_TOP
    ws.freeze_panes = ws.cell(row=first_data_row, column=1 + freeze_columns)
    fit_columns(ws, max_width=max_width)
    return ws


def add_about(wb: Workbook, title: str, rows: list[tuple[str, Any, str | None]], lang: str,
              document: "doc.Document | None" = None) -> Worksheet:
    """A first sheet: the report's title — with `document`, the administrative document's
    heading instead (`reports.document`) — then label / value rows (value a date, a
    moment or text; the third item an optional number format), then the document's
    recipients and signer."""
    ws = wb.create_sheet(sheet_title(t("reports.sheet_about", lang)), 0)
    if document is not None:
        row = doc.xlsx_heading(ws, document)
    else:
        ws.cell(row=1, column=1, value=title).font = TITLE_FONT
        row = 3
    for label, value, number_format in rows:
        ws.cell(row=row, column=1, value=label).font = HEADER_FONT
        ws.cell(row=row, column=1).alignment = WRAP_TOP
        cell = ws.cell(row=row, column=2, value=value)
        cell.alignment = WRAP_TOP
        cell.number_format = number_format or cell.number_format
        if isinstance(value, (dt.datetime, dt.date)):
            cell.alignment = Alignment(horizontal="left", vertical="top")
        row += 1
    if document is not None:
        doc.xlsx_closing(ws, document, row + 1)
    labels = max((len(r[0]) for r in rows), default=10) + 2
    ws.column_dimensions["A"].width = max(12, labels) if document is None else max(40, labels)
    ws.column_dimensions["B"].width = 90
    return ws


def fit_columns(ws: Worksheet, min_width: int = 8, max_width: int = 60) -> None:
    for index, column in enumerate(ws.iter_cols(max_row=min(ws.max_row, 1000)), start=1):
        width = 0
        for cell in column:
            value = cell.value
            if value is None:
                continue
            if isinstance(value, float):
                text = f"{value:,.2f}"
            elif isinstance(value, dt.datetime):
                text = "00:00:00 00/00/0000"
            elif isinstance(value, dt.date):
                text = "00/00/0000"
            else:
                text = str(value)
            width = max(width, max((len(line) for line in text.splitlines()), default=0))
        ws.column_dimensions[get_column_letter(index)].width = max(min_width, min(max_width, width + 2))


def unit_label(code: str | None, unit_names: dict[str, tuple[str, str]] | None, lang: str) -> str:
    """A unit's name in the language, its code when the name is not known."""
    if code is None:
        return ""
    names = (unit_names or {}).get(code)
    if not names:
        return code
    return (names[0] if lang == "vi" else names[1]) or names[0] or code


def scope_text(unit: str | None, unit_names: dict[str, tuple[str, str]] | None, lang: str) -> str:
    if unit is None:
        return t("whole_ministry", lang)
    # the unit's name alone: a document names units, never by their codes
    return unit_label(unit, unit_names, lang)


# --- the Government workbook ---------------------------------------------------------------
def _kpi_rows(result: dict, domain: str, lang: str) -> tuple[list[list], dict[tuple[int, int], str]]:
    cat = catalogue.get()
    rows, formats = [], {}
    for kpi_id, value in result["kpis"].items():
        if not kpi_id.startswith(domain + "."):
            continue
        kpi = cat[kpi_id]
        status = kpi.status(value)
        rows.append([
            kpi_id, kpi.name(lang), value, t(f"reports.measure_{kpi.unit}", lang), kpi.target,
            t(f"status_{status}", lang) if status else None,
        ])
        formats[(len(rows) - 1, 2)] = UNIT_FORMATS[kpi.unit]
        formats[(len(rows) - 1, 4)] = UNIT_FORMATS[kpi.unit]
    return rows, formats


def emulation_period_code(result: dict) -> str:
    """H1 when the report's period ends by 30 June of its first year, else FY (docs/kpis.md)."""
    start, end = dt.date.fromisoformat(result["from"]), dt.date.fromisoformat(result["to"])
    return "H1" if end <= dt.date(start.year, 6, 30) else "FY"


@dataclass(frozen=True)
class Context:
    """What the formatted report names beside the contract's codes: units, blocks and the
    ministry, read once from the sources by `context` for the app and the command line alike."""

    unit_names: Names = field(default_factory=dict)
    ministry: tuple[str, str] | None = None
    block_names: dict[int, tuple[str, str]] = field(default_factory=dict)


def context(sources: Sources, result: dict) -> Context:
    """The names a formatted copy of `result` needs. A source that cannot be read only
    costs its names (the contract already says which sources were unavailable)."""
    as_of = dt.datetime.strptime(result["as_of"], "%Y-%m-%d %H:%M:%S")
    try:
        names = lists.unit_names(sources.procedures)
    except SourceError:
        names = {}
    try:
        ministry = figures.ministry_name(sources, as_of.date())
    except SourceError:
        ministry = None
    blocks: dict[int, tuple[str, str]] = {}
    try:
        movement = emulation.movement_for_year(sources.emulation, dt.date.fromisoformat(result["from"]).year)
        if movement is not None:
            blocks = {b["id"]: (b["name_vi"], b["name_en"] or b["name_vi"])
                      for b in emulation.blocks(sources.emulation, movement.id)}
    except SourceError:
        pass
    return Context(names, ministry, blocks)


def _document(result: dict, lang: str, ministry: tuple[str, str] | None, fields: doc.Fields | None) -> doc.Document:
    start, end = dt.date.fromisoformat(result["from"]), dt.date.fromisoformat(result["to"])
    as_of = dt.datetime.strptime(result["as_of"], "%Y-%m-%d %H:%M:%S")
    excerpt = (t("reports.government_excerpt", lang),
               t("reports.government_excerpt_period", lang, start=fmt.date(start, lang), end=fmt.date(end, lang)))
    return doc.compose("government", fields if fields is not None else doc.from_settings("government"), lang,
                       ministry=_ministry_text(ministry, lang), day=as_of.date(), excerpt=excerpt)


def _ministry_text(ministry: tuple[str, str] | None, lang: str) -> str:
    return (ministry[0] if lang == "vi" else ministry[1]) if ministry else t("ministry", lang)


def to_xlsx(result: dict, lang: str, unit_names: dict[str, tuple[str, str]] | None = None,
            ministry: tuple[str, str] | None = None, fields: doc.Fields | None = None) -> bytes:
    """The report as a workbook in `lang`: an "about" sheet (period, as-of, scope), one
    sheet of KPIs per domain, the emulation scores and awards by title, the definitions.

    KPI cells hold the engine's values: rates as fractions shown with a percent format,
    counts as integers, an undefined figure as an empty cell. `unit_names` ({code:
    (name_vi, name_en)}) only adds readable unit names beside the codes."""
    cat = catalogue.get()
    wb = new_workbook()
    headers = [t(f"reports.col_{c}", lang) for c in ("kpi_id", "kpi", "value", "measure", "target", "status")]
    for domain in DOMAINS:
        rows, cell_formats = _kpi_rows(result, domain, lang)
        add_table(wb, t(f"reports.sheet_{domain}", lang), headers, rows, cell_formats=cell_formats)

    scores = [[r["unit"], unit_label(r["unit"], unit_names, lang), r["block"], r["score"], r["rank"]]
              for r in result["emulation_scores"]]
    add_table(wb, t("reports.sheet_scores", lang),
              [t(f"reports.col_{c}", lang) for c in ("unit_code", "unit_name", "block_id", "score", "rank")],
              scores, formats={3: FORMAT_TWO_DECIMALS})
    awards = [[title, enum("title", title, lang), count] for title, count in result["awards_by_title"].items()]
    add_table(wb, t("reports.sheet_awards_by_title", lang),
              [t(f"reports.col_{c}", lang) for c in ("title_code", "title", "count")], awards,
              formats={2: FORMAT_COUNT})

    definition_rows, definition_formats = [], {}
    for kpi_id in cat.ids:
        kpi = cat[kpi_id]
        definition_rows.append([kpi_id, kpi.name(lang), t(f"reports.measure_{kpi.unit}", lang),
                                t(f"reports.better_{kpi.better}", lang), kpi.target, kpi.amber,
                                definition(kpi_id, lang)])
        for col in (4, 5):
            definition_formats[(len(definition_rows) - 1, col)] = UNIT_FORMATS[kpi.unit]
    add_table(wb, t("reports.sheet_definitions", lang),
              [t(f"reports.col_{c}", lang) for c in ("kpi_id", "kpi", "measure", "better", "target", "amber",
                                                      "definition")],
              definition_rows, cell_formats=definition_formats, wrap=(6,), max_width=90)

    start, end = dt.date.fromisoformat(result["from"]), dt.date.fromisoformat(result["to"])
    as_of = dt.datetime.strptime(result["as_of"], "%Y-%m-%d %H:%M:%S")
    code = emulation_period_code(result)
    about = [
        (t("reports.about_ministry", lang),
         (ministry[0] if lang == "vi" else ministry[1]) if ministry else t("ministry", lang), None),
        (t("reports.about_from", lang), start, DATE_FORMATS[lang]),
        (t("reports.about_to", lang), end, DATE_FORMATS[lang]),
        (t("reports.about_as_of", lang), as_of, MOMENT_FORMATS[lang]),
        (t("reports.about_scope", lang), scope_text(result["unit"], unit_names, lang), None),
        (t("reports.about_emulation", lang),
         t("reports.emulation_basis", lang, year=start.year, period=enum("evaluation_period", code, lang))
         if result["unit"] is None else t("overview.emulation_ministry_only", lang), None),
        (t("reports.about_notes", lang), t("reports.values_note", lang), None),
    ]
    add_about(wb, t("reports.government_title", lang), about, lang, document=_document(result, lang, ministry, fields))
    return save(wb)


# --- the Government report as a document ---------------------------------------------------
def _moment(value: dt.datetime, lang: str) -> str:
    return t("reports.moment", lang, time=fmt.time_of_day(value), date=fmt.date(value.date(), lang))


def _kpi_table(pdf: doc.DocumentPdf, result: dict, domain: str, lang: str) -> None:
    """No., KPI, result, target, status: the engine's value in the reader's number format."""
    cat = catalogue.get()
    pdf.set_font(doc.DOC_FONT, "", 10.5)
    with pdf.table(col_widths=(9, 82, 26, 22, 26), text_align=("CENTER", "LEFT", "RIGHT", "RIGHT", "CENTER")) as table:
        doc.heading_row(table, [t("reports.col_no", lang), t("reports.col_kpi", lang), t("reports.col_result", lang),
                                t("reports.col_target", lang), t("reports.col_status", lang)])
        n = 0
        for kpi_id, value in result["kpis"].items():
            if not kpi_id.startswith(domain + ".") or kpi_id not in cat.kpis:
                continue
            kpi = cat[kpi_id]
            status = kpi.status(value)
            n += 1
            table.row([str(n), kpi.name(lang), fmt.kpi_value(value, kpi.unit, lang),
                       fmt.kpi_value(kpi.target, kpi.unit, lang) if kpi.target is not None else "",
                       t(f"status_{status}", lang) if status else ""])


def _scores_table(pdf: doc.DocumentPdf, result: dict, lang: str, context: Context) -> None:
    pdf.set_font(doc.DOC_FONT, "", 10.5)
    with pdf.table(col_widths=(16, 124, 30), text_align=("CENTER", "LEFT", "RIGHT")) as table:
        doc.heading_row(table, [t("reports.col_rank", lang), t("reports.col_unit_name", lang),
                                t("reports.col_score", lang)])
        current = None
        for r in result["emulation_scores"]:
            if r["block"] != current:
                current = r["block"]
                names = context.block_names.get(current)
                name = ((names[0] if lang == "vi" else names[1]) if names else None) or \
                    t("emulation.block_fallback", lang, id=current)
                table.row().cell(name, colspan=3, style=FontFace(emphasis="BOLD", fill_color=doc.GROUP_FILL),
                                 align="LEFT")
            table.row([str(r["rank"]) if r["rank"] is not None else t("undefined", lang),
                       unit_label(r["unit"], context.unit_names, lang), fmt.number(r["score"], lang, 2)])


def to_pdf(result: dict, lang: str, context: Context | None = None, fields: doc.Fields | None = None) -> bytes:
    """The report as an A4 administrative document: the heading (ministry and office,
    number, national heading, place and date, "BÁO CÁO" and what it reports on, the
    addressee), one section per domain with its KPIs (result, target, status), the
    emulation scores by block and the awards by title, a note, recipients and signer."""
    context = context or Context()
    document = _document(result, lang, context.ministry, fields)
    pdf = doc.new_pdf(document, t("reports.government_title", lang), lang)
    doc.pdf_heading(pdf, document)

    start, end = dt.date.fromisoformat(result["from"]), dt.date.fromisoformat(result["to"])
    as_of = dt.datetime.strptime(result["as_of"], "%Y-%m-%d %H:%M:%S")
    issuer = (document.fields.issuer.strip() or t("reports.doc_issuer", lang))
    scope = t("reports.scope_ministry", lang) if result["unit"] is None else \
        unit_label(result["unit"], context.unit_names, lang)
    pdf.para(t("reports.government_intro", lang, issuer=issuer, ministry=_ministry_text(context.ministry, lang),
               start=fmt.date(start, lang), end=fmt.date(end, lang), scope=scope, as_of=_moment(as_of, lang)))
    cut = cutoff(Period(start, end), as_of)
    if cut < as_of:
        pdf.para(t("reports.government_cutoff", lang, cutoff=_moment(cut, lang)))
    for source in result.get("unavailable", []):
        pdf.para(t("reports_page.part_unavailable", lang, source=t(f"source_{source}", lang)), size=10.5, grey=True)

    for domain in DOMAINS:
        pdf.heading(t(f"reports.gov_section_{domain}", lang))
        _kpi_table(pdf, result, domain, lang)
    if result["unit"] is not None:
        pdf.ln(1.5)
        pdf.para(t("overview.emulation_ministry_only", lang), size=10.5, grey=True)
    elif result["emulation_scores"]:
        pdf.subheading(t("reports.gov_scores", lang))
        _scores_table(pdf, result, lang, context)
    pdf.subheading(t("reports.gov_awards", lang))
    if result["awards_by_title"]:
        pdf.set_font(doc.DOC_FONT, "", 10.5)
        with pdf.table(col_widths=(130, 40), text_align=("LEFT", "RIGHT")) as table:
            doc.heading_row(table, [t("reports.col_title", lang), t("reports.col_count", lang)])
            for title, count in result["awards_by_title"].items():
                table.row([enum("title", title, lang), fmt.number(count, lang)])
            table.row([t("reports.total", lang), fmt.number(sum(result["awards_by_title"].values()), lang)],
                      style=FontFace(emphasis="BOLD"))
    else:
        pdf.para(t("reports.gov_no_awards", lang))
    pdf.ln(2)
    pdf.para(t("reports.gov_notes", lang), size=10.5, grey=True)
    doc.pdf_closing(pdf, document)
    return bytes(pdf.output())
