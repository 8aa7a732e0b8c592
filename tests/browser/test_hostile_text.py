"""Real browser: source text is text. On sources whose every unit, procedure, task,
movement, block and criterion name holds markup (an image and a link to another host,
emphasis, a colour directive, an icon, a heading), every page shows that text literally:
no request leaves for another host, and no element of the page comes from it."""

from __future__ import annotations

import pytest

from .conftest import BEACON, close, open_page, settle

pytestmark = pytest.mark.browser

PATHS = ("", "procedures", "tasks", "emulation", "reports", "presentation")
# Pages where source names are page text at the ministry's scope (elsewhere they are in
# charts and tables, drawn as pictures); the attention panel, the movement and its
# blocks, the emulation report's heading.
SHOWN_AS_TEXT = ("", "emulation", "reports")
WORD_JOINER = "\u2060"       # kept invisible after ":" and "@" so that no address becomes a link


@pytest.mark.parametrize("path", PATHS)
def test_markup_from_the_sources_is_shown_as_text(hostile_server, browser, path):
    page = open_page(browser, f"{hostile_server}/{path}", "lanhdao", width=1440, height=900)
    leaked: list[str] = []
    page.on("request", lambda request: leaked.append(request.url)
            if not request.url.startswith(hostile_server) and not request.url.startswith("data:") else None)
    page.reload()
    page.wait_for_selector("h1", timeout=60_000)
    settle(page)
    page.wait_for_timeout(500)               # images would be requested by now

    assert leaked == []
    from_markup = page.evaluate("""(beacon) => ({
        images: [...document.images].filter(i => i.src.startsWith(beacon)).length,
        links: [...document.querySelectorAll('a')].filter(a => (a.href || '').startsWith(beacon)).length,
        bold: [...document.querySelectorAll('strong, b')].filter(e => e.textContent.trim() === 'ĐẬM').length,
        red: [...document.querySelectorAll('span')].filter(e => e.textContent.trim() === 'đỏ').length,
    })""", BEACON)
    assert from_markup == {"images": 0, "links": 0, "bold": 0, "red": 0}
    text = page.locator('[data-testid="stMain"]').inner_text().replace(WORD_JOINER, "")
    if path in SHOWN_AS_TEXT:
        assert f'<img src="{BEACON}.png"> **ĐẬM** [liên kết]({BEACON}) :red[đỏ]' in text
    close(page)
