"""Real browser: last year's trend of the Department of Geology and Minerals crosses the
reorganisation of 1 March 2025, in both structures and both languages — marked with its
legal basis; in the current structure the department answers for the two departments it
took over, in the historical one its series starts on the day it was founded."""

from __future__ import annotations

import pytest

from data_access import catalogue
from l10n.i18n import t

from .conftest import SCREENSHOTS, close, layout_stable, open_page

pytestmark = pytest.mark.browser


def _received(page, lang: str) -> int:
    label = catalogue.get()["procedures.received"].name(lang)
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    value = card.locator('[data-testid="stMetricValue"]').inner_text()
    return int(value.replace(".", "").replace(",", ""))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_last_years_trend_crosses_the_reorganisation_in_both_structures(server, browser, lang):
    received = {}
    for structure in ("current", "historical"):
        page = open_page(browser, f"{server}/procedures?lang={lang}&period=last_year&unit=DCKS&structure={structure}",
                         wait_for='[data-testid="stMetricValue"]')
        text = page.inner_text("body")
        assert t(f"structure_{structure}", lang) in text
        assert t("ministry", lang) not in text                     # the data's own ministry
        received[structure] = _received(page, lang)
        heading = page.get_by_text(t("procedures.trend_heading", lang)).first
        heading.scroll_into_view_if_needed()
        chart = page.locator('[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"]').first
        chart.wait_for(timeout=60_000)
        layout_stable(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"trend_across_reorganisation_{structure}_{lang}.png"))
        close(page)
    # The two predecessors' January and February 2025 dossiers are the department's own in
    # the current structure only.
    assert received["current"] > received["historical"] > 0
