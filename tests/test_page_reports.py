"""The Reports page (AppTest): the Government KPI report of the period with the engine's
figures, named as the catalogue names them, in the user's scope; the documents' fields
prefilled from the settings and carried into the files; downloads offered and audited."""

from __future__ import annotations

import io

import openpyxl
from pypdf import PdfReader

from auth.audit import AuditLog
from data_access import catalogue
from tests.conftest import app_test
from tests.test_downloads import offered  # noqa: F401 - the fixture: the files offered, fetched as on a click

GOV = "bao-cao-chi-tieu_2026-01-01_2026-12-31"
EMU = "bao-cao-thi-dua_2026-01-01_2026-06-30"


def open_reports(username: str = "lead", **params):
    at = app_test(username)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page("screens/reports.py").run()
    return at


def report_rows(at) -> dict[str, str]:
    frame = at.dataframe[0].value
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1]))


def name(kpi_id: str) -> str:
    return catalogue.get()[kpi_id].name("vi")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_kpi_report_shows_the_engines_figures_by_name_and_offers_every_format(app_db):
    at = open_reports()
    assert not at.exception
    rows = report_rows(at)
    assert rows[name("procedures.received")] == "25" and rows[name("tasks.assigned")] == "3"
    frame = at.dataframe[0].value
    assert not any("." in str(v) and str(v).split(".")[0] in ("procedures", "tasks", "emulation")
                   for v in frame.iloc[:, 0])                                    # no raw KPI ids
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải PDF", "Tải Excel", "Tải JSON", "Tải CSV", "Tải PDF", "Tải Excel"]


def test_no_developer_text_on_the_page(app_db):
    at = open_reports()
    shown = " ".join([*(c.value for c in at.caption), *(m.value for m in at.markdown)])
    assert "python -m" not in shown and "README" not in shown


def test_a_unit_head_gets_their_units_report_whatever_the_link_says(app_db, tmp_path, offered):  # noqa: F811
    at = open_reports("headb", unit="A")
    assert report_rows(at)[name("procedures.received")] == "5"
    offered.fetch(f"{GOV}_B.xlsx")          # the Excel button's file
    log = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    exports = [r["detail"] for r in log.recent() if r["event"] == "export"]
    assert len(exports) == 1 and exports[0].startswith(f"{GOV}_B.xlsx"), exports


def test_a_download_is_audited(app_db, tmp_path, offered):  # noqa: F811
    open_reports()
    offered.fetch(f"{GOV}.json")
    log = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    exports = [r["detail"] for r in log.recent() if r["event"] == "export" and r["username"] == "lead"]
    assert len(exports) == 1 and exports[0].startswith(f"{GOV}.json")


def test_without_a_number_or_signer_the_documents_leave_them_blank(app_db, offered):  # noqa: F811
    at = open_reports()
    assert at.text_input(key="w_government_number").value == ""
    assert at.text_input(key="w_government_addressee").value == "Văn phòng Chính phủ"
    for stem in (GOV, EMU):
        text = pdf_text(offered.fetch(f"{stem}.pdf"))
        for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "VĂN PHÒNG BỘ",
                     "Số: ……/BC-VP", "BÁO CÁO", "Kính gửi:", "Nơi nhận:", "- Lưu: VT, VP.", "……………………………"):
            assert part in text, (stem, part)
        assert "Hà Nội, ngày 20 tháng 6 năm 2026" in text                      # the day of the figures


def test_the_fields_prefill_from_the_settings_and_reach_every_document(app_db, offered, monkeypatch):  # noqa: F811
    monkeypatch.setenv("IOC_GOVERNMENT_REPORT_NUMBER", "57")
    monkeypatch.setenv("IOC_DOCUMENT_SIGNER_TITLE", "KT. BỘ TRƯỞNG/THỨ TRƯỞNG")
    monkeypatch.setenv("IOC_DOCUMENT_SIGNER_NAME", "Trần Quý Kiên")
    monkeypatch.setenv("IOC_EMULATION_REPORT_RECIPIENTS", "Như trên; Vụ Thi đua - Khen thưởng; Lưu: VT, TĐKT")
    at = open_reports()
    assert at.text_input(key="w_government_number").value == "57"
    assert at.text_input(key="w_emulation_signer_name").value == "Trần Quý Kiên"
    gov = pdf_text(offered.fetch(f"{GOV}.pdf"))
    assert "Số: 57/BC-VP" in gov and "KT. BỘ TRƯỞNG" in gov and "THỨ TRƯỞNG" in gov and "Trần Quý Kiên" in gov
    emu = pdf_text(offered.fetch(f"{EMU}.pdf"))
    assert "Số: ……/BC-VP" in emu and "Trần Quý Kiên" in emu and "Kính gửi: Bộ trưởng." in emu
    assert "- Vụ Thi đua - Khen thưởng;" in emu and "- Lưu: VT, TĐKT." in emu

    # what the clerk types in a field is what the document says
    at.text_input(key="w_government_number").input("102").run()
    at.text_input(key="w_government_addressee").input("Văn phòng Chính phủ (Trung tâm Thông tin)").run()
    gov = pdf_text(offered.fetch(f"{GOV}.pdf"))
    assert "Số: 102/BC-VP" in gov and "Kính gửi: Văn phòng Chính phủ (Trung tâm Thông tin)." in gov
    wb = openpyxl.load_workbook(io.BytesIO(offered.fetch(f"{GOV}.xlsx")))
    about = [c.value for row in wb.worksheets[0].iter_rows() for c in row if c.value]
    assert "Số: 102/BC-VP" in about and "Trần Quý Kiên" in about and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in about


def test_the_documents_from_the_page_name_units_as_the_command_line_does(app_db, offered):  # noqa: F811
    open_reports()
    emu = openpyxl.load_workbook(io.BytesIO(offered.fetch(f"{EMU}.xlsx")))
    ranking = [r for r in emu.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert {r[2] for r in ranking} == {"Vụ Pháp chế", "Cục Khoáng sản Việt Nam"}
    assert not any(value in ("A", "B") for row in ranking for value in row)          # no unit codes
    text = pdf_text(offered.fetch(f"{EMU}.pdf")) + pdf_text(offered.fetch(f"{GOV}.pdf"))
    assert "Vụ Pháp chế" in text and "Cục Khoáng sản Việt Nam" in text
