"""Real browser: downloads clicked one right after another all arrive, whole.

Each file is built when its button is clicked; a click must never leave the other
buttons of the page pointing at files the server has already forgotten (a rerun that
registers every file anew would: "Deferred file … not found")."""

from __future__ import annotations

import csv
import io
import json
import time

import openpyxl
import pytest

from auth.audit import AuditLog
from l10n.i18n import t

from .conftest import SERVER_DIRS, close, open_page, settle

pytestmark = pytest.mark.browser

ARRIVE = 60            # seconds for every file clicked to arrive


def click_fast(page, buttons) -> dict[str, bytes]:
    """Click every button as fast as the browser takes clicks; return {file name: content}
    of every download that arrives, once as many as buttons have (or the time is up)."""
    arrived = []
    page.on("download", lambda download: arrived.append(download))
    for button in buttons:
        button.click(no_wait_after=True)
    deadline = time.monotonic() + ARRIVE
    while len(arrived) < len(buttons) and time.monotonic() < deadline:
        page.wait_for_timeout(100)      # lets Playwright deliver its events
    errors = page.locator('[data-testid="stDownloadButtonError"]').all_inner_texts()
    assert len(arrived) == len(buttons), (f"{len(arrived)} of {len(buttons)} downloads arrived "
                                          f"({[d.suggested_filename for d in arrived]}); errors shown: {errors}")
    files = {}
    for download in arrived:
        assert download.failure() is None, download.failure()
        with open(download.path(), "rb") as handle:
            files[download.suggested_filename] = handle.read()
    return files


def exported(names) -> dict[str, int]:
    """How many 'export' rows of lanhdao the main server's audit log holds per file name."""
    log = AuditLog(f"sqlite:///{SERVER_DIRS['main'] / 'app.sqlite'}")
    rows = [r for r in log.recent(10000) if r["event"] == "export" and r["username"] == "lanhdao"]
    return {name: sum(r["detail"].startswith(f"{name} (") for r in rows) for name in names}


def button(page, label: str):
    return page.locator('[data-testid="stDownloadButton"] button').filter(has_text=label)


def test_the_reports_files_clicked_at_once_all_arrive(server, browser):
    page = open_page(browser, f"{server}/reports?lang=en&period=year")
    buttons = [button(page, t(f"reports_page.download_{kind}", "en")).first for kind in ("json", "csv", "xlsx")]
    buttons.append(button(page, t("reports_page.download_xlsx", "en")).nth(1))        # the emulation report's
    files = click_fast(page, buttons)
    assert exported(files) == {name: 1 for name in files}       # each download audited once
    by_kind = {}
    for name, content in files.items():
        by_kind.setdefault(name.rsplit(".", 1)[1], []).append((name, content))
    assert sorted(by_kind) == ["csv", "json", "xlsx"] and len(by_kind["xlsx"]) == 2, sorted(files)
    (_, raw), = by_kind["json"]
    report = json.loads(raw)
    assert "procedures.received" in report["kpis"] and "tasks.assigned" in report["kpis"]
    (_, raw), = by_kind["csv"]
    cells = {cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for cell in row}
    assert "procedures.received" in cells
    for name, content in by_kind["xlsx"]:
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        assert workbook.worksheets and workbook.worksheets[0].max_row > 1, name
    # a second round on the page as it is now: every button still serves its file
    again = click_fast(page, buttons[:2])
    assert json.loads(again[by_kind["json"][0][0]]) == report
    assert exported(files) == {name: 2 if name in again else 1 for name in files}
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    close(page)


def test_two_table_downloads_clicked_at_once_both_arrive(server, browser):
    page = open_page(browser, f"{server}/procedures?lang=en&period=year",
                     wait_for='[data-testid="stDownloadButton"]')
    csv_button = button(page, t("download_csv", "en")).first
    xlsx_button = button(page, t("download_xlsx", "en")).first
    files = click_fast(page, [csv_button, xlsx_button])
    assert exported(files) == {name: 1 for name in files}
    names = sorted(files)
    assert len(names) == 2 and names[0].endswith(".csv") and names[1].endswith(".xlsx"), names
    rows = list(csv.reader(io.StringIO(files[names[0]].decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(files[names[1]])).active
    header = int(sheet.freeze_panes[1:]) - 1                    # under the workbook's title block
    assert sheet["A1"].value and len(rows) > 1 and sheet.max_row - header + 1 == len(rows)   # the same rows in both
    assert [c.value for c in sheet[header]] == rows[0]
    close(page)
