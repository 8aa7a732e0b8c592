"""Real browser: Debian's Chromium, driven by Playwright, opens every page of the app
running on freshly generated demo data, in both languages, and saves a screenshot of
each to artifacts/screenshots/.

Runs when /usr/bin/chromium and Playwright are present; `.ci/run` installs Chromium and
sets IOC_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from data_access.settings import PROJECT_ROOT
from ui.i18n import catalogue, t

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
REQUIRE = os.environ.get("IOC_REQUIRE_BROWSER") == "1"
PAGES = ("overview", "procedures", "tasks", "emulation")
# The default page (Overview) is served at the root; Streamlit ignores its url_path.
PATHS = {"overview": "", "procedures": "procedures", "tasks": "tasks", "emulation": "emulation"}

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} not installed"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed"
    return None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    reason = _missing()
    if reason:
        if REQUIRE:
            pytest.fail(f"IOC_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    data_dir = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env["IOC_DATA_DIR"] = str(data_dir)
    subprocess.run([sys.executable, "-m", "data_access", "init-demo"], cwd=PROJECT_ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the app did not start within 60 s")
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def open_page(browser, url: str, width: int = 1600, height: int = 1000, wait_for: str = "h1"):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(wait_for, timeout=60_000)
    # Streamlit shows a "running" widget while the script runs; wait until it is gone.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(1500)
    return page


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
    page.wait_for_timeout(1500)
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
    for code in RAW_CODES:
        assert not re.search(rf"\b{code}\b", text), f"raw code {code!r} on {name} ({lang})"
    if lang == "vi":
        leaked = [s for s in ENGLISH_ONLY if s in text]
        assert not leaked, f"English on the Vietnamese {name} page: {leaked[:5]}"
    if name == "overview":
        assert t("section_procedures", lang) in text
        received = page.locator('[data-testid="stMetric"]').first.inner_text()
        assert any(ch.isdigit() for ch in received)
    page.close()


def test_overview_figures_and_language(server, browser):
    page = open_page(browser, f"{server}/?lang=vi", wait_for='[data-testid="stMetricValue"]')
    text = page.inner_text("body")
    assert "Hồ sơ tiếp nhận" in text and "Dossiers received" not in text
    # Vietnamese thousands separator: a count of tens of thousands is written 12.345
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert any("." in v and "," not in v for v in values[:3])
    page.close()
