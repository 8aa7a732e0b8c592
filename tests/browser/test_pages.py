"""Real browser: every page of the app, signed in as a leader, in both languages, with a
screenshot of each in artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from l10n.i18n import catalogue, t

from .conftest import SCREENSHOTS, close, layout_stable, open_page

PAGES = ("overview", "procedures", "tasks", "emulation")
# The default page (Overview) is served at the root; Streamlit ignores its url_path.
PATHS = {"overview": "", "procedures": "procedures", "tasks": "tasks", "emulation": "emulation"}

pytestmark = pytest.mark.browser


def _strings(node) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_strings(v) for v in node.values())) if node else set()
    return {node} if isinstance(node, str) else set()


# English sentences of our catalogue that must never reach a Vietnamese page, and codes
# that must never reach a reader.
ENGLISH_ONLY = sorted(s for s in _strings(catalogue("en")) - _strings(catalogue("vi"))
                      if len(s) >= 12 and "{" not in s)
RAW_CODES = ("in_progress_overdue", "in_progress_on_time", "completed_on_time", "legal_document",
             "prime_minister", "ministry_leaders", "supplement_requested", "in_person", "full_online",
             "survey_mapping", "certificate_of_merit", "advanced_worker", "emulation_flag", "None", "nan", "NaT")


def full_screenshot(page, path) -> None:
    """Streamlit scrolls inside its main area, so grow the window to the content first."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(max(int(height) + 40, 1000), 12000)})
    layout_stable(page)
    page.screenshot(path=str(path), full_page=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_without_error(server, browser, name, lang):
    page = open_page(browser, f"{server}/{PATHS[name]}?lang={lang}",
                     wait_for='[data-testid="stMetricValue"]' if name == "overview" else "h1")
    text = page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    full_screenshot(page, SCREENSHOTS / f"{name}_{lang}.png")
    assert "Traceback" not in text and "Exception" not in text
    assert "Page not found" not in text
    assert page.locator('[data-testid="stException"]').count() == 0
    assert t(f"nav_{name}", lang) in text
    assert t(f"{name}.title", lang) in page.locator("h1").first.inner_text()     # the page the URL names
    for code in RAW_CODES:
        assert not re.search(rf"\b{code}\b", text), f"raw code {code!r} on {name} ({lang})"
    if lang == "vi":
        leaked = [s for s in ENGLISH_ONLY if s in text]
        assert not leaked, f"English on the Vietnamese {name} page: {leaked[:5]}"
    if name == "overview":
        assert t("section_procedures", lang) in text
        received = page.locator('[data-testid="stMetric"]').first.inner_text()
        assert any(ch.isdigit() for ch in received)
    if name == "overview" and lang == "vi":
        # the figures and the language (a page load of its own before)
        assert "Hồ sơ tiếp nhận" in text and "Dossiers received" not in text
        # Vietnamese thousands separator: a count of tens of thousands (the dossiers
        # received, below the first screen's rates and late counts) is written 12.345
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        received = page.locator('[data-testid="stMetric"]', has_text="Hồ sơ tiếp nhận").first
        assert re.fullmatch(r"\d{1,3}(\.\d{3})+", received.locator('[data-testid="stMetricValue"]').inner_text())
        assert any("." in v and "," not in v for v in values)
    close(page)
