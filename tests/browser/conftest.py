"""Real browser: Debian's Chromium, driven by Playwright, against the app served on
freshly generated demo data (its own data folder, users file and audit database).

Runs when /usr/bin/chromium and Playwright are present; `.ci/run` installs Chromium and
sets IOC_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from auth.demo import DEMO_USERS
from data_access.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
REQUIRE = os.environ.get("IOC_REQUIRE_BROWSER") == "1"
PASSWORDS = {u["username"]: u["password"] for u in DEMO_USERS}


def _missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} not installed"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed"
    return None


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="session")
def server(data_dir):
    reason = _missing()
    if reason:
        if REQUIRE:
            pytest.fail(f"IOC_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
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


@pytest.fixture(scope="session")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def settle(page) -> None:
    """Wait until Streamlit has finished running the script for what is on screen."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(1500)


def sign_in(page, username: str, password: str | None = None) -> None:
    """Fill the sign-in form shown on `page` and submit it."""
    form = page.locator('[data-testid="stForm"]')
    form.wait_for(timeout=60_000)
    settle(page)                     # a form drawn by a run still going is inert
    form.locator('input[type="text"]').fill(username)
    form.locator('input[type="password"]').fill(PASSWORDS[username] if password is None else password)
    form.locator('[data-testid="stFormSubmitButton"] button').click()


def open_page(browser, url: str, user: str | None = "lanhdao", width: int = 1600, height: int = 1000,
              wait_for: str = "h1"):
    """`url` in a fresh browser (no cookie), signed in as `user` through the form."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    if user is not None:
        sign_in(page, user)
    page.wait_for_selector(wait_for, timeout=60_000)
    settle(page)
    return page


def close(page) -> None:
    page.context.close()
