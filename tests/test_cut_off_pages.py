"""A period that ended before T is shown as at its cut-off on the pages: the cards read
the engine's figures for it, and the page says the figures are closed at the period's end."""

from __future__ import annotations

import datetime as dt

from data_access import catalogue, report
from data_access.db import Sources
from data_access.model import Period, Scope
from l10n import fmt
from tests.conftest import app_test

AS_OF = dt.datetime(2026, 6, 20, 14, 30)


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_a_past_period_shows_its_backlog_at_its_end_and_says_so(app_db):
    at = app_test()
    at.query_params.update({"period": "custom", "from": "2026-03-01", "to": "2026-03-31"})
    at.run()
    assert not at.exception
    assert "Số liệu chốt đến hết ngày 31/03/2026 (kỳ đã kết thúc)" in _captions(at)
    expected = report.compute(Sources.single(app_db), Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
                              AS_OF, Scope.ministry())["kpis"]
    today = report.compute(Sources.single(app_db), Period.year(2026), AS_OF, Scope.ministry())["kpis"]
    cat = catalogue.get()
    shown = {m.label: m.value for m in at.metric}
    pending = cat["procedures.pending"].name_vi
    assert shown[pending] == fmt.kpi_value(expected["procedures.pending"], "count", "vi")
    # The fixture's March backlog is not today's: the card is the period's, not T's.
    assert expected["procedures.pending"] != today["procedures.pending"]


def test_a_running_period_has_no_cut_off_line(app_db):
    at = app_test()
    at.run()
    assert "chốt đến" not in _captions(at)
    assert "Số liệu lúc" in _captions(at)
