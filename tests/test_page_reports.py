"""The Reports page (AppTest): the Government KPI report of the period with the engine's
figures, in the user's scope; downloads offered and audited."""

from __future__ import annotations

from auth.audit import AuditLog
from tests.conftest import app_test
from tests.test_downloads import offered  # noqa: F401 - the fixture: the files offered, fetched as on a click


def open_reports(username: str = "lead", **params):
    at = app_test(username)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page("screens/reports.py").run()
    return at


def report_rows(at) -> dict[str, str]:
    frame = at.dataframe[0].value
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 2]))


def test_the_kpi_report_shows_the_engines_figures_and_offers_every_format(app_db):
    at = open_reports()
    assert not at.exception
    rows = report_rows(at)
    assert rows["procedures.received"] == "25" and rows["tasks.assigned"] == "3"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải JSON", "Tải CSV", "Tải Excel", "Tải Excel", "Tải PDF"]


def test_a_unit_head_gets_their_units_report_whatever_the_link_says(app_db, tmp_path, offered):  # noqa: F811
    at = open_reports("headb", unit="A")
    assert report_rows(at)["procedures.received"] == "5"
    offered.fetch("bao-cao-chi-tieu-2026-01-01-2026-12-31-B.xlsx")          # the Excel button's file
    log = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    exports = [r["detail"] for r in log.recent() if r["event"] == "export"]
    assert len(exports) == 1 and exports[0].startswith("bao-cao-chi-tieu-2026-01-01-2026-12-31-B.xlsx"), exports


def test_a_download_is_audited(app_db, tmp_path, offered):  # noqa: F811
    open_reports()
    offered.fetch("bao-cao-chi-tieu-2026-01-01-2026-12-31.json")         # the first button's file
    log = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    exports = [r["detail"] for r in log.recent() if r["event"] == "export" and r["username"] == "lead"]
    assert len(exports) == 1 and exports[0].startswith("bao-cao-chi-tieu-2026-01-01-2026-12-31.json")
