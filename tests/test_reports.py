"""The Government KPI report (JSON/CSV/XLSX), the emulation report for the Minister
(XLSX/PDF) and `python -m reports`, against the KPI engine on SQLite, PostgreSQL and
MariaDB."""

from __future__ import annotations

import dataclasses
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
from reports import document, emulation_report, government

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
    # The report reads the unit names itself: the Reports page's copy and the command
    # line's name units alike, whatever the caller passes.
    wb = load_workbook(io.BytesIO(emulation_report.to_xlsx(rep, "vi")))
    ranking = table_rows(sheet_by_name(wb, "reports.sheet_ranking", "vi"))
    names = {"A": "Vụ Pháp chế", "B": "Cục Khoáng sản Việt Nam", "C": "Cục Quản lý tài nguyên nước",
             "E": "Văn phòng Bộ"}
    assert [(block, rank, unit, score) for block, rank, unit, score, _note in ranking] == [
        ({1: "Khối 1", 2: "Khối 2"}[x["block"]], x["rank"], names[x["unit"]], x["score"]) for x in expected]
    assert not any(v in names for row in ranking for v in row)                   # no unit codes

    points = sheet_by_name(wb, "reports.sheet_points", "vi")
    assert points.freeze_panes == "C3"
    header, max_row, *body = [tuple(r) for r in points.iter_rows(values_only=True)]
    assert header[2].startswith("1.1") and header[3].startswith("3.1")
    assert max_row[2:] == (60, 40, 100)
    by_unit = {r[1]: r[2:] for r in body}
    assert by_unit["Vụ Pháp chế"] == (50, 40, 90) and by_unit["Cục Quản lý tài nguyên nước"] == (50, 0, 50)
    assert by_unit["Văn phòng Bộ"] == (None, None, None)

    by_title = {r[0]: r[1:] for r in table_rows(sheet_by_name(wb, "reports.sheet_awards_by_title", "vi"))}
    assert by_title == {"Cờ thi đua": (1, 0, 1), "Lao động tiên tiến": (0, 2, 2)}   # July's award is outside H1
    names = [r[2] for r in table_rows(sheet_by_name(wb, "reports.sheet_awards_list", "vi"))]
    assert "Nguyễn Thị Lan" in names and len(names) == 3


def test_emulation_report_of_a_unit_keeps_its_rank_in_the_whole_block(small, sources):
    rep = emulation_report.report(sources, 2026, "FY", D(2026, 12, 31, 23, 0), Scope.of_unit("C"))
    assert [(r["unit"], r["rank"]) for r in rep.scores] == [("C", 3)]
    assert {r["unit"] for r in rep.points} == {"C"}
    assert rep.awards_by_unit == {"C": 1} and rep.awards_by_title == {"certificate_of_merit": 1}
    wb = load_workbook(io.BytesIO(emulation_report.to_xlsx(rep, "en", None)))
    assert [(r[2], r[1]) for r in table_rows(sheet_by_name(wb, "reports.sheet_ranking", "en"))] == [
        ("Department of Water Resources Management", 3)]


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
    assert fonts and all("DejaVuSerif" in name for name in fonts), fonts          # the document's one face
    pages = pdf_text(data)
    text = "\n".join(pages)
    for expected in ("BÁO CÁO\nKết quả thi đua 6 tháng đầu năm 2026", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "VĂN PHÒNG BỘ", "Số: ……/BC-VP", "Hà Nội, ngày 20 tháng 6 năm 2026",
                     "Kính gửi: Bộ trưởng.", "chia thành 2 khối thi đua", "Khối 1", "Vụ Pháp chế",
                     "Cục Khoáng sản Việt Nam", "Nguyễn Thị Lan", "Cờ thi đua", "01/01/2026", "30/06/2026", "90,00",
                     "Văn phòng Bộ", "Nơi nhận:\n- Như trên;\n- Các Thứ trưởng;\n- Lưu: VT, VP."):
        assert expected in text, expected
    assert pages[0].startswith("BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nVĂN PHÒNG BỘ")     # (no ministry in the data: the built-in name)
    # Decree 30: no number on the first page, the number at the top of the others
    assert not pages[0].strip().startswith("1")
    for number, page in enumerate(pages[1:], start=2):
        assert page.startswith(f"{number}\n"), page[:20]


def test_emulation_pdf_in_english(small, sources):
    rep = emulation_report.report(sources, 2026, "FY", D(2026, 12, 31, 23, 0), Scope.ministry())
    pages = pdf_text(emulation_report.to_pdf(rep, "en", emulation_report.unit_names(sources)))
    text = "\n".join(pages)
    for expected in ("SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness", "MINISTRY OFFICE",
                     "REPORT\nEmulation results for 2026", "To: the Minister.", "Department of Legal Affairs",
                     "Recipients:"):
        assert expected in text, expected


def test_cli_emulation_writes_pdf_and_xlsx(small, tmp_path):
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"thi-dua.{fmt}"
        done = run("reports", "emulation", "--year", "2026", "--period", "H1", "--as-of", "2026-06-20 14:30",
                   "--format", fmt, "--lang", "vi", "--out", str(out), urls=small.url)
        assert done.returncode == 0, done.stderr
        assert len(done.stderr.decode().strip().splitlines()) == 1
        assert out.stat().st_size > 1000
    assert "Khối 1" in "\n".join(pdf_text((tmp_path / "thi-dua.pdf").read_bytes()))


# --- the administrative document -----------------------------------------------------------
SIGNED = document.Fields(number="57", signer_title="KT. BỘ TRƯỞNG/THỨ TRƯỞNG", signer_name="Trần Quý Kiên",
                         place="Hà Nội")


def test_document_number_date_and_recipients_follow_decree_30():
    blank = document.Fields()
    assert document.number_text(blank, "vi") == "Số: ……/BC-VP"
    assert document.number_text(blank.with_(number="57"), "vi") == "Số: 57/BC-VP"
    assert document.number_text(blank.with_(number="12/BC-VPB"), "vi") == "Số: 12/BC-VPB"   # typed with its symbol
    assert document.place_date_text("Hà Nội", d(2026, 2, 5), "vi") == "Hà Nội, ngày 05 tháng 02 năm 2026"
    assert document.place_date_text("Hà Nội", d(2026, 12, 2), "vi") == "Hà Nội, ngày 02 tháng 12 năm 2026"
    assert document.place_date_text("", d(2026, 12, 2), "vi") == "……, ngày 02 tháng 12 năm 2026"
    assert document.split_recipients("- Như trên;\n- Lưu: VT, VP.\n\n") == ("Như trên", "Lưu: VT, VP")
    doc = document.compose("government", blank, "vi", ministry="Bộ Nông nghiệp và Môi trường", day=d(2026, 12, 2),
                           excerpt=("Kết quả",))
    assert (doc.agency, doc.issuer, doc.addressee) == ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "VĂN PHÒNG BỘ",
                                                       "Kính gửi: Văn phòng Chính phủ.")
    assert doc.recipients == ("- Như trên;", "- Bộ trưởng (để báo cáo);", "- Các Thứ trưởng;", "- Lưu: VT, VP.")
    assert doc.signer_title == () and doc.signer_name == "" and not doc.signed
    signed = document.compose("emulation", SIGNED, "vi", ministry="Bộ X", day=d(2026, 12, 2), excerpt=())
    assert signed.signer_title == ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG") and signed.addressee == "Kính gửi: Bộ trưởng."


def test_document_fields_come_from_the_settings(monkeypatch):
    assert document.from_settings("government") == document.Fields(place="Hà Nội")     # nothing invented
    monkeypatch.setenv("IOC_GOVERNMENT_REPORT_NUMBER", "57")
    monkeypatch.setenv("IOC_DOCUMENT_SIGNER_NAME", "Trần Quý Kiên")
    monkeypatch.setenv("IOC_DOCUMENT_SYMBOL", "BC-VPB")
    monkeypatch.setenv("IOC_GOVERNMENT_REPORT_RECIPIENTS", "Như trên; Lưu: VT")
    fields = document.from_settings("government")
    assert (fields.number, fields.signer_name, fields.symbol, fields.recipients) == (
        "57", "Trần Quý Kiên", "BC-VPB", ("Như trên", "Lưu: VT"))
    assert document.from_settings("emulation").number == ""                   # each report its own number


def test_government_pdf_is_an_administrative_document_with_the_engines_figures(small, sources):
    result = government.report(sources, PERIOD, AS_OF, Scope.ministry())
    context = government.context(sources, result)
    assert context.unit_names["A"] == ("Vụ Pháp chế", "Department of Legal Affairs")
    data = government.to_pdf(result, "vi", context, document.Fields(place="Hà Nội"))
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = "\n".join(pdf_text(data))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "VĂN PHÒNG BỘ",
                     "Số: ……/BC-VP", "Hà Nội, ngày 20 tháng 6 năm 2026", "BÁO CÁO",
                     "Kết quả thực hiện các chỉ tiêu chỉ đạo, điều hành", "kỳ từ ngày 01/01/2026 đến ngày 30/06/2026",
                     "Kính gửi: Văn phòng Chính phủ.", "Nơi nhận:", "- Lưu: VT, VP.", "……………………………",
                     "I. GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "Vụ Pháp chế", "Cục Khoáng sản Việt Nam", "Khối 1",
                     "Cờ thi đua"):
        assert expected in text, expected
    k = result["kpis"]
    on_time = catalogue.get()["procedures.on_time_rate"]
    assert f"{on_time.name('vi')} 66,7% 98,0% Không đạt" in text                   # 2 of 3 on time
    assert f"{catalogue.get()['procedures.received'].name('vi')} {k['procedures.received']}" in text
    assert "\nA\n" not in text and " A " not in text                               # units by name, not code
    signed = "\n".join(pdf_text(government.to_pdf(result, "vi", context, SIGNED)))
    assert "Số: 57/BC-VP" in signed and "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG" in signed and "Trần Quý Kiên" in signed
    assert "……………………………" not in signed


def test_government_pdf_of_a_past_period_says_its_cut_off(small, sources):
    result = government.report(sources, Period(d(2026, 1, 1), d(2026, 3, 31)), AS_OF, Scope.of_unit("B"))
    text = " ".join(" ".join(pdf_text(government.to_pdf(result, "vi", government.context(sources, result)))).split())
    assert "chốt đến 23:59 ngày 31/03/2026" in text and "phạm vi: Cục Khoáng sản Việt Nam" in text
    assert "Số liệu thi đua tính cho toàn Bộ." in text


def test_government_workbook_opens_on_the_documents_title_block(small, sources):
    result = government.report(sources, PERIOD, AS_OF, Scope.ministry())
    context = government.context(sources, result)
    wb = load_workbook(io.BytesIO(government.to_xlsx(result, "vi", context.unit_names, context.ministry, SIGNED)))
    about = wb.worksheets[0]
    assert [about["A1"].value, about["B1"].value, about["B2"].value] == [
        "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert [about["A2"].value, about["A3"].value, about["B3"].value] == [
        "VĂN PHÒNG BỘ", "Số: 57/BC-VP", "Hà Nội, ngày 20 tháng 6 năm 2026"]
    column_a = [c.value for c in about["A"] if c.value]
    column_b = [c.value for c in about["B"] if c.value]
    assert "BÁO CÁO" in column_a and "Kính gửi: Văn phòng Chính phủ." in column_a and "Nơi nhận:" in column_a
    assert column_b[-3:] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Trần Quý Kiên"]
    check_government_workbook(government.to_xlsx(result, "vi", context.unit_names), result, "vi")


def test_provisional_scores_are_marked_with_their_scored_criteria(small, sources):
    rep = emulation_report.report(sources, 2026, "H1", AS_OF, Scope.ministry())
    marked = [{**r, "provisional": r["unit"] == "C", "criteria_scored": 1, "criteria_total": 2} for r in rep.scores]
    rep = dataclasses.replace(rep, scores=marked)
    text = "\n".join(pdf_text(emulation_report.to_pdf(rep, "vi")))
    assert "tạm tính (1/2 tiêu chí)" in text and text.count("tạm tính (1/2 tiêu chí)") == 1
    assert "Điểm “tạm tính”" in text
    wb = load_workbook(io.BytesIO(emulation_report.to_xlsx(rep, "vi")))
    notes = {r[2]: r[4] for r in table_rows(sheet_by_name(wb, "reports.sheet_ranking", "vi"))}
    assert notes["Cục Quản lý tài nguyên nước"] == "tạm tính (1/2 tiêu chí)" and notes["Vụ Pháp chế"] is None
    # without the keys (or not provisional), nothing is marked
    plain_text = "\n".join(pdf_text(emulation_report.to_pdf(dataclasses.replace(rep, scores=[
        {k: v for k, v in r.items() if k not in ("provisional",)} for r in marked]), "vi")))
    assert "tạm tính" not in plain_text


def test_cli_documents_name_units_as_the_app_does_and_take_the_fields(small, sources, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    done = run("reports", "kpis", *KPI_ARGS, "--format", "pdf", "--number", "57", "--signer-name", "Trần Quý Kiên",
               "--signer-title", "CHÁNH VĂN PHÒNG", "--out", str(out), urls=small.url)
    assert done.returncode == 0, done.stderr
    text = "\n".join(pdf_text(out.read_bytes()))
    assert "Số: 57/BC-VP" in text and "CHÁNH VĂN PHÒNG" in text and "Trần Quý Kiên" in text
    assert "Vụ Pháp chế" in text and "Kính gửi: Văn phòng Chính phủ." in text

    xlsx = tmp_path / "thi-dua.xlsx"
    done = run("reports", "emulation", "--year", "2026", "--period", "H1", "--as-of", "2026-06-20 14:30",
               "--format", "xlsx", "--out", str(xlsx), urls=small.url)
    assert done.returncode == 0, done.stderr
    from_cli = table_rows(sheet_by_name(load_workbook(xlsx), "reports.sheet_ranking", "vi"))
    rep = emulation_report.report(sources, 2026, "H1", AS_OF, Scope.ministry())
    from_app = table_rows(sheet_by_name(load_workbook(io.BytesIO(emulation_report.to_xlsx(rep, "vi"))),
                                        "reports.sheet_ranking", "vi"))
    assert from_cli == from_app and {r[2] for r in from_cli} >= {"Vụ Pháp chế", "Cục Khoáng sản Việt Nam"}


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
