"""The slide model and the slide deck: the figures on the slides are the KPI engine's, in
the reader's number format; the PPTX and PDF hold a title page and one page per chosen
slide, in order; the PDF keeps Vietnamese diacritics; no person's name reaches a slide."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

from data_access import catalogue, emulation, report, schema
from data_access import db as dbmod
from data_access.db import Sources
from data_access.model import Period, Scope
from l10n import fmt
from l10n.i18n import t
from reports import deck, slide_charts, slides

from .builders import D, Rows

AS_OF = dt.datetime(2026, 6, 20, 14, 30)
PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
PEOPLE = ("Nguyễn Thị Lan", "Trần Văn Bình")


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Sources:
    """1,234 dossiers (930 of 1,230 finished on time: 75.6 %), six tasks in all four
    categories, a 2026 movement scored by hand for H1, and three awards, two of them to
    named people."""
    rows = Rows.new_sqlite(tmp_path_factory.mktemp("deck") / "deck.sqlite")
    rows.unit("BO", "Bộ Tài nguyên và Môi trường", name_en="Ministry", kind="ministry")
    rows.unit("A", "Vụ Pháp chế", name_en="Department of Legal Affairs")
    rows.unit("B", "Cục Khoáng sản Việt Nam", name_en="Viet Nam Department of Minerals")
    rows.procedure("P1", unit_code="A")
    rows.procedure("P2", unit_code="B", field="minerals")
    records = []

    def dossier(i: int, unit: str, procedure: str, received: dt.datetime, due_days: int, done_days: int | None):
        records.append({
            "id": f"HS-{i:06d}", "procedure_code": procedure, "unit_code": unit, "received_at": received,
            "due_at": received + dt.timedelta(days=due_days),
            "finished_at": None if done_days is None else received + dt.timedelta(days=done_days),
            "status": "processing" if done_days is None else "approved", "channel": "online" if i % 2 else "in_person",
            "applicant_type": "business", "digitized": bool(i % 3), "synced_national": True, "fee_amount": 0,
            "paid_online": False, "rating": 5 if i % 4 else 3,
        })

    for i in range(1200):  # unit A: 900 on time, 300 late
        received = D(2026, 3, 1 + i % 28, 8 + (i // 28) % 9, i % 60)
        dossier(i, "A", "P1", received, 4, 2 if i < 900 else 6)
    for i in range(1200, 1234):  # unit B: 30 on time, 4 still open and overdue
        received = D(2026, 4, 1 + i % 20, 9)
        dossier(i, "B", "P2", received, 10, 3 if i < 1230 else None)
    rows.insert(schema.dossiers, *records)

    rows.task(D(2026, 2, 1, 9), dt.date(2026, 3, 1), D(2026, 2, 20, 9))               # completed on time
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 3, 1), D(2026, 3, 5, 9))                # completed late
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 5, 1), None)                            # in progress, overdue
    rows.task(D(2026, 3, 1, 9), dt.date(2026, 12, 31), None, lead_unit_code="B")     # in progress, on time
    rows.task(D(2026, 3, 1, 9), dt.date(2026, 4, 30), None, lead_unit_code="B")      # in progress, overdue
    rows.task(D(2026, 3, 1, 9), dt.date(2026, 6, 1), None, lead_unit_code="B")       # in progress, overdue

    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.criterion(1, 1, 100)
    rows.evaluation(1, "A", 1, "H1", 80)
    rows.evaluation(1, "B", 1, "H1", 65.5)
    rows.award(dt.date(2026, 2, 10), "emulation_flag", unit_code="A", recipient_name="Vụ Pháp chế", movement_id=1)
    rows.award(dt.date(2026, 3, 5), "advanced_worker", unit_code="B", recipient_kind="individual",
               recipient_name=PEOPLE[0], movement_id=1)
    rows.award(dt.date(2026, 4, 1), "certificate_of_merit", unit_code="A", recipient_kind="individual",
               recipient_name=PEOPLE[1], movement_id=1)
    rows.close()
    yield Sources.single(rows.url)
    dbmod.dispose_all()


class Decks(dict):
    """Every slide in a language, built on first use: (slides, PPTX bytes, PDF bytes)."""

    def __init__(self, sources: Sources):
        super().__init__()
        self.sources = sources

    def __missing__(self, lang: str):
        built = slides.build(self.sources, PERIOD, AS_OF, Scope.ministry(), lang)
        meta = slides.meta(PERIOD, AS_OF, Scope.ministry(), lang)
        self[lang] = (built, deck.pptx_bytes(built, meta), deck.pdf_bytes(built, meta))
        return self[lang]


@pytest.fixture(scope="module")
def decks(sources) -> Decks:
    return Decks(sources)


def pptx_pages(data: bytes) -> list[str]:
    """The text of each slide (text boxes and table cells), lines joined by spaces."""
    pages = []
    for slide in Presentation(io.BytesIO(data)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        pages.append(" ".join(parts).replace("\v", " ").replace("\n", " "))
    return pages


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# --- arguments --------------------------------------------------------------------------
def test_parse_keys():
    assert slides.parse_keys(None) == slides.SLIDE_KEYS
    assert slides.parse_keys("") == slides.SLIDE_KEYS
    assert slides.parse_keys("tasks, overview") == ("tasks", "overview")
    assert slides.parse_keys("awards,awards,emulation") == ("awards", "emulation")
    with pytest.raises(ValueError, match="slideshow") as raised:
        slides.parse_keys("overview,slideshow,tasks")
    assert "overview" not in str(raised.value).split(";")[0]


def test_write_needs_a_deck_suffix(tmp_path):
    meta = slides.DeckMeta("Bộ", "Tiêu đề", "Kỳ", "Lập lúc", "vi")
    with pytest.raises(ValueError, match="pptx"):
        deck.write(tmp_path / "deck.docx", [], meta)
    deck.write(tmp_path / "deck.pdf", [], meta)
    assert len(PdfReader(tmp_path / "deck.pdf").pages) == 1


# --- the slide model ----------------------------------------------------------------------
def test_slides_follow_the_chosen_keys_in_order(sources):
    built = slides.build(sources, PERIOD, AS_OF, Scope.ministry(), "vi", keys="tasks,overview")
    assert [s.key for s in built] == ["tasks", "overview"]
    assert built[0].title == t("slides.title_tasks", "vi")
    assert "01/01/2026 – 30/06/2026" in built[0].subtitle and "14:30 20/06/2026" in built[0].subtitle


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_figures_are_the_engines(decks, sources, lang):
    expected = report.compute(sources, PERIOD, AS_OF, Scope.ministry())["kpis"]
    overview = next(s for s in decks[lang][0] if s.key == "overview")
    by_id = {f.kpi_id: f for f in overview.figures}
    cat = catalogue.get()
    for kpi_id in ("procedures.received", "procedures.on_time_rate", "procedures.pending_overdue",
                   "procedures.service_index", "tasks.assigned", "tasks.on_time_rate",
                   "tasks.in_progress_overdue", "emulation.awards"):
        assert by_id[kpi_id].raw == pytest.approx(expected[kpi_id])
        assert by_id[kpi_id].value == fmt.kpi_value(expected[kpi_id], cat[kpi_id].unit, lang)
    # The data were built for these exact figures.
    assert expected["procedures.received"] == 1234 and expected["procedures.on_time_rate"] == pytest.approx(930 / 1230)
    assert by_id["procedures.on_time_rate"].status == "red"
    assert by_id["procedures.on_time_rate"].target == ("Chỉ tiêu ≥ 98,0%" if lang == "vi" else "Target ≥ 98.0%")


def test_tasks_slide_has_the_four_categories(decks, sources):
    expected = report.compute(sources, PERIOD, AS_OF, Scope.ministry())["kpis"]
    tasks_slide = next(s for s in decks["vi"][0] if s.key == "tasks")
    values = {f.kpi_id: f.raw for f in tasks_slide.figures}
    assert values == {k: expected[k] for k in ("tasks.completed_on_time", "tasks.completed_late",
                                               "tasks.in_progress_on_time", "tasks.in_progress_overdue")}
    assert values["tasks.in_progress_overdue"] == 3
    assert len(tasks_slide.charts) == 1  # overdue tasks by unit


def test_emulation_slide_ranks_the_block(decks):
    ranking = next(s for s in decks["vi"][0] if s.key == "emulation")
    assert ranking.title == "Xếp hạng thi đua năm 2026 (6 tháng đầu năm)"
    (block,) = ranking.blocks                       # one table per block, headed by its name
    assert block.title == "Khối 1"
    assert [(r.rank, r.unit, r.score) for r in block.rows] == [("1", "Vụ Pháp chế", "80,0"),
                                                                ("2", "Cục Khoáng sản Việt Nam", "65,5")]
    assert ranking.table is None


def test_a_unit_sees_its_own_figures(sources):
    built = slides.build(sources, PERIOD, AS_OF, Scope.of_unit("B"), "vi")
    expected = report.compute(sources, PERIOD, AS_OF, Scope.of_unit("B"))["kpis"]
    overview = {f.kpi_id: f.raw for f in built[0].figures}
    assert overview["procedures.received"] == expected["procedures.received"] == 34
    assert overview["tasks.in_progress_overdue"] == expected["tasks.in_progress_overdue"] == 2
    assert overview["emulation.awards"] == 1
    assert "Cục Khoáng sản Việt Nam" in built[0].subtitle
    ranking = next(s for s in built if s.key == "emulation")
    (block,) = ranking.blocks
    assert [(r.rank, r.unit) for r in block.rows] == [("2/2", "Cục Khoáng sản Việt Nam")]
    assert next(f for f in ranking.figures if f.label == t("emulation.metric_unit_rank", "vi")).value == "2/2"


def test_no_movement_says_so(sources):
    built = slides.build(sources, Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), AS_OF, Scope.ministry(),
                         "vi", keys=("emulation",))
    assert built[0].note == t("emulation.no_movement", "vi", year=2025)
    assert built[0].table is None and not built[0].figures


# --- the deck -------------------------------------------------------------------------------
def test_pptx_has_a_title_slide_and_the_chosen_slides_in_order(sources):
    built = slides.build(sources, PERIOD, AS_OF, Scope.ministry(), "en", keys=slides.parse_keys("tasks,overview"))
    data = deck.pptx_bytes(built, slides.meta(PERIOD, AS_OF, Scope.ministry(), "en"))
    prs = Presentation(io.BytesIO(data))
    assert round(prs.slide_width / 914400, 2) == 13.33 and prs.slide_height / 914400 == pytest.approx(7.5)
    pages = pptx_pages(data)
    assert len(pages) == 3
    assert "Ministry of Natural Resources and Environment".upper() in pages[0]
    assert t("slides.deck_title", "en") in pages[0]
    assert t("slides.title_tasks", "en") in pages[1] and t("slides.title_overview", "en") in pages[2]


@pytest.mark.parametrize("lang, on_time, received, other_on_time", [
    ("vi", "75,6%", "1.234", "75.6%"),
    ("en", "75.6%", "1,234", "75,6%"),
])
def test_deck_text_has_the_figures_in_the_languages_format(decks, sources, lang, on_time, received, other_on_time):
    expected = report.compute(sources, PERIOD, AS_OF, Scope.ministry())["kpis"]
    cat = catalogue.get()
    built, pptx_data, pdf_data = decks[lang]
    for pages in (pptx_pages(pptx_data), pdf_pages(pdf_data)):
        assert len(pages) == 1 + len(slides.SLIDE_KEYS)
        overview = pages[1 + built.index(next(s for s in built if s.key == "overview"))]
        for kpi_id in ("procedures.received", "procedures.on_time_rate", "procedures.pending_overdue",
                       "tasks.assigned", "tasks.on_time_rate", "tasks.in_progress_overdue"):
            assert fmt.kpi_value(expected[kpi_id], cat[kpi_id].unit, lang) in overview, kpi_id
        assert on_time in overview and received in overview
        assert other_on_time not in overview
        procedures_page = pages[2]
        assert (f"{fmt.number(20 * 930 / 1230, lang, 1)} / 20") in procedures_page  # 766 indicator 2.1


def test_pdf_keeps_vietnamese_diacritics(decks):
    built, _, pdf_data = decks["vi"]
    reader = PdfReader(io.BytesIO(pdf_data))
    assert len(reader.pages) == 1 + len(built)
    text = " ".join(page.extract_text() for page in reader.pages)
    for words in ("Nhiệm vụ", "quá hạn", "Bộ Tài nguyên và Môi trường", "Tỷ lệ giải quyết", "Khen thưởng",
                  "Cục Khoáng sản Việt Nam", t("status_red", "vi")):
        assert words in text, words


def test_no_persons_name_reaches_a_slide(decks, sources):
    # The names are in the data the awards slide counts...
    listed = {r[2] for r in emulation.awards_list(sources.emulation, PERIOD, AS_OF, Scope.ministry())}
    assert set(PEOPLE) <= listed
    for lang in ("vi", "en"):
        built, pptx_data, pdf_data = decks[lang]
        awards = next(s for s in built if s.key == "awards")
        assert [f.raw for f in awards.figures] == [3, 1, 2]  # total, collectives, individuals
        model_text = " ".join([awards.title, awards.subtitle, awards.note, *(f.label for f in awards.figures),
                               *(c.to_json() for c in awards.charts)])
        everything = " ".join([model_text, *pptx_pages(pptx_data), *pdf_pages(pdf_data)])
        for person in PEOPLE:
            assert person not in everything, (lang, person)


def test_chart_png_has_the_asked_size(decks):
    from PIL import Image

    chart = next(s for s in decks["vi"][0] if s.key == "procedures").charts[0]
    png = slide_charts.to_png(chart, 400, 300, "vi")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size == (800, 600)
    # The same from the chart's JSON (as a page caches it).
    assert Image.open(io.BytesIO(slide_charts.to_png(chart.to_json(), 200, 150, "en", scale=1))).size == (200, 150)


def test_slide_strings_exist_in_both_languages():
    import tomllib

    from data_access.settings import PROJECT_ROOT

    tables = {}
    for lang in ("vi", "en"):
        with open(PROJECT_ROOT / "l10n" / "locales" / f"{lang}.toml", "rb") as fh:
            tables[lang] = tomllib.load(fh)["slides"]
    assert set(tables["vi"]) == set(tables["en"])
    assert all(value.strip() for table in tables.values() for value in table.values())


def test_slides_and_deck_never_import_streamlit():
    import subprocess
    import sys

    from data_access.settings import PROJECT_ROOT

    code = ("import sys, reports.slides, reports.slide_charts, reports.deck; "
            "sys.exit(1 if 'streamlit' in sys.modules else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_provisional_ranking_says_so_on_the_slide_and_in_both_decks(tmp_path):
    """B has no points yet for one of the two hand-scored criteria: its score (on the
    other) is marked provisional with the criteria scored, beside it in its block, and
    the note says what provisional means; A's is final."""
    rows = Rows.new_sqlite(tmp_path / "provisional.sqlite")
    rows.unit("A", "Vụ Pháp chế")
    rows.unit("B", "Cục Khoáng sản Việt Nam")
    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.criterion(11, 1, 60)
    rows.criterion(12, 1, 40, content_no=2)
    rows.evaluation(1, "A", 11, "H1", 50)
    rows.evaluation(1, "A", 12, "H1", 30)
    rows.evaluation(1, "B", 11, "H1", 60)
    rows.close()
    sources = Sources.single(rows.url)
    built = slides.build(sources, PERIOD, AS_OF, Scope.ministry(), "vi", keys=("emulation",))
    (block,) = built[0].blocks
    assert block.title == "Khối 1" and block.mark == ""
    # B: 60/60 on the one criterion scored is 100 and first, but provisional
    assert [(r.rank, r.unit, r.score, r.mark) for r in block.rows] == [
        ("1", "Cục Khoáng sản Việt Nam", "100,0", "tạm tính · 1/2 tiêu chí"), ("2", "Vụ Pháp chế", "80,0", "")]
    assert list(block.frame("vi").columns) == ["Hạng", "Đơn vị", "Tổng /100", "Ghi chú"]
    assert t("slides.provisional_note", "vi") in built[0].note
    mean = next(f for f in built[0].figures if f.kpi_id == "emulation.score")
    assert mean.target.endswith("1 đơn vị điểm tạm tính")
    meta = slides.meta(PERIOD, AS_OF, Scope.ministry(), "vi")
    for text in (" ".join(pdf_pages(deck.pdf_bytes(built, meta))[1:]),
                 " ".join(pptx_pages(deck.pptx_bytes(built, meta))[1:])):
        assert "tạm tính · 1/2 tiêu chí" in text and "Khối 1" in text


def test_slide_charts_drawn_for_the_screen_have_no_text_under_24_px(sources):
    """The kiosk draws each chart at its width on a 1280×720 screen: every font size of
    the spec it renders (names, figures, title, subtitle, axes) is at least 24 px, in
    the slides' typeface, and the picture is as tall as its bars need."""
    built = slides.build(sources, PERIOD, AS_OF, Scope.ministry(), "vi")
    charts = [c for s in built for c in s.charts]
    assert charts
    for chart in charts:
        spec, height = slide_charts.for_screen(chart, 580)
        sizes = slide_charts.text_sizes(spec)
        assert sizes and min(sizes) >= slide_charts.SCREEN_TEXT_PX, sizes
        assert spec["config"]["font"] == "DejaVu Sans"
        rows = slide_charts.rows_of(chart)
        assert height >= rows * slide_charts.screen_row_px()
        png = slide_charts.to_png(spec, 580, height, "vi")
        assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_column_as_wide_as_its_text_keeps_the_text_whole():
    from reports.deck import Measure

    m = Measure()
    pad = 0.12
    for size in (11.4232, 11.9232):           # sizes at which (w + 2·pad) − 2·pad < w
        column = m.width("Hạng", size, True) + 2 * pad
        assert m.ellipsis("Hạng", size, True, column - 2 * pad) == "Hạng"
    assert m.ellipsis("Cục Trồng trọt và Bảo vệ thực vật", 11, False, 1.0).endswith("…")
