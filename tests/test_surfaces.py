"""Every surface carries the same value for every KPI it shows.

A deputy minister opens the Overview on the conference screen, the kiosk turns its
slides, the deck is handed round the table, and the same morning the workbook and the
JSON of the report contract go to the Government's operations centre. If any two of
them disagree on one figure — 75,0 % on the screen, 0.7 in the report — the meeting
argues about the dashboard instead of the work, and the report is no longer trusted.

So the product computes every figure once (`data_access.figures.compute`) and every
surface only formats it. This module is the specification of that promise: for each
case below it builds the figures with the engine, then reads each surface back as a
reader would see it, and compares EVERY KPI the surface shows with the engine's value
— the raw value where the surface keeps one (slide model, XLSX cells, JSON, CSV), the
text in the reader's number format otherwise (Overview cards, PPTX). A failure lists
every (surface, KPI, expected, got) at once.

Surfaces:
- overview  the Overview page's cards (AppTest of app.py, signed in as a leader, the
            view given by the URL: `period=custom&from=…&to=…&unit=…&lang=vi`);
- slides    the kiosk's slide model (`reports.slides.build`): figures, tables, charts;
- pptx      the text of the deck (`reports.deck.pptx_bytes`), page by page;
- xlsx      the Government workbook's cells (`reports.government.to_xlsx`);
- json/csv  the report contract (`data_access.report.to_json` / `to_csv`).

What each surface shows for a unit is stated where it differs: the contract reports
the emulation KPIs for the whole ministry only (null for a unit); a unit's slides show
that unit's own score, rank and awards (from the same computation's emulation
figures); the Overview's emulation row is always the ministry's, and says so.

Cases: the whole ministry; one unit; a unit sitting in two emulation blocks (the
ministry's mean score counts it once — checked against a mean worked out here from
the scores' distinct units); an undefined rate (a unit with no finished dossier: its
on-time rate is null, shown "—"); and a period with no data at all. The slide model,
the deck, the workbook and the contract run on SQLite, PostgreSQL and MariaDB; so does
the Overview.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import unicodedata
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from data_access import catalogue, figures, report, schema
from data_access import db as dbmod
from data_access.db import Sources
from data_access.model import Period, Scope
from l10n import fmt
from l10n.i18n import enum, t
from reports import deck, government, slides

from .builders import D, Rows
from .conftest import app_test

d = dt.date
LANG = "vi"

# --- the data: small, hand-made, every figure worked out below --------------------------------
UNITS = {  # code → (vi, en)
    "A": ("Vụ Pháp chế", "Department of Legal Affairs"),
    "B": ("Cục Khoáng sản Việt Nam", "Viet Nam Department of Minerals"),
    "C": ("Cục Quản lý tài nguyên nước", "Department of Water Resources Management"),
}


def fill(rows: Rows, *, unit_in_two_blocks: bool = False) -> Rows:
    """Three units over the first half of 2026, as of 20 June 2026 14:30.

    Dossiers: A finished 3 (2 on time), has 1 pending overdue and 1 pending in time;
    B finished none (2 pending, 1 overdue): its on-time rate is undefined; C finished 1
    on time. Tasks: A 1 on time, 1 late, 1 legal document due on 25 June; B 1 in
    progress, not yet due (its task on-time rate is undefined too); C 1 overdue and 1
    cancelled. Movement 2026: block 1 = A, B; block 2 = C; criterion 1 by hand (60
    points), criterion 2 = 40 × tasks.on_time_rate over H1. Scores for H1: A (50 + 40 ×
    ½) = 70, B 45 of 60 = 75, C (30 + 0) = 30. Four awards, one after the as-of day."""
    rows.unit("BO", "Bộ Tài nguyên và Môi trường", name_en="Ministry", kind="ministry")
    for code, (vi, en) in UNITS.items():
        rows.unit(code, vi, name_en=en)
    rows.procedure("P1", unit_code="A")
    rows.procedure("P2", unit_code="B", field="minerals", legal_days=45)
    rows.procedure("P3", unit_code="C", field="water")
    rows.dossier(D(2026, 1, 5, 8), due_at=D(2026, 2, 1), finished_at=D(2026, 1, 20), channel="online",
                 rating=5, digitized=True, synced_national=True)
    rows.dossier(D(2026, 2, 5, 8), due_at=D(2026, 3, 1), finished_at=D(2026, 3, 4), rating=3,
                 fee_amount=200_000, paid_online=True)
    rows.dossier(D(2026, 3, 10, 8), due_at=D(2026, 4, 10), finished_at=D(2026, 4, 1, 15), channel="online",
                 fee_amount=300_000, digitized=True)
    rows.dossier(D(2026, 5, 20, 8), due_at=D(2026, 6, 1))
    rows.dossier(D(2026, 6, 15, 8), due_at=D(2026, 7, 15), channel="online")
    rows.dossier(D(2026, 4, 1, 9), due_at=D(2026, 5, 1), unit_code="B", procedure_code="P2")
    rows.dossier(D(2026, 6, 10, 9), due_at=D(2026, 7, 10), unit_code="B", procedure_code="P2", channel="online",
                 fee_amount=1_000_000)
    rows.dossier(D(2026, 2, 2, 10), due_at=D(2026, 2, 20), finished_at=D(2026, 2, 12), unit_code="C",
                 procedure_code="P3", rating=4, synced_national=True)

    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), D(2026, 2, 25, 9))
    rows.task(D(2026, 3, 1, 9), d(2026, 4, 1), D(2026, 4, 10, 9))
    rows.task(D(2026, 3, 15, 9), d(2026, 6, 25), None, category="legal_document", progress_pct=70)
    rows.task(D(2026, 4, 1, 9), d(2026, 12, 31), None, lead_unit_code="B")
    rows.task(D(2026, 1, 10, 9), d(2026, 2, 10), None, lead_unit_code="C", source="prime_minister")
    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), None, lead_unit_code="C", cancelled=True)

    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.block(2, 1, "C")
    if unit_in_two_blocks:
        rows.insert(schema.block_members, {"block_id": 2, "unit_code": "A"})
    rows.criterion(1, 1, 60)
    rows.criterion(2, 1, 40, metric="tasks.on_time_rate", content_no=2)
    rows.evaluation(1, "A", 1, "H1", 50)
    rows.evaluation(1, "B", 1, "H1", 45)
    rows.evaluation(1, "C", 1, "H1", 30)

    rows.award(d(2026, 1, 20), "emulation_flag", unit_code="A", movement_id=1)
    rows.award(d(2026, 3, 2), "advanced_worker", unit_code="B", recipient_kind="individual",
               recipient_name="Nguyễn Thị Lan", movement_id=1)
    rows.award(d(2026, 5, 5), "certificate_of_merit", unit_code="A", recipient_kind="individual",
               recipient_name="Trần Văn Bình")
    rows.award(d(2026, 6, 25), "certificate_of_merit", unit_code="C")        # after the as-of day
    return rows


@dataclass(frozen=True)
class Case:
    name: str
    period: Period
    as_of: dt.datetime
    unit: str | None = None
    unit_in_two_blocks: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(self.unit)


H1_2026 = Period(d(2026, 1, 1), d(2026, 6, 30))
AS_OF = D(2026, 6, 20, 14, 30)
CASES = [
    Case("whole_ministry", H1_2026, AS_OF),
    Case("one_unit", H1_2026, AS_OF, unit="A"),
    Case("unit_in_two_blocks", H1_2026, AS_OF, unit_in_two_blocks=True),
    Case("undefined_rate", H1_2026, AS_OF, unit="B"),
    # January 2025, seen at its end: before every row of the data (and no 2025 movement).
    Case("no_data", Period(d(2025, 1, 1), d(2025, 1, 31)), D(2025, 1, 31, 17, 0)),
]
CASE_IDS = [c.name for c in CASES]


# --- comparing ----------------------------------------------------------------------------------
def plain(text: str) -> str:
    """Text as a reader sees it: precomposed letters, line breaks as spaces."""
    return " ".join(unicodedata.normalize("NFC", str(text)).replace("\v", " ").split())


def same(expected, got) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, str) or isinstance(got, str):
        return plain(expected) == plain(got)
    return expected == got and not (isinstance(got, float) and math.isnan(got))


class Ledger:
    """Every comparison of one case; the test fails once, listing every disagreement."""

    def __init__(self, case: Case):
        self.case = case
        self.compared: dict[str, int] = {}
        self.differences: list[tuple[str, str, Any, Any]] = []

    def check(self, surface: str, kpi: str, expected, got) -> None:
        self.compared[surface] = self.compared.get(surface, 0) + 1
        if not same(expected, got):
            self.differences.append((surface, kpi, expected, got))

    def missing(self, surface: str, kpi: str, expected) -> None:
        self.compared[surface] = self.compared.get(surface, 0) + 1
        self.differences.append((surface, kpi, expected, "<not shown>"))

    def verify(self, *surfaces: str) -> None:
        lines = [f"{s:<10} {k:<44} expected {e!r:<24} got {g!r}" for s, k, e, g in self.differences]
        lines += [f"{s:<10} compared nothing" for s in surfaces if not self.compared.get(s)]
        if lines:
            pytest.fail(f"case {self.case.name}: the surfaces disagree with figures.compute:\n" + "\n".join(lines),
                        pytrace=False)


CAT = catalogue.get()


def text_of(kpi_id: str, value) -> str:
    return fmt.kpi_value(value, CAT[kpi_id].unit, LANG)


def unit_name(code) -> str:
    return UNITS[code][0] if code in UNITS else str(code)


def block_name(block_id: int) -> str:
    return f"Khối {block_id}"         # the builder's name_vi


def engine(sources: Sources, case: Case, scope: Scope | None = None, by: str | None = None) -> figures.Figures:
    return figures.compute(sources, case.period, case.as_of, scope or case.scope, by=by)


def independent_mean(scores: list[dict]) -> float | None:
    """The mean over distinct units with a score, worked out here (not figures.mean_score)."""
    per_unit = {}
    for row in scores:
        if row["score"] is not None:
            assert per_unit.get(row["unit"], row["score"]) == row["score"], "one unit, two scores"
            per_unit[row["unit"]] = row["score"]
    return sum(per_unit.values()) / len(per_unit) if per_unit else None


# --- what the slides should show, from the engine's figures --------------------------------------
def slide_value(f: figures.Figures, kpi_id: str):
    """A KPI as a slide of the scope shows it. For a unit, the contract leaves the
    emulation KPIs to the ministry; its slides show the unit's own score (its first
    block's row) and the awards decided for it — the same computation's emulation figures."""
    if f.scope.is_ministry or not kpi_id.startswith("emulation."):
        return f.kpis[kpi_id]
    emu = f.emulation
    if kpi_id == "emulation.score":
        return emu.scores[0]["score"] if emu.scores else None
    if kpi_id == "emulation.awards":
        return sum(emu.awards_by_title.values())
    return f.kpis[kpi_id]


def figure_spec(f: figures.Figures, fig: slides.Figure) -> tuple[str, Any, str] | None:
    """(what, raw, text) a slide's figure must carry; None for a figure nobody specified."""
    if fig.kpi_id:
        raw = slide_value(f, fig.kpi_id)
        return fig.kpi_id, raw, text_of(fig.kpi_id, raw)
    emu = f.emulation
    counts = {
        t("slides.fig_awards_total", LANG): ("awards.total", sum(emu.awards_by_title.values())),
        t("slides.fig_awards_collective", LANG): ("awards.collective", emu.awards_by_kind.get("collective", 0)),
        t("slides.fig_awards_individual", LANG): ("awards.individual", emu.awards_by_kind.get("individual", 0)),
        t("emulation.metric_blocks", LANG): ("emulation.blocks", len(emu.block_sizes)),
    }
    if fig.label in counts:
        what, raw = counts[fig.label]
        return what, raw, fmt.number(raw, LANG)
    if fig.label == t("emulation.metric_unit_rank", LANG) and emu.scores:
        first = emu.scores[0]
        return "emulation.rank", first["rank"], rank_text(f, first)
    return None


def rank_text(f: figures.Figures, row: dict) -> str:
    """"2/3": the unit's rank among its whole block's members."""
    if row["rank"] is None:
        return t("emulation.unranked", LANG)
    return t("emulation.rank_of", LANG, rank=row["rank"], n=f.emulation.block_sizes[row["block"]])


def table_spec(f: figures.Figures, slide: slides.Slide) -> dict[tuple[str, str], str] | None:
    """(row key, column) → text of the slide's table, from the engine's figures."""
    if slide.key == "procedures":
        col_ratio, col_points = t("slides.col_ratio", LANG), t("slides.col_points", LANG)
        indicators = {ind.indicator: ind for ind in CAT.service_index}
        out = {}
        for part in f.index_parts:
            key = f"{part['indicator']}. {indicators[part['indicator']].name(LANG)}"
            ratio = f.kpis[part["ratio_kpi"]]                    # the indicator's ratio is the KPI
            maximum = fmt.number(part["max"], LANG, 0 if float(part["max"]).is_integer() else 1)
            points = "—" if part["points"] is None else fmt.number(part["points"], LANG, 1)
            out[(key, col_ratio)] = fmt.percent(ratio, LANG)
            out[(key, col_points)] = f"{points} / {maximum}"
        return out
    if slide.key == "emulation" and slide.table is not None:
        col_score, col_rank = t("emulation.col_score_100", LANG), t("emulation.col_rank", LANG)
        out = {}
        for row in f.emulation.scores:
            key = f"{block_name(row['block'])} · {unit_name(row['unit'])}"
            out[(key, col_score)] = fmt.number(row["score"], LANG, 1)
            out[(key, col_rank)] = rank_text(f, row)
        return out
    return None


def table_key(slide_key: str, row: dict) -> str:
    if slide_key == "procedures":
        return row[t("slides.col_indicator", LANG)]
    return f"{row[t('emulation.col_block', LANG)]} · {row[t('emulation.col_unit', LANG)]}"


def chart_specs(f: figures.Figures, slide: slides.Slide) -> list[tuple[str, dict[str, Any], str]]:
    """Per chart of the slide, in order: (what, {bar name: raw value}, unit of the text)."""
    ministry = f.scope.is_ministry
    if slide.key == "procedures" and ministry:
        rates = {unit_name(u): v["procedures.on_time_rate"] for u, v in f.breakdown.items()
                 if v.get("procedures.on_time_rate") is not None}
        return [("procedures.on_time_rate by unit", rates, "rate")] if rates else []
    if slide.key == "tasks" and ministry:
        overdue = {unit_name(u): v["tasks.in_progress_overdue"] for u, v in f.breakdown.items()
                   if v.get("tasks.in_progress_overdue")}
        return [("tasks.in_progress_overdue by unit", overdue, "count")] if overdue else []
    if slide.key == "awards" and sum(f.emulation.awards_by_title.values()):
        specs = [("emulation.awards by title",
                  {enum("title", k, LANG): n for k, n in f.emulation.awards_by_title.items() if n}, "count")]
        if ministry:
            specs.append(("emulation.awards by unit",
                          {unit_name(k): n for k, n in f.emulation.awards_by_unit.items() if n}, "count"))
        return specs
    return []


def bars_of(chart) -> pd.DataFrame:
    """The rows a slide chart draws (name, value, text)."""
    for layer in [chart, *(getattr(chart, "layer", None) or [])]:
        data = getattr(layer, "data", None)
        if isinstance(data, pd.DataFrame) and {"name", "value", "text"} <= set(data.columns):
            return data
    raise AssertionError("a slide chart without bars")


def check_slide_model(ledger: Ledger, f: figures.Figures, built: list[slides.Slide]) -> None:
    for slide in built:
        for fig in slide.figures:
            spec = figure_spec(f, fig)
            where = f"{slide.key}: {fig.label}"
            if spec is None:
                ledger.check("slides", where, "<a specified figure>", f"{fig.kpi_id} = {fig.raw!r}")
                continue
            what, raw, text = spec
            ledger.check("slides", f"{slide.key}/{what} (raw)", raw, fig.raw)
            ledger.check("slides", f"{slide.key}/{what}", text, fig.value)
        expected_table = table_spec(f, slide)
        if expected_table is not None and slide.table is not None:
            shown = {(table_key(slide.key, row), col): row[col]
                     for row in slide.table.to_dict("records") for col in slide.table.columns}
            for key, text in expected_table.items():
                if key in shown:
                    ledger.check("slides", f"{slide.key} table {key[0]} / {key[1]}", text, shown[key])
                else:
                    ledger.missing("slides", f"{slide.key} table {key[0]} / {key[1]}", text)
        if slide.key == "tasks":                      # the note states the tasks' on-time rate
            sentence = t("slides.tasks_note", LANG, rate=fmt.percent(f.kpis["tasks.on_time_rate"], LANG))
            ledger.check("slides", "tasks note: tasks.on_time_rate", sentence,
                         sentence if sentence in slide.note else slide.note)
        specs = chart_specs(f, slide)
        if len(specs) != len(slide.charts):
            ledger.check("slides", f"{slide.key}: number of charts", len(specs), len(slide.charts))
        for (what, values, unit), chart in zip(specs, slide.charts):
            drawn = {row["name"]: row for row in bars_of(chart).to_dict("records")}
            ledger.check("slides", f"{slide.key} chart {what}: bars", sorted(values), sorted(drawn))
            for name, raw in values.items():
                if name in drawn:
                    ledger.check("slides", f"{what} [{name}] (raw)", float(raw), drawn[name]["value"])
                    ledger.check("slides", f"{what} [{name}]", fmt.kpi_value(raw, unit, LANG), drawn[name]["text"])


# --- the deck as text ----------------------------------------------------------------------------
def pptx_pages(data: bytes) -> list[tuple[list[str], list[list[list[str]]]]]:
    """Per page: its text boxes in drawing order, and its tables (rows of cell texts)."""
    pages = []
    for page in Presentation(io.BytesIO(data)).slides:
        texts, tables = [], []
        for shape in page.shapes:
            if shape.has_table:
                tables.append([[plain(cell.text) for cell in row.cells] for row in shape.table.rows])
            elif shape.has_text_frame and shape.text_frame.text.strip():
                texts.append(plain(shape.text_frame.text))
        pages.append((texts, tables))
    return pages


def check_pptx(ledger: Ledger, f: figures.Figures, built: list[slides.Slide], data: bytes) -> None:
    """Each figure's value is written on its own slide's page, just before its label (a
    tile: value, then label); each table cell the engine fills reads the engine's text."""
    pages = pptx_pages(data)
    if len(pages) != 1 + len(built):
        ledger.check("pptx", "pages", 1 + len(built), len(pages))
        return
    for number, slide in enumerate(built, start=2):
        texts, tables = pages[number - 1]
        for fig in slide.figures:
            spec = figure_spec(f, fig)
            if spec is None:
                continue                                       # reported by the slide model's check
            what, _, text = spec
            at = [i for i, x in enumerate(texts) if x == plain(fig.label) and i > 0]
            if at:
                ledger.check("pptx", f"page {number} {slide.key}/{what}", text, texts[at[0] - 1])
            else:
                ledger.missing("pptx", f"page {number} {slide.key}/{what} (label {fig.label!r})", text)
        if slide.key == "tasks":
            sentence = plain(t("slides.tasks_note", LANG, rate=fmt.percent(f.kpis["tasks.on_time_rate"], LANG)))
            note = next((x for x in texts if sentence in x), None)
            if note is None:
                ledger.missing("pptx", f"page {number} tasks note: tasks.on_time_rate", sentence)
            else:
                ledger.check("pptx", f"page {number} tasks note: tasks.on_time_rate", sentence, sentence)
        expected_table = table_spec(f, slide)
        if expected_table and slide.table is not None:
            columns = [plain(c) for c in slide.table.columns]
            table = next((tb for tb in tables if tb and tb[0] == columns), None)
            if table is None:
                ledger.missing("pptx", f"page {number} {slide.key} table", columns)
                continue
            shown = {}
            for cells in table[1:]:
                row = dict(zip(slide.table.columns, cells))
                shown.update({(table_key(slide.key, row), col): row[col] for col in slide.table.columns})
            for (key, col), text in expected_table.items():
                plain_key = (plain(key), col)
                if plain_key in shown:
                    ledger.check("pptx", f"page {number} {slide.key} table {key} / {col}", text, shown[plain_key])
                else:
                    ledger.missing("pptx", f"page {number} {slide.key} table {key} / {col}", text)


# --- the Government workbook and the contract ----------------------------------------------------
def check_xlsx(ledger: Ledger, f: figures.Figures, data: bytes) -> None:
    """Domain sheets: column A the KPI id, column C its value (an empty cell: undefined);
    the scores and awards sheets: the contract's rows."""
    contract = f.contract()
    wb = load_workbook(io.BytesIO(data))
    seen = set()
    for domain in government.DOMAINS:
        ws = wb[government.sheet_title(t(f"reports.sheet_{domain}", LANG))]
        for kpi_id, _name, value, *_ in ws.iter_rows(min_row=2, values_only=True):
            seen.add(kpi_id)
            if kpi_id not in contract["kpis"]:
                ledger.check("xlsx", f"{domain} sheet row {kpi_id!r}", "<a KPI of the catalogue>", kpi_id)
            else:
                ledger.check("xlsx", kpi_id, contract["kpis"][kpi_id], value)
    for kpi_id in set(contract["kpis"]) - seen:
        ledger.missing("xlsx", kpi_id, contract["kpis"][kpi_id])
    ws = wb[government.sheet_title(t("reports.sheet_scores", LANG))]
    shown = {(u, b): (s, r) for u, _name, b, s, r in ws.iter_rows(min_row=2, values_only=True)}
    expected = {(r["unit"], r["block"]): (r["score"], r["rank"]) for r in contract["emulation_scores"]}
    ledger.check("xlsx", "emulation scores: (unit, block) rows", sorted(expected), sorted(shown))
    for key, (score, rank) in expected.items():
        got = shown.get(key, ("<not shown>", "<not shown>"))
        ledger.check("xlsx", f"emulation.score [{key[0]}, block {key[1]}]", score, got[0])
        ledger.check("xlsx", f"emulation rank [{key[0]}, block {key[1]}]", rank, got[1])
    ws = wb[government.sheet_title(t("reports.sheet_awards_by_title", LANG))]
    shown = {code: n for code, _title, n in ws.iter_rows(min_row=2, values_only=True)}
    ledger.check("xlsx", "emulation.awards by title", contract["awards_by_title"], shown)


def check_json(ledger: Ledger, f: figures.Figures, text: str) -> None:
    contract, parsed = f.contract(), json.loads(text)
    for key in ("from", "to", "as_of", "unit"):
        ledger.check("json", key, contract[key], parsed.get(key))
    ledger.check("json", "KPI ids, in the catalogue's order", list(CAT.ids), list(parsed["kpis"]))
    for kpi_id, value in contract["kpis"].items():
        ledger.check("json", kpi_id, value, parsed["kpis"].get(kpi_id, "<not shown>"))
    ledger.check("json", "emulation_scores", contract["emulation_scores"], parsed["emulation_scores"])
    ledger.check("json", "awards_by_title", contract["awards_by_title"], parsed["awards_by_title"])


def check_csv(ledger: Ledger, f: figures.Figures, text: str) -> None:
    """One row per KPI: the value as text, empty when undefined."""
    contract = f.contract()
    shown = {row["kpi"]: row["value"] for row in csv.DictReader(io.StringIO(text))
             if not row["unit"] and not row["title"]}
    for kpi_id, value in contract["kpis"].items():
        got = shown.get(kpi_id)
        if got is None:
            ledger.missing("csv", kpi_id, value)
        else:
            number = None if got == "" else (int(got) if isinstance(value, int) else float(got))
            ledger.check("csv", kpi_id, value, number)


# --- the tests -----------------------------------------------------------------------------------
@pytest.fixture(params=CASES, ids=CASE_IDS)
def case(request) -> Case:
    return request.param


@pytest.fixture
def filled(rows, case) -> Rows:
    """The case's data in this engine's database."""
    return fill(rows, unit_in_two_blocks=case.unit_in_two_blocks)


def test_slides_deck_workbook_and_contract_carry_the_engines_figures(filled, sources, case):
    f = engine(sources, case, by="unit")
    ledger = Ledger(case)

    built = slides.build(sources, case.period, case.as_of, case.scope, LANG)
    check_slide_model(ledger, f, built)

    meta = slides.meta(case.period, case.as_of, case.scope, LANG, unit_names=dict(UNITS))
    check_pptx(ledger, f, built, deck.pptx_bytes(built, meta))

    result = report.compute(sources, case.period, case.as_of, case.scope)
    check_xlsx(ledger, f, government.to_xlsx(result, LANG, dict(UNITS)))
    check_json(ledger, f, report.to_json(result))
    check_csv(ledger, f, report.to_csv(result))

    ledger.verify("slides", "pptx", "xlsx", "json", "csv")
    check_the_case_by_hand(case, f, built)


def check_the_case_by_hand(case: Case, f: figures.Figures, built: list[slides.Slide]) -> None:
    """What each case is there for, worked out from `fill` rather than read from the engine
    (the surfaces agreeing with a wrong engine would prove nothing)."""
    k = f.kpis
    if case.name == "whole_ministry":
        assert (k["procedures.received"], k["procedures.finished"], k["procedures.on_time_rate"]) == (8, 4, 0.75)
        assert (k["procedures.pending"], k["procedures.pending_overdue"]) == (4, 2)
        assert (k["tasks.assigned"], k["tasks.in_progress_overdue"], k["tasks.due_next_7_days"]) == (5, 1, 1)
        assert (k["emulation.participating_units"], k["emulation.awards"]) == (3, 3)
        assert k["emulation.score"] == pytest.approx((70 + 75 + 30) / 3)
    elif case.name == "one_unit":
        assert (k["procedures.received"], k["procedures.on_time_rate"]) == (5, pytest.approx(2 / 3))
        assert k["tasks.on_time_rate"] == 0.5
        # The contract leaves the emulation KPIs to the ministry; A's slides show A's own.
        assert k["emulation.score"] is None and k["emulation.awards"] is None
        assert slide_value(f, "emulation.score") == pytest.approx(70)
        assert slide_value(f, "emulation.awards") == 2
    elif case.name == "unit_in_two_blocks":
        scores = f.emulation.scores
        assert sorted((r["unit"], r["block"]) for r in scores) == [("A", 1), ("A", 2), ("B", 1), ("C", 2)]
        mean = independent_mean(scores)
        assert mean == pytest.approx((70 + 75 + 30) / 3)
        naive = sum(r["score"] for r in scores) / len(scores)          # A counted twice: 61.25
        assert naive != pytest.approx(mean), "the case must tell the two means apart"
        assert k["emulation.score"] == pytest.approx(mean), \
            f"the ministry's mean score counts A once: {mean}, not {k['emulation.score']}"
        assert k["emulation.participating_units"] == 3, "A is one participating unit, in two blocks"
    elif case.name == "undefined_rate":
        assert (k["procedures.received"], k["procedures.finished"]) == (2, 0)
        assert k["procedures.on_time_rate"] is None and k["tasks.on_time_rate"] is None
        shown = {fig.kpi_id: fig.value for s in built for fig in s.figures if fig.kpi_id}
        assert shown["procedures.on_time_rate"] == "—" and shown["tasks.on_time_rate"] == "—"
    elif case.name == "no_data":
        expected = {kpi_id: 0 if CAT[kpi_id].unit == "count" else None for kpi_id in CAT.ids}
        assert k == expected, "no data: every count 0, every rate, mean and index undefined"
        assert f.emulation.movement is None and not f.emulation.scores


# --- the Overview ------------------------------------------------------------------------------
@pytest.fixture
def app_on_engine(filled, tmp_path, monkeypatch, users_file):
    """The app pointed at the case's database on this engine (the env of conftest's
    `app_db`), the caches emptied before and after."""
    from ui import data as ui_data

    for source in ("PROCEDURES", "TASKS", "EMULATION"):
        monkeypatch.setenv(f"IOC_{source}_URL", filled.url)
    users_copy = tmp_path / "users.yaml"
    users_copy.write_bytes(users_file.read_bytes())
    monkeypatch.setenv("IOC_USERS_FILE", str(users_copy))
    monkeypatch.setenv("IOC_APP_DB_URL", f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    monkeypatch.setenv("IOC_COOKIE_KEY", "test-cookie-key-not-the-default-0123456789")
    ui_data.clear_caches()
    dbmod.dispose_all()
    yield filled
    ui_data.clear_caches()
    dbmod.dispose_all()


def test_the_overview_cards_carry_the_engines_figures(app_on_engine, sources, case, monkeypatch):
    """Procedures and tasks cards: the view's scope; the emulation row: the ministry's
    (a unit's view says so in a caption)."""
    monkeypatch.setenv("IOC_AS_OF", case.as_of.strftime("%Y-%m-%d %H:%M:%S"))
    at = app_test("lead")
    at.query_params.update({"period": "custom", "from": case.period.start.isoformat(),
                            "to": case.period.end.isoformat(), "lang": LANG})
    if case.unit:
        at.query_params["unit"] = case.unit
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]

    own = engine(sources, case).kpis
    ministry = engine(sources, case, Scope.ministry()).kpis
    by_name = {CAT[k].name(LANG): k for k in CAT.ids}
    ledger = Ledger(case)
    shown = {}
    for metric in at.metric:
        kpi_id = by_name.get(metric.label)
        if kpi_id is None:
            ledger.check("overview", f"card {metric.label!r}", "<a KPI of the catalogue>", metric.value)
            continue
        shown[kpi_id] = metric.value
        expected = ministry[kpi_id] if kpi_id.startswith("emulation.") else own[kpi_id]
        ledger.check("overview", kpi_id, text_of(kpi_id, expected), metric.value)
    ledger.check("overview", "number of cards", 19, len(at.metric))
    ledger.verify("overview")

    assert {"emulation.participating_units", "emulation.score", "emulation.awards"} <= set(shown)
    if case.unit:
        assert any(t("overview.emulation_ministry_only", LANG) in c.value for c in at.caption)
    if case.name == "undefined_rate":
        assert shown["procedures.on_time_rate"] == "—" and shown["tasks.on_time_rate"] == "—"
    if case.name == "unit_in_two_blocks":
        scores = engine(sources, case).emulation.scores
        assert shown["emulation.score"] == text_of("emulation.score", independent_mean(scores))
