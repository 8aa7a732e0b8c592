"""Real browser: a trend's tooltip names the month and the value, the running month is
labelled "đến dd/mm", a card's small trend says the month on hover too, and no chart
shows Streamlit's English action toolbar (Show data, Download as PNG, Copy Vega-Lite
spec, Fullscreen) when the pointer is over it."""

from __future__ import annotations

import re

import pytest

from l10n.i18n import t

from .conftest import FROZEN_AT, SCREENSHOTS, close, layout_stable, open_page

pytestmark = pytest.mark.browser

# The chart after a heading, and the centre of its n-th point (Vega's SVG symbols).
_POINT = """([heading, nth]) => {
  const h = [...document.querySelectorAll('h1,h2,h3,h4,h5')].find(e => e.textContent.includes(heading));
  h.scrollIntoView();
  const top = h.getBoundingClientRect().top;
  const chart = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
    .find(c => c.getBoundingClientRect().top > top - 5);
  const symbols = [...chart.querySelectorAll('.mark-symbol path')];
  const box = symbols[nth].getBoundingClientRect();
  return {x: box.x + box.width / 2, y: box.y + box.height / 2,
          texts: [...chart.querySelectorAll('text')].map(e => e.textContent)};
}"""

_TOOLBAR_SHOWN = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
  .flatMap(c => [...c.parentElement.querySelectorAll('[data-testid=stElementToolbar] button')])
  .filter(b => b.offsetParent !== null).map(b => b.getAttribute('aria-label'))"""

_TOOLTIP = "() => { const e = document.querySelector('#vg-tooltip-element'); return e ? e.innerText : ''; }"


def _hover(page, x: float, y: float) -> str:
    page.mouse.move(x - 1, y)
    page.mouse.move(x, y)
    page.wait_for_function("() => (document.querySelector('#vg-tooltip-element') || {}).innerText", timeout=10_000)
    return page.evaluate(_TOOLTIP)


def test_trend_tooltips_name_the_month_the_running_month_is_labelled_and_charts_have_no_toolbar(server, browser):
    page = open_page(browser, f"{server}/tasks", width=1440, height=900, wait_for='[data-testid="stMetricValue"]')
    heading = t("tasks.trend", "vi")
    page.get_by_text(heading).first.wait_for(timeout=60_000)
    layout_stable(page)
    point = page.evaluate(_POINT, [heading, 2])
    # The current month runs to the frozen day: its place is labelled, not drawn as a month.
    assert f"đến {FROZEN_AT:%d/%m}" in point["texts"]
    tip = _hover(page, point["x"], point["y"])
    assert re.search(r"Tháng\s+\d{2}/\d{4}", tip), tip
    assert re.search(r"\d+,\d%", tip), tip
    assert page.evaluate(_TOOLBAR_SHOWN) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tasks_trend_tooltip.png"))

    # A card's small trend: the month and the value on hover, and no toolbar either.
    card = page.locator('[data-testid="stMetric"]').first
    card.scroll_into_view_if_needed()
    symbol = card.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]").locator(".mark-symbol path").nth(1)
    box = symbol.bounding_box()
    tip = _hover(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert re.search(r"Tháng\s+\d{2}/\d{4}", tip), tip
    assert page.evaluate(_TOOLBAR_SHOWN) == []
    close(page)
