"""Downloads (AppTest): every file the app offers is built only when its button is
clicked, the click does not rerun the page, and each download is written to the audit
log exactly once; a file that cannot be built is explained on the page, not served.

A browser clicking a button asks the server for the button's deferred file: here
`fetch` calls the same function, after the run that drew the button is over (as the
server does, on a thread of its own, with no script run)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from streamlit.delta_generator import DeltaGenerator

from auth.audit import AuditLog
from data_access.db import SourceUnavailable
from tests.conftest import app_test
from l10n.i18n import t
from ui import tables

PAGES = ["screens/overview.py", "screens/procedures.py", "screens/tasks.py", "screens/emulation.py",
         "screens/presentation.py", "screens/reports.py", "screens/data_status.py"]


class Offered(dict):
    """{file name: the function the server runs when its button is clicked}, of every
    download button drawn."""

    def fetch(self, name: str) -> bytes:
        return self[name]()


_RECORDING: list[Offered] = []      # the test's record, which `on` empties after the home page


@pytest.fixture
def offered(monkeypatch):
    files = Offered()
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        files[file_name] = data
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    _RECORDING[:] = [files]
    yield files
    _RECORDING.clear()


def exports(tmp_path) -> list[dict]:
    log = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    return [r for r in log.recent() if r["event"] == "export"]


def on(page: str, username: str = "lead"):
    at = app_test(username)
    at.run()
    for files in _RECORDING:      # the home page's own downloads (the Overview's league table)
        files.clear()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_every_download_of_every_page_is_deferred_and_does_not_rerun(app_db, offered, monkeypatch):
    built = []
    for name in ("to_csv", "to_xlsx"):
        original = getattr(tables, name)
        monkeypatch.setattr(tables, name, lambda *a, _f=original, _n=name: built.append(_n) or _f(*a))
    at = app_test("root")
    at.run()
    buttons = []
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        buttons += at.get("download_button")
    assert len(buttons) >= 12 and all(callable(f) for f in offered.values())
    for button in buttons:
        assert button.proto.deferred_file_id and not button.proto.url, button.proto.label
        assert button.proto.ignore_rerun, button.proto.label         # on_click="ignore"
    assert built == []                   # no table file is made until someone asks for it


def test_each_download_is_audited_exactly_once_with_its_user_and_rows(app_db, offered, tmp_path):
    on("screens/reports.py")
    names = sorted(offered)
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["csv", "json", "pdf", "pdf", "xlsx", "xlsx"], names
    assert exports(tmp_path) == []                      # drawing the buttons audits nothing
    files = {name: offered.fetch(name) for name in names}
    report = json.loads(files[next(n for n in names if n.endswith(".json"))])
    assert report["kpis"]["procedures.received"] == 25
    for name in names:
        if name.endswith(".xlsx"):
            assert openpyxl.load_workbook(io.BytesIO(files[name])).worksheets
    assert all(files[n].startswith(b"%PDF") for n in names if n.endswith(".pdf"))
    rows = exports(tmp_path)
    assert sorted(r["detail"].rsplit(" (", 1)[0] for r in rows) == names          # one row per download
    assert {r["username"] for r in rows} == {"lead"}
    json_name = next(n for n in names if n.endswith(".json"))
    assert next(r["detail"] for r in rows if r["detail"].startswith(json_name)) == \
        f"{json_name} ({len(report['kpis'])} rows)"
    offered.fetch(json_name)                             # downloaded again: audited again, once
    assert len(exports(tmp_path)) == len(names) + 1


def test_a_table_download_is_audited_once_with_the_rows_shown(app_db, offered, tmp_path):
    at = on("screens/procedures.py")
    assert at.get("download_button")[0].proto.label == "Tải CSV"
    csv_name = next(n for n in offered if n.endswith(".csv"))
    content = offered.fetch(csv_name)
    at.run()                                             # a later run of the page writes nothing
    rows = exports(tmp_path)
    assert len(rows) == 1 and rows[0]["username"] == "lead"
    assert rows[0]["detail"] == f"{csv_name} (2 rows)"
    assert len(content.decode("utf-8-sig").strip().splitlines()) == 3         # header and the 2 rows


def test_a_unit_heads_download_is_audited_under_their_name(app_db, offered, tmp_path):
    at = app_test("headb")
    at.query_params["unit"] = "A"
    at.run()
    at.switch_page("screens/reports.py").run()
    name = next(n for n in offered if n.startswith("bao-cao-chi-tieu") and n.endswith(".xlsx"))
    assert name == "bao-cao-chi-tieu_2026-01-01_2026-12-31_B.xlsx"
    offered.fetch(name)
    assert [(r["username"], r["detail"].split(" (")[0]) for r in exports(tmp_path)] == [("headb", name)]


def test_a_file_that_cannot_be_built_is_not_served_nor_audited_and_the_page_says_why(app_db, offered, tmp_path,
                                                                                     monkeypatch):
    from reports import emulation_report

    def down(*args, **kwargs):
        raise SourceUnavailable("emulation", "connection refused")

    at = on("screens/reports.py")
    monkeypatch.setattr(emulation_report, "report", down)
    name = next(n for n in offered if n.startswith("bao-cao-thi-dua") and n.endswith(".pdf"))
    with pytest.raises(tables.DownloadFailed):           # Streamlit serves no file
        offered.fetch(name)
    assert exports(tmp_path) == []
    at.run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert len(said) == 1 and name in said[0].replace("\\", "") and "thi đua, khen thưởng" in said[0], said
    at.run()
    assert [e.value for e in at.error] == []              # said once
    monkeypatch.undo()


def test_a_click_after_the_session_has_ended_gets_no_file(app_db, offered, tmp_path):
    import auth
    from auth.audit import shared
    from auth.sessions import SessionStore

    at = on("screens/procedures.py")
    csv_name = next(n for n in offered if n.endswith(".csv"))
    SessionStore(shared(str(auth.config("app_db_url")))).end(at.session_state["_session"], auth.clock(),
                                                             "ended_by_admin")
    with pytest.raises(tables.DownloadFailed):
        offered.fetch(csv_name)
    assert exports(tmp_path) == []


# --- table downloads: numbers, title block, file names -------------------------------------
def table_file(offered, stem: str, kind: str) -> tuple[str, bytes]:
    name = next(n for n in offered if n.startswith(stem) and n.endswith(f".{kind}"))
    return name, offered.fetch(name)


def test_a_table_workbook_holds_numbers_under_a_title_with_period_unit_and_moment(app_db, offered):
    on("screens/procedures.py")
    name, data = table_file(offered, "thu-tuc-hanh-chinh", "xlsx")
    assert name == "thu-tuc-hanh-chinh_2026-01-01_2026-12-31.xlsx"          # the view's period, this year
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "Kết quả giải quyết theo từng thủ tục hành chính" and ws["A1"].font.bold
    assert ws["A2"].value == "Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 31/12/2026"
    assert ws["A3"].value == "Phạm vi: Toàn Bộ"
    assert ws["A4"].value.startswith("Số liệu tính đến ") and "2026" in ws["A4"].value
    header = [c.value for c in ws[6]]
    assert ws.freeze_panes == "A7" and header[0] == "Thủ tục"
    rows = {r[0].value: {h: c for h, c in zip(header, r)} for r in ws.iter_rows(min_row=7)}
    permit = rows["Cấp giấy phép môi trường"]
    # 20 dossiers received in March, 16 finished, 6 of those within their 4 days: numbers, not text
    received, on_time = permit["Tiếp nhận"], permit["Đúng hạn"]
    assert (received.value, received.data_type, received.number_format) == (20, "n", "#,##0")
    assert on_time.data_type == "n" and on_time.number_format == "0.0%" and 0 < on_time.value < 1
    assert permit["Đơn vị"].value == "Vụ Pháp chế" and permit["Đơn vị"].data_type == "s"
    csv_name, csv_data = table_file(offered, "thu-tuc-hanh-chinh", "csv")
    assert csv_name == "thu-tuc-hanh-chinh_2026-01-01_2026-12-31.csv"
    lines = csv_data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Thủ tục,")                       # the bare table: names, then rows
    permit_line = next(line for line in lines if line.startswith("Cấp giấy phép môi trường"))
    assert ",20," in permit_line and f",{on_time.value}," in permit_line + ","


def test_every_table_workbook_of_every_page_has_a_title_and_numeric_number_cells(app_db, offered):
    at = app_test("root")
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
    workbooks = {n: offered.fetch(n) for n in offered if n.endswith(".xlsx") and not n.startswith("bao-cao-")}
    assert len(workbooks) >= 5, sorted(offered)
    for name, data in workbooks.items():
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        assert ws["A1"].font.bold and ws["A1"].value and not ws["A1"].value.islower(), name
        texts = [c.value for row in ws.iter_rows(min_row=int(ws.freeze_panes[1:])) for c in row
                 if isinstance(c.value, str)]
        # a number written as text ("4.256", "80,4%") would be a string of digits and separators
        assert not [x for x in texts if tables._parse(x, "vi") is not None and not x.startswith("0")], name


def test_an_english_rate_shown_as_a_bar_is_downloaded_as_its_fraction(app_db, offered):
    at = app_test("lead")
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("screens/procedures.py").run()
    assert not at.exception
    name, data = table_file(offered, t("procedures.file_procedures", "en"), "xlsx")
    assert name.endswith("_2026-01-01_2026-12-31.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[int(ws.freeze_panes[1:]) - 1]]
    column = header.index(t("procedures.col_on_time", "en"))
    rates = [r[column] for r in ws.iter_rows(min_row=int(ws.freeze_panes[1:])) if r[column].value is not None]
    assert rates and all(c.data_type == "n" and "%" in c.number_format and 0 <= c.value <= 1 for c in rates)
    assert ws["A2"].value == "Period: 01 Jan 2026 to 31 Dec 2026"
