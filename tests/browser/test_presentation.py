"""Real browser: the kiosk link as the presentation screen's account opens it — no
sidebar or toolbar; the slides turn on the clock, each shown for the link's interval
(measured over five turns) and the same on two screens; every text of every slide,
chart labels included, at least 24 px at 1280×720 and in one typeface; every slide
uses its height; a provisional emulation score says so. Screenshots of every slide at
1280×720 in artifacts/screenshots/."""

from __future__ import annotations

import pytest

from reports.slide_charts import SCREEN_TEXT_PX

from .conftest import SCREENSHOTS, close, open_page

pytestmark = pytest.mark.browser

SLIDES = ("overview", "procedures", "tasks", "emulation", "awards")
INTERVAL = 5                  # the shortest the link accepts: five turns in 25 s
WIDTH, HEIGHT = 1280, 720

# The index of the slide on screen (the one whose computed visibility is visible).
_SHOWN = """() => {
  const shown = [...document.querySelectorAll('.ioc-slide')].filter(s => getComputedStyle(s).visibility === 'visible');
  return shown.length === 1 ? Number(shown[0].dataset.index) : null;
}"""

# The moments (ms, the page's clock) at which the slide on screen changes, over `turns`
# changes, read on every frame.
_TURNS = """(turns) => new Promise(resolve => {
  const shown = () => { const s = [...document.querySelectorAll('.ioc-slide')]
      .filter(e => getComputedStyle(e).visibility === 'visible'); return s.length === 1 ? s[0].dataset.index : null; };
  let last = shown(); const seen = [];
  const tick = () => {
    const now = shown();
    if (now !== null && now !== last) { seen.push([performance.now(), Number(now)]); last = now; }
    if (seen.length > turns) resolve(seen); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""

# Every element of each slide that holds text of its own, with its computed font size and
# family; every chart picture with its width on screen and its width at 1280×720.
_TEXTS = """() => [...document.querySelectorAll('.ioc-slide')].map(slide => ({
  key: slide.dataset.slide,
  texts: [...slide.querySelectorAll('*')].filter(e => [...e.childNodes].some(
      n => n.nodeType === 3 && n.textContent.trim())).map(e => ({
      text: e.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(e).fontSize),
      family: getComputedStyle(e).fontFamily})),
  charts: [...slide.querySelectorAll('img')].map(i => ({shown: i.getBoundingClientRect().width,
      drawn: Number(i.dataset.width)})),
}))"""

# How far down the slide its content reaches, as a share of the slide's height (the note
# at the foot left out: content, not the footnote, must fill the height).
_FILLED = """(index) => {
  const slide = document.querySelectorAll('.ioc-slide')[index];
  const top = slide.getBoundingClientRect().top, height = slide.getBoundingClientRect().height;
  const body = slide.querySelector('.body');
  const bottom = Math.max(...[...body.querySelectorAll('*')].map(e => e.getBoundingClientRect().bottom));
  return (bottom - top) / height;
}"""


def show_only(page, index: int) -> None:
    """Stop the turning and show slide `index` (for its screenshot)."""
    page.evaluate("""(i) => document.querySelectorAll('.ioc-slide').forEach((s, j) => {
        s.style.animation = 'none'; s.style.visibility = j === i ? 'visible' : 'hidden'; })""", index)


def test_the_kiosk_turns_on_the_clock_in_large_type(server, browser):
    url = f"{server}/presentation?kiosk=1&slides={','.join(SLIDES)}&interval={INTERVAL}&lang=vi"
    page = open_page(browser, url, user="trinhchieu", width=WIDTH, height=HEIGHT, wait_for=".ioc-screen.kiosk")
    for hidden in ("stSidebar", "stToolbar", "stHeader"):
        assert not page.locator(f'[data-testid="{hidden}"]').is_visible()
    keys = page.evaluate("() => [...document.querySelectorAll('.ioc-slide')].map(s => s.dataset.slide)")
    # every chosen slide in the link's order (the emulation ranking over as many as its blocks need)
    assert [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k] == list(SLIDES)
    count = len(keys)

    # the slide shown is floor(epoch / interval) mod n, on this screen and on a second one
    # opened later with the same link: every screen shows the same slide
    other = open_page(browser, url, user="trinhchieu", width=WIDTH, height=HEIGHT, wait_for=".ioc-screen.kiosk")
    for screen in (other, page):
        screen.bring_to_front()
        screen.wait_for_timeout(300)
        for _ in range(5):
            shown, now = screen.evaluate("() => [(" + _SHOWN + ")(), Date.now() / 1000]")
            if (now % INTERVAL) > 0.3:              # not read at the very moment of a turn
                break
            screen.wait_for_timeout(400)
        assert shown == int(now // INTERVAL) % count, (shown, now)
    close(other)

    # five turns, each after the interval (± 1 s), to the next slide of the loop
    turns = page.evaluate(_TURNS, 5)
    gaps = [(b[0] - a[0]) / 1000 for a, b in zip(turns, turns[1:])]
    assert len(gaps) == 5 and all(abs(g - INTERVAL) <= 1 for g in gaps), gaps
    assert all(b[1] == (a[1] + 1) % count for a, b in zip(turns, turns[1:]))

    # every text at least 24 px, in the charts' typeface; every chart shown at the size it
    # was drawn for (its text is 24 px there)
    for slide in page.evaluate(_TEXTS):
        small = [(x["text"], x["size"]) for x in slide["texts"] if x["size"] < SCREEN_TEXT_PX - 0.01]
        assert not small, f"{slide['key']}: {small}"
        assert {x["family"].split(",")[0].strip('"') for x in slide["texts"]} == {"DejaVu Sans"}
        for chart in slide["charts"]:
            assert chart["shown"] >= chart["drawn"] - 0.5, f"{slide['key']}: chart shrunk {chart}"
    assert page.evaluate("() => document.fonts.check('24px \"DejaVu Sans\"', 'Tạm tính')")

    text = page.inner_text(".ioc-screen")
    assert "tạm tính · " in page.evaluate("() => document.querySelector('.ioc-screen').textContent")
    assert "Traceback" not in text

    # every slide uses its height, and its screenshot
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for index, key in enumerate(keys):
        show_only(page, index)
        page.wait_for_timeout(150)
        filled = page.evaluate(_FILLED, index)
        assert filled >= 0.7, f"slide {index + 1} ({key}) leaves {1 - filled:.0%} of the screen empty"
        page.screenshot(path=str(SCREENSHOTS / f"kiosk_{index + 1}_{key}_{WIDTH}x{HEIGHT}.png"))
    close(page)
