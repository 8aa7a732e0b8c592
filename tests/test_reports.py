"""The Government KPI report (JSON/CSV/XLSX), the emulation report for the Minister
(XLSX/PDF) and `python -m reports`, against the KPI engine on SQLite, PostgreSQL and
MariaDB."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tomllib

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from data_access import catalogue, emulation, figures
from data_access import report as engine
from data_access.model import Period, Scope
from data_access.settings import PROJECT_ROOT
from l10n.i18n import t
from reports import emulation_report, government

D = dt.datetime
d = dt.date

PERIOD = Period(d(2026, 1, 1), d(2026, 6, 30))
AS_OF = D(2026, 6, 20, 14, 30)
KPI_ARGS = ("--from", "2026-01-01", "--to", "2026-06-30", "--as-of", "2026-06-20 14:30")


def run(module: str, *args: str, urls: dict[str, str] | str | None = None) -> subprocess.CompletedProcess:
    """`python -m module args…` with the sources at `urls`; stdout and stderr as bytes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    if isinstance(urls, str):
        urls = {"procedures": urls, "tasks": urls, "emulation": urls}
    for name, url in (urls or {}).items():
        env[f"IOC_{name.upper()}_URL"] = url
    return subprocess.run([sys.executable, "-m", module, *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, timeout=180)


def fill(rows):
    """Three units in block 1 (two of them tied), one unscored unit alone in block 2."""
    rows.unit("A", "Vụ Pháp chế", name_en="Department of Legal Affairs")
    rows.unit("B", "Cục Khoáng sản Việt Nam", name_en="Viet Nam Department of Minerals")
    rows.unit("C", "Cục Quản lý tài nguyên nước", name_en="Department of Water Resources Management")
    rows.unit("E", "Văn phòng Bộ", name_en="Ministry Office")
    rows.procedure("P1", unit_code="A")
    # On time: A 1/1, B 1/1, C 0/1; one pending overdue dossier of A; a rated dossier.
    rows.dossier(D(2026, 1, 5, 8), due_at=D(2026, 2, 1), finished_at=D(2026, 1, 20), rating=5, channel="online")
    rows.dossier(D(2026, 2, 5, 8), due_at=D(2026, 3, 1), finished_at=D(2026, 3, 1), unit_code="B", fee_amount=500000,
                 paid_online=True)
    rows.dossier(D(2026, 3, 1, 8), due_at=D(2026, 3, 5), finished_at=D(2026, 3, 6), unit_code="C", digitized=True)
    rows.dossier(D(2026, 6, 1, 8), due_at=D(2026, 6, 10))
    rows.task(D(2026, 2, 1, 9), d(2026, 3, 1), D(2026, 2, 25, 9))
    rows.task(D(2026, 2, 1, 9), d(2026, 6, 1), None, lead_unit_code="B", category="legal_document")
    rows.task(D(2026, 6, 10, 9), d(2026, 6, 25), None, lead_unit_code="C")
    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B", "C")
    rows.block(2, 1, "E")
    rows.criterion(1, 1, 60)
    rows.criterion(2, 1, 40, metric="procedures.on_time_rate", content_no=3)
    for unit in ("A", "B", "C"):
        rows.evaluation(1, unit, 1, "H1", 50)
    rows.award(d(2026, 1, 20), "emulation_flag", unit_code="A")
    rows.award(d(2026, 3, 2), "advanced_worker", unit_code="B", recipient_kind="individual",
               recipient_name="Nguyễn Thị Lan")
    rows.award(d(2026, 3, 2), "advanced_worker", unit_code="B", recipient_kind="individual",
               recipient_name="Trần Văn Đức")
    rows.award(d(2026, 7, 2), "certificate_of_merit", unit_code="C")      # after the H1 window
    return rows


@pytest.fixture
def small(rows):
    """The data set on each of the three engines."""
    return fill(rows)


@pytest.fixture
def small_sqlite(sqlite_rows):
    """The data set on SQLite only: for argument checks, which do not depend on the engine."""
    return fill(sqlite_rows)


def sheet_by_name(workbook, key: str, lang: str):
    return workbook[government.sheet_title(t(key, lang))]


def table_rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)]


# --- the Government workbook ---------------------------------------------------------------
def check_government_workbook(data: bytes, result: dict, lang: str) -> None:
    wb = load_workbook(io.BytesIO(data))
    cat = catalogue.get()
    seen = {}
    for domain in government.DOMAINS:
        ws = sheet_by_name(wb, f"reports.sheet_{domain}", lang)
        assert ws.freeze_panes == "A2" and all(c.font.bold for c in ws[1])
        for row in ws.iter_rows(min_row=2):
            kpi_id, value = row[0].value, row[2]
            assert kpi_id.startswith(domain + ".")
            seen[kpi_id] = value.value
            if value.value is not None:
                unit = cat[kpi_id].unit
                assert "%" in value.number_format if unit == "rate" else "%" not in value.number_format
                if unit == "count":
                    assert isinstance(value.value, int) and not isinstance(value.value, bool)
    assert list(seen) == list(catalogue.get().ids)
    assert seen == result["kpis"]
    scores = table_rows(sheet_by_name(wb, "reports.sheet_scores", lang))
    assert [(u, b, s, r) for u, _name, b, s, r in scores] == [
        (x["unit"], x["block"], x["score"], x["rank"]) for x in result["emulation_scores"]]
    awards = table_rows(sheet_by_name(wb, "reports.sheet_awards_by_title", lang))
    assert {code: n for code, _name, n in awards} == result["awards_by_title"]
    definitions = table_rows(sheet_by_name(wb, "reports.sheet_definitions", lang))
    assert [r[0] for r in definitions] == list(catalogue.get().ids)
    assert all(r[-1] for r in definitions)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_xlsx_cells_equal_the_engine(small, sources, lang):
    result = government.report(sources, PERIOD, AS_OF, Scope.ministry())
    assert result == engine.compute(sources, PERIOD, AS_OF, Scope.ministry())
    k = result["kpis"]
    assert (k["procedures.received"], k["procedures.finished"], k["procedures.pending_overdue"]) == (4, 3, 1)
    assert k["procedures.on_time_rate"] == pytest.approx(2 / 3)
    assert k["procedures.satisfaction_rate"] == 1.0 and k["emulation.awards"] == 3
    assert k["tasks.assigned"] == 3 and k["tasks.due_next_7_days"] == 1
    data = government.to_xlsx(result, lang, unit_names={"A": ("Vụ Pháp chế", "Department of Legal Affairs")})
    check_government_workbook(data, result, lang)
    wb = load_workbook(io.BytesIO(data))
    procedures = {r[0]: r for r in table_rows(sheet_by_name(wb, "reports.sheet_procedures", lang))}
    # Targets are numbers too; a KPI without a target leaves the cell empty.
    assert procedures["procedures.on_time_rate"][4] == 0.98
    assert procedures["procedures.received"][4] is None
    assert wb.sheetnames[0] == government.sheet_title(t("reports.sheet_about", lang))


def test_xlsx_of_a_unit_leaves_undefined_and_ministry_only_figures_empty(small, sources):
    result = government.report(sources, PERIOD, AS_OF, Scope.of_unit("E"))
    k = result["kpis"]
    assert k["procedures.on_time_rate"] is None and k["emulation.score"] is None
    data = government.to_xlsx(result, "vi")
    check_government_workbook(data, result, "vi")
    wb = load_workbook(io.BytesIO(data))
    values = {r[0]: r[2] for r in table_rows(sheet_by_name(wb, "reports.sheet_procedures", "vi"))}
    assert values["procedures.received"] == 0 and values["procedures.on_time_rate"] is None
    assert table_rows(sheet_by_name(wb, "reports.sheet_scores", "vi")) == []


# --- JSON and CSV byte for byte ------------------------------------------------------------
def test_json_and_csv_equal_the_data_access_command(small, sources):
    result = government.report(sources, PERIOD, AS_OF, Scope.ministry())
    for fmt, writer in (("json", government.to_json), ("csv", government.to_csv)):
        expected = run("data_access", "kpis", *KPI_ARGS, "--format", fmt, urls=small.url)
        assert expected.returncode == 0, expected.stderr
        assert writer(result) == expected.stdout
        ours = run("reports", "kpis", *KPI_ARGS, "--format", fmt, urls=small.url)
        assert ours.returncode == 0, ours.stderr
        assert ours.stdout == expected.stdout
    assert json.loads(government.to_json(result)) == json.loads(json.dumps(result))


def test_json_keeps_vietnamese_text_and_unit_scope_matches(small, sources):
    result = government.report(sources, PERIOD, AS_OF, Scope.of_unit("B"))
    expected = run("data_access", "kpis", *KPI_ARGS, "--unit", "B", "--format", "json", urls=small.url)
    assert government.to_json(result) == expected.stdout
    assert json.loads(expected.stdout)["unit"] == "B"


def test_cli_kpis_xlsx_file_equals_the_engine(small, sources, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    done = run("reports", "kpis", *KPI_ARGS, "--format", "xlsx", "--lang", "en", "--out", str(out), urls=small.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    message = done.stderr.decode().strip().splitlines()
    assert len(message) == 1 and str(out) in message[0] and "KiB" in message[0]
    result = engine.compute(sources, PERIOD, AS_OF, Scope.ministry())
    check_government_workbook(out.read_bytes(), result, "en")


# --- the emulation report ------------------------------------------------------------------
def test_emulation_xlsx_ranking_equals_the_engine(small, sources):
    rep = emulation_report.report(sources, 2026, "H1", AS_OF, Scope.ministry())
    movement = emulation.movement_for_year(sources.emulation, 2026)
    expected = figures.evaluate_movement(sources, movement, "H1", AS_OF, Scope.ministry())[0]
    # A and B: (50 + 40 × 1) / 100; C: (50 + 40 × 0) / 100; E: nothing applies.
    assert [(r["unit"], r["score"], r["rank"]) for r in expected] == [
        ("A", 90.0, 1), ("B", 90.0, 1), ("C", 50.0, 3), ("E", None, None)]
    assert rep.scores == expected
    wb = load_workbook(io.BytesIO(emulation_report.to_xlsx(rep, "vi", emulation_report.unit_names(sources))))
    ranking = table_rows(sheet_by_name(wb, "reports.sheet_ranking", "vi"))
    assert [(b, u, s, r) for b, _block, r, u, _name, s in ranking] == [
        (x["block"], x["unit"], x["score"], x["rank"]) for x in expected]
    assert ranking[0][1] == "Khối 1" and ranking[0][4] == "Vụ Pháp chế"

    points = sheet_by_name(wb, "reports.sheet_points", "vi")
    assert points.freeze_panes == "D3"
    header, max_row, *body = [tuple(r) for r in points.iter_rows(values_only=True)]
    assert header[3].startswith("1.1") and header[4].startswith("3.1")
    assert max_row[3:] == (60, 40, 100)
    by_unit = {r[1]: r[3:] for r in body}
    assert by_unit["A"] == (50, 40, 90) and by_unit["C"] == (50, 0, 50) and by_unit["E"] == (None, None, None)

    by_title = {r[0]: r[2:] for r in table_rows(sheet_by_name(wb, "reports.sheet_awards_by_title", "vi"))}
    assert by_title == {"emulation_flag": (1, 0, 1), "advanced_worker": (0, 2, 2)}   # July's award is outside H1
    names = [r[2] for r in table_rows(sheet_by_name(wb, "reports.sheet_awards_list", "vi"))]
    assert "Nguyễn Thị Lan" in names and len(names) == 3


def test_emulation_report_of_a_unit_keeps_its_rank_in_the_whole_block(small, sources):
    rep = emulation_report.report(sources, 2026, "FY", D(2026, 12, 31, 23, 0), Scope.of_unit("C"))
    assert [(r["unit"], r["rank"]) for r in rep.scores] == [("C", 3)]
    assert {r["unit"] for r in rep.points} == {"C"}
    assert rep.awards_by_unit == {"C": 1} and rep.awards_by_title == {"certificate_of_merit": 1}
    wb = load_workbook(io.BytesIO(emulation_report.to_xlsx(rep, "en", None)))
    assert [(r[3], r[2]) for r in table_rows(sheet_by_name(wb, "reports.sheet_ranking", "en"))] == [("C", 3)]


def test_emulation_report_without_a_movement_is_a_clear_error(small, sources):
    with pytest.raises(emulation_report.NoMovement, match="2024"):
        emulation_report.report(sources, 2024, "FY", AS_OF, Scope.ministry())


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_emulation_pdf_keeps_vietnamese_text_and_numbers_its_pages(small, sources):
    rep = emulation_report.report(sources, 2026, "H1", AS_OF, Scope.ministry())
    data = emulation_report.to_pdf(rep, "vi", emulation_report.unit_names(sources))
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)   # A4 portrait
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].get_object().values()}
    assert any("DejaVu" in name for name in fonts)
    pages = pdf_text(data)
    text = "\n".join(pages)
    for expected in ("BÁO CÁO KẾT QUẢ THI ĐUA 6 THÁNG ĐẦU NĂM 2026", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "chia thành 2 khối thi đua", "Khối 1", "Vụ Pháp chế",
                     "Cục Khoáng sản Việt Nam", "Nguyễn Thị Lan", "Cờ thi đua", "01/01/2026", "30/06/2026", "90,00",
                     "Văn phòng Bộ"):
        assert expected in text, expected
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in page


def test_emulation_pdf_in_english(small, sources):
    rep = emulation_report.report(sources, 2026, "FY", D(2026, 12, 31, 23, 0), Scope.ministry())
    pages = pdf_text(emulation_report.to_pdf(rep, "en", emulation_report.unit_names(sources)))
    text = "\n".join(pages)
    assert "REPORT ON EMULATION RESULTS FOR 2026" in text and "Department of Legal Affairs" in text
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_cli_emulation_writes_pdf_and_xlsx(small, tmp_path):
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"thi-dua.{fmt}"
        done = run("reports", "emulation", "--year", "2026", "--period", "H1", "--as-of", "2026-06-20 14:30",
                   "--format", fmt, "--lang", "vi", "--out", str(out), urls=small.url)
        assert done.returncode == 0, done.stderr
        assert len(done.stderr.decode().strip().splitlines()) == 1
        assert out.stat().st_size > 1000
    assert "Khối 1" in "\n".join(pdf_text((tmp_path / "thi-dua.pdf").read_bytes()))


# --- command-line errors -------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (("kpis", "--from", "2026-07-01", "--to", "2026-06-30"), "after"),
    (("kpis", "--from", "2026-02-30", "--to", "2026-06-30"), "malformed date"),
    (("kpis", "--from", "2026-01-01", "--to", "2026-06-30", "--as-of", "noon"), "malformed --as-of"),
    (("kpis", "--from", "2026-01-01", "--to", "2026-06-30", "--unit", "NOPE"), "unknown unit 'NOPE'"),
    (("kpis", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "xlsx"), "needs --out"),
    (("kpis", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "xlsx", "--out", "r.pdf"), "must end in .xlsx"),
    (("kpis", "--from", "2026-01-01", "--to", "2026-06-30", "--lang", "fr"), "invalid choice"),
    (("emulation", "--year", "2024", "--period", "FY", "--format", "pdf", "--out", "r.pdf"), "no emulation movement"),
    (("emulation", "--year", "20x6", "--period", "FY", "--format", "pdf", "--out", "r.pdf"), "malformed year '20x6'"),
    (("emulation", "--year", "9999", "--period", "FY", "--format", "pdf", "--out", "r.pdf"),
     "year '9999' is outside the supported dates 1900-01-01 … 2999-12-31"),
    (("deck", "--from", "0001-01-01", "--to", "2026-06-30", "--out", "d.pdf"), "outside the supported dates"),
    (("emulation", "--year", "2026", "--period", "Q3", "--format", "pdf", "--out", "r.pdf"), "invalid choice"),
    (("emulation", "--year", "2026", "--period", "H1", "--format", "pdf", "--out", "r.xlsx"), "must end in .pdf"),
    (("emulation", "--year", "2026", "--period", "H1", "--unit", "ZZ", "--format", "xlsx", "--out", "r.xlsx"),
     "unknown unit"),
    (("deck", "--from", "2026-01-01", "--to", "2026-06-30", "--slides", "overview,nope", "--out", "d.pptx"),
     "nope"),
    (("deck", "--from", "2026-01-01", "--to", "2026-06-30", "--out", "d.docx"), "must end in .pptx or .pdf"),
    (("deck", "--from", "2026-06-01", "--to", "2026-01-30", "--out", "d.pdf"), "after"),
])
def test_bad_arguments_exit_2_with_one_line(small_sqlite, tmp_path, args, message):
    args = tuple(str(tmp_path / a) if a.startswith(("r.", "d.")) else a for a in args)
    done = run("reports", *args, urls=small_sqlite.url)
    assert done.returncode == 2, done.stderr
    assert done.stdout == b""
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines
    assert not any(p.name.startswith(("r.", "d.")) for p in tmp_path.iterdir())


def test_unreachable_database_exits_3_and_names_it(tmp_path):
    missing = f"sqlite:///{tmp_path / 'missing.sqlite'}"
    urls = {"procedures": missing, "tasks": missing, "emulation": missing}
    done = run("reports", "kpis", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "csv", urls=urls)
    assert done.returncode == 3 and "procedures database" in done.stderr.decode()
    done = run("reports", "emulation", "--year", "2026", "--period", "H1", "--format", "pdf",
               "--out", str(tmp_path / "r.pdf"), urls=urls)
    assert done.returncode == 3 and "database" in done.stderr.decode()
    assert len(done.stderr.decode().strip().splitlines()) == 1


# --- data files ----------------------------------------------------------------------------
def test_every_kpi_has_a_definition_in_both_languages():
    for kpi in catalogue.get():
        vi, en = government.definition(kpi.id, "vi"), government.definition(kpi.id, "en")
        assert vi.strip() and en.strip() and vi != en, kpi.id


def test_report_strings_exist_in_both_languages():
    tables = {}
    for lang in ("vi", "en"):
        with open(PROJECT_ROOT / "l10n" / "locales" / f"{lang}.toml", "rb") as fh:
            tables[lang] = tomllib.load(fh)["reports"]
    assert set(tables["vi"]) == set(tables["en"])
    assert all(value.strip() for table in tables.values() for value in table.values())


def test_reports_never_import_streamlit():
    code = ("import sys, reports.government, reports.emulation_report, reports.cli; "
            "sys.exit(1 if 'streamlit' in sys.modules else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
