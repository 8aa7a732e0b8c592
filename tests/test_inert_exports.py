"""Every tabular file the product writes holds source and user text as inert data: on a
source full of values that spreadsheets read as formulas, no CSV cell begins like one
and no XLSX cell is a formula — in every download of every page and every file the
command lines write."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys

import openpyxl
import pytest
from streamlit.delta_generator import DeltaGenerator

from auth.audit import AuditLog
from data_access.settings import PROJECT_ROOT
from exports.cells import FORMULA_STARTS, inert
from exports.csv import frame_to_csv, rows_to_csv
from exports.xlsx import frame_to_xlsx
from tests.builders import Rows
from tests.conftest import APP_AS_OF, app_test

D = dt.datetime
LINK = '=HYPERLINK("http://evil.example/x","click")'
HOSTILE = [LINK, "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1", "\tTAB", "\rCR", "＝1+1"]
PAGES = ["screens/overview.py", "screens/procedures.py", "screens/tasks.py", "screens/emulation.py",
         "screens/presentation.py", "screens/reports.py", "screens/data_status.py"]


def test_text_that_starts_a_formula_gets_an_apostrophe_and_numbers_stay_numbers():
    assert [inert(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [inert(v) for v in (-1, -0.5, 0, 3.25, None, True, "Cục Khoáng sản", "a=b", " =x")] == \
        [-1, -0.5, 0, 3.25, None, True, "Cục Khoáng sản", "a=b", " =x"]


def test_a_frame_and_rows_written_as_csv_are_inert():
    import pandas as pd

    frame = pd.DataFrame({"title": HOSTILE, "n": range(-3, len(HOSTILE) - 3)})
    cells = list(csv.reader(io.StringIO(frame_to_csv(frame).decode("utf-8-sig"))))
    assert [row[0] for row in cells[1:]] == ["'" + v for v in HOSTILE]
    assert [row[1] for row in cells[1:]] == [str(n) for n in range(-3, len(HOSTILE) - 3)]
    text = rows_to_csv(["=h"], [[v] for v in HOSTILE] + [[-2], [None]])
    assert list(csv.reader(io.StringIO(text))) == [["'=h"], *(["'" + v] for v in HOSTILE), ["-2"], [""]]


def test_an_xlsx_holds_text_as_text_and_numbers_exactly():
    import pandas as pd

    values = [0.1 + 0.2, 2 / 3, -1.5, 1e-17]
    frame = pd.DataFrame({"title": HOSTILE[:4], "value": values})
    ws = openpyxl.load_workbook(io.BytesIO(frame_to_xlsx(frame, "t"))).active
    titles = [ws.cell(row=r, column=1) for r in range(2, 6)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in titles] == [(v, "s", True) for v in HOSTILE[:4]]
    assert [ws.cell(row=r, column=2).value for r in range(2, 6)] == values     # to the last bit


# --- every file of a hostile source --------------------------------------------------------
@pytest.fixture
def hostile(app_db, tmp_path):
    """The pages' fixture database with formula-like text in every text column a file
    shows, and a username of that kind in the audit log."""
    rows = Rows(app_db)
    rows.unit("C", LINK, name_en=HOSTILE[1])
    rows.procedure("P3", unit_code="C", name_vi=HOSTILE[2], name_en=HOSTILE[3])
    rows.dossier(D(2026, 6, 1, 9), due_at=D(2026, 6, 5, 9), unit_code="C", procedure_code="P3", id=HOSTILE[3])
    rows.task(D(2026, 3, 1, 9), dt.date(2026, 4, 1), None, id=901, lead_unit_code="C", ref=HOSTILE[4],
              title_vi=LINK, title_en=HOSTILE[2], assigned_by=HOSTILE[3])
    rows.task(D(2026, 6, 1, 9), dt.date(2026, 6, 24), None, id=902, lead_unit_code="C", title_vi=HOSTILE[5], title_en=LINK)
    rows.award(dt.date(2026, 2, 1), HOSTILE[6], id=903, unit_code="C", recipient_kind="individual",
               recipient_name=LINK, decision_no=HOSTILE[2], movement_id=1)
    rows.raw("UPDATE movements SET name_vi = :a, name_en = :b", a=HOSTILE[2], b=LINK)
    rows.raw("UPDATE blocks SET name_vi = :a, name_en = :b", a=LINK, b=HOSTILE[1])
    rows.raw("UPDATE criteria SET name_vi = :a, name_en = :b", a=HOSTILE[3], b=LINK)
    rows.raw("INSERT INTO block_members (block_id, unit_code) VALUES (1, 'C')")
    rows.close()
    AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}").record("login_failed", LINK, HOSTILE[1])
    return app_db


@pytest.fixture
def offered(monkeypatch):
    """Every file a page offers for download: {file name: bytes}."""
    files: dict[str, bytes] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        files[file_name] = data() if callable(data) else data
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    return files


def formula_like_cells(name: str, content: bytes) -> list[str]:
    """The cells of a tabular file that a spreadsheet would run."""
    if name.endswith(".csv"):
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]
    if name.endswith(".xlsx"):
        found = []
        for ws in openpyxl.load_workbook(io.BytesIO(content)).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)
                                              and not c.quotePrefix):
                        found.append(f"{ws.title}!{c.coordinate}={c.value!r}")
        return found
    return []


def test_every_download_of_every_page_is_inert(hostile, offered):
    at = app_test("root")
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
    tabular = {n: c for n, c in offered.items() if n.endswith((".csv", ".xlsx"))}
    # The lists of the Procedures, Tasks, Emulation and Data status pages, and both reports.
    assert len(tabular) >= 12, sorted(offered)
    hostile_seen = 0
    for name, content in tabular.items():
        assert formula_like_cells(name, content) == [], name
        raw = content if name.endswith(".xlsx") else content.decode("utf-8-sig")
        if name.endswith(".csv") and ("'" + LINK in raw or "'" + HOSTILE[2] in raw):
            hostile_seen += 1
    assert hostile_seen >= 3          # the hostile rows are in the files, made inert


def test_the_workbooks_hold_the_hostile_text_as_text(hostile, offered):
    at = app_test("root")
    at.run()
    at.switch_page("screens/reports.py").run()
    at.switch_page("screens/tasks.py").run()
    texts = []
    for name, content in offered.items():
        if name.endswith(".xlsx"):
            for ws in openpyxl.load_workbook(io.BytesIO(content)).worksheets:
                texts += [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert LINK in texts                     # shown as the text it is, never run


def run_cli(*args, out=None) -> bytes:
    done = subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    return out.read_bytes() if out is not None else done.stdout


def test_every_file_the_command_lines_write_is_inert(hostile, tmp_path):
    frame = ["--from", "2026-01-01", "--to", "2026-12-31", "--as-of", APP_AS_OF]
    files = {
        "kpis.csv": run_cli("data_access", "kpis", *frame, "--format", "csv"),
        "report.csv": run_cli("reports", "kpis", *frame, "--format", "csv"),
        "report.xlsx": run_cli("reports", "kpis", *frame, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"),
                               out=tmp_path / "r.xlsx"),
        "emulation.xlsx": run_cli("reports", "emulation", "--year", "2026", "--period", "H1", "--as-of", APP_AS_OF,
                                  "--format", "xlsx", "--out", str(tmp_path / "e.xlsx"), out=tmp_path / "e.xlsx"),
    }
    for name, content in files.items():
        assert formula_like_cells(name, content) == [], name
    assert "'" + HOSTILE[6] in files["kpis.csv"].decode()         # the award title, inert
    contract = json.loads(run_cli("data_access", "kpis", *frame))
    assert HOSTILE[6] in contract["awards_by_title"]              # JSON is data: as it is
