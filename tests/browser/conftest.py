"""Real browser: Debian's Chromium, driven by Playwright, against the app served on
freshly generated demo data (its own data folder, users file and audit database).

Runs when /usr/bin/chromium and Playwright are present; `.ci/run` installs Chromium and
sets IOC_REQUIRE_BROWSER=1, which turns a missing browser into a failure.

Shared for the whole session, because each costs seconds on a small machine:
- the demo data, generated once into a session folder;
- one Streamlit server per configuration: `server` (every test that may share one) and,
  only when a selected test asks for it, `fresh_server`, which no test but that one
  ever sends a request to (its first request is the test's). Both start together, on
  free ports, and are killed at the end of the session, also when it fails or is
  interrupted (and by the kernel, should pytest itself be killed);
- one Chromium;
- one sign-in per demo role: the first test that opens a page as a role signs in through
  the form, later ones open their pages as new tabs of that browser context, signed in
  by its cookie (`fresh=True` forces the form, in a context of its own, for a test
  about signing in or out).

Nothing waits a fixed time: `settle` waits until Streamlit reports its script run
finished and the page has stayed so for a moment, `after` waits for the run an action
triggers.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

import auth
from auth.demo import DEMO_USERS
from data_access import settings
from data_access.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
REQUIRE = os.environ.get("IOC_REQUIRE_BROWSER") == "1"
PASSWORDS = {u["username"]: u["password"] for u in DEMO_USERS}
COOKIE = str(auth.config("cookie_name"))
START_TIMEOUT = 120          # seconds for a server to answer its health check
WAIT = 60_000                # milliseconds for anything the app draws
QUIET = 300                  # milliseconds without a script run that count as settled
PAGE_NOT_FOUND = "Page not found"      # the title of Streamlit's dialog for an unknown page


def _missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} not installed"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed"
    return None


@pytest.fixture(scope="session")
def browser_available():
    reason = _missing()
    if reason:
        if REQUIRE:
            pytest.fail(f"IOC_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


# The servers' clock is frozen at the session's start (the demo data is generated for
# that moment too) and query results are kept for the whole session: every test that
# shows a view another test has shown is served from the cache instead of recomputing
# it (with a live clock the "as of" minute changes the cache key every minute).
FROZEN_AT = dt.datetime.now(ZoneInfo(next(s.default for s in settings.SETTINGS if s.name == "timezone")))
SERVER_SETTINGS = {
    "IOC_AS_OF": FROZEN_AT.strftime("%Y-%m-%d %H:%M:%S"),
    "IOC_CACHE_TTL_SECONDS": "7200",
}


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env.update(SERVER_SETTINGS, IOC_DATA_DIR=str(data_dir))
    return env


@pytest.fixture(scope="session")
def demo_data(browser_available, tmp_path_factory) -> Path:
    """The demo databases, generated once; each server gets its own copy of the folder
    (the users file and the audit database are written by the server)."""
    folder = tmp_path_factory.mktemp("demo")
    done = subprocess.run([sys.executable, "-m", "data_access", "init-demo"], cwd=PROJECT_ROOT, env=_env(folder),
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode:
        pytest.fail(f"init-demo failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return folder


# The kernel stops a server when pytest dies, however it dies (util-linux's setpriv
# sets the parent-death signal, then runs the server in its place).
_DIE_WITH_PARENT = ["setpriv", "--pdeathsig", "TERM", "--"] if shutil.which("setpriv") else []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A Streamlit server on its own copy of the demo data, its output in a log file."""

    def __init__(self, name: str, data_dir: Path, log_dir: Path):
        self.name, self.data_dir, self.log = name, data_dir, log_dir / f"streamlit_{name}.log"
        self.process: subprocess.Popen | None = None
        self.base = ""

    def start(self) -> None:
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [*_DIE_WITH_PARENT, sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true",
                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                cwd=PROJECT_ROOT, env=_env(self.data_dir), stdout=log, stderr=subprocess.STDOUT)

    def healthy(self) -> bool:
        try:
            return urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2).read() == b"ok"
        except OSError:
            return False

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def stop(self) -> None:
        self.terminate()
        process, self.process = self.process, None
        if process is None:
            return
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _start_all(servers: list[Server]) -> None:
    """Start every server at once and wait until all answer; a server that exits before
    answering (its port taken meanwhile) is started again on another port."""
    for server in servers:
        server.start()
    waiting, retries = list(servers), {s.name: 2 for s in servers}
    deadline = time.monotonic() + START_TIMEOUT
    while waiting:
        for server in list(waiting):
            if server.healthy():
                waiting.remove(server)
            elif server.process.poll() is not None:
                if not retries[server.name]:
                    pytest.fail(f"the {server.name} server exited with {server.process.returncode}:\n{server.tail()}")
                retries[server.name] -= 1
                server.start()
        if waiting and time.monotonic() > deadline:
            pytest.fail(f"the {waiting[0].name} server did not start within {START_TIMEOUT} s:\n{waiting[0].tail()}")
        if waiting:
            time.sleep(0.25)


# Each server's data folder (its users file and audit database), by server name.
SERVER_DIRS: dict[str, Path] = {}


@pytest.fixture(scope="session")
def servers(request, demo_data, tmp_path_factory) -> dict[str, str]:
    """The base URL of each server the selected tests need, started in parallel."""
    wanted = {fixture for item in request.session.items for fixture in getattr(item, "fixturenames", ())}
    names = [name for name, fixture in (("main", "server"), ("fresh", "fresh_server"), ("hostile", "hostile_server"))
             if fixture in wanted]
    root = tmp_path_factory.mktemp("servers")
    started = []
    for name in names:
        folder = root / name
        shutil.copytree(demo_data, folder)
        if name == "hostile":
            make_hostile(folder)
        SERVER_DIRS[name] = folder
        started.append(Server(name, folder, root))

    def stop_all() -> None:
        for server in started:          # all at once, then wait for each
            server.terminate()
        for server in started:
            server.stop()

    atexit.register(stop_all)                           # an interrupted session too
    try:
        _start_all(started)
        yield {s.name: s.base for s in started}
    finally:
        stop_all()
        atexit.unregister(stop_all)


@pytest.fixture(scope="session")
def server(servers) -> str:
    """The server every test may share (sign-ins, failed attempts and all)."""
    return servers["main"]


@pytest.fixture(scope="session")
def fresh_server(servers) -> str:
    """A server no other test sends a request to: for what a server does on its very
    first request. Only one test may use it."""
    return servers["fresh"]


@pytest.fixture(scope="session")
def hostile_server(servers) -> str:
    """A server whose sources hold markup in every name and title (`make_hostile`)."""
    return servers["hostile"]


# Markup a careless or hostile source could hold: an image and a link to another host
# (a request from the page would leak that someone looked), emphasis, a colour directive,
# an icon, a heading and a formula. Each text keeps its row's code, to stay distinct.
BEACON = "http://127.0.0.1:9/beacon"
HOSTILE_TEXT = (f'<img src="{BEACON}.png"> **ĐẬM** [liên kết]({BEACON}) :red[đỏ] '
                ':material/warning: # =HYPERLINK("{BEACON}") ')


def make_hostile(folder: Path) -> None:
    """Write HOSTILE_TEXT into the names and titles of the demo databases in `folder`."""
    import sqlite3

    updates = {
        "procedures.sqlite": ["UPDATE units SET name_vi = :t || code, name_en = :t || code",
                              "UPDATE procedures SET name_vi = :t || code, name_en = :t || code"],
        "tasks.sqlite": ["UPDATE units SET name_vi = :t || code, name_en = :t || code",
                         "UPDATE tasks SET title_vi = :t || id, title_en = :t || id"],
        "emulation.sqlite": ["UPDATE units SET name_vi = :t || code, name_en = :t || code",
                             "UPDATE movements SET name_vi = :t || id, name_en = :t || id, theme_vi = :t, theme_en = :t",
                             "UPDATE blocks SET name_vi = :t || id, name_en = :t || id",
                             "UPDATE criteria SET name_vi = :t || id, name_en = :t || id"],
    }
    for file, statements in updates.items():
        with sqlite3.connect(folder / file) as conn:
            for statement in statements:
                conn.execute(statement, {"t": HOSTILE_TEXT})


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            _CONTEXTS.clear()
            chromium.close()


# --- waiting for the app --------------------------------------------------------------

_IDLE = """(quiet) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const now = performance.now();
  const idle = !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning';
  if (!idle) { window.__iocIdleSince = undefined; return false; }
  if (window.__iocIdleSince === undefined) window.__iocIdleSince = now;
  return now - window.__iocIdleSince >= quiet;
}"""

_ARM = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__iocRan = false;
  window.__iocArmedAt = performance.now();
  window.__iocIdleSince = undefined;
  if (app && !window.__iocObserver) {
    window.__iocObserver = new MutationObserver(() => {
      if (app.getAttribute('data-test-script-state') !== 'notRunning') window.__iocRan = true;
    });
    window.__iocObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
}"""

# A run the action triggered has been seen (or none came within 5 s), and it is over.
_RAN = "(quiet) => (window.__iocRan || performance.now() - window.__iocArmedAt > 5000) && (" + _IDLE + ")(quiet)"


def settle(page, quiet: int = QUIET) -> None:
    """Wait until Streamlit has finished running the script for what is on screen (and
    started no other run for `quiet` ms: components report back with a rerun)."""
    page.evaluate("() => { window.__iocIdleSince = undefined; }")
    page.wait_for_function(_IDLE, arg=quiet, timeout=WAIT, polling=100)


def after(page, action, quiet: int = QUIET) -> None:
    """Do `action` (a click that makes Streamlit rerun) and wait until that run is over:
    until then the page still shows what the previous run drew."""
    page.evaluate(_ARM)
    action()
    page.wait_for_function(_RAN, arg=quiet, timeout=WAIT, polling=100)


def layout_stable(page) -> None:
    """After a resize: wait until the page's height has stopped changing and its images
    are decoded (charts redraw for the new width)."""
    page.wait_for_function(
        """() => {
          const m = document.querySelector('[data-testid="stMain"]') || document.body;
          const h = m.scrollHeight, now = performance.now();
          const images = [...document.images].every(i => i.complete);
          if (h !== window.__iocHeight || !images) { window.__iocHeight = h; window.__iocSameSince = now; return false; }
          return now - window.__iocSameSince >= 300;
        }""", timeout=WAIT, polling=100)


# Run in every page before the app's own scripts: notes each time Streamlit's "Page not
# found" dialog is drawn, even if a later run closes it before a test could look.
_WATCH_PAGE_NOT_FOUND = """(() => {
  window.__iocPageNotFound = [];
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const dialog = node.matches('[role="dialog"]') ? node : node.querySelector('[role="dialog"]');
      if (dialog && dialog.textContent.includes(TITLE))
        window.__iocPageNotFound.push(location.pathname + location.search);
    }
  }).observe(document, {childList: true, subtree: true});
})();""".replace("TITLE", json.dumps(PAGE_NOT_FOUND))


def new_context(browser, width: int = 1600, height: int = 1000):
    """A browser context whose pages note every "Page not found" dialog."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(_WATCH_PAGE_NOT_FOUND)
    return context


def assert_no_page_not_found(page, opened: str | None = None) -> None:
    """Streamlit's "Page not found" dialog must never show, whatever page the URL asks
    for (one the role may not open included), not even for a moment."""
    seen = page.evaluate("() => window.__iocPageNotFound || []")
    shown = page.get_by_text(PAGE_NOT_FOUND).count()
    assert not seen and not shown, \
        f"Streamlit's {PAGE_NOT_FOUND!r} dialog for {opened or page.url} (drawn at {seen or page.url})"


# --- signing in -----------------------------------------------------------------------

# (server, username or None) -> the browser context kept for the session: the one that
# signed in as that user through the form, whose cookie signs in every later tab, or
# the one that never signed in; its HTTP cache keeps the app's scripts too
_CONTEXTS: dict[tuple[str, str | None], object] = {}
_OWN: list = []          # the contexts of this test's pages that are not kept


@pytest.fixture(autouse=True)
def _close_what_the_test_left_open():
    """A failed test leaves its tabs open; a kiosk tab would keep the server busy."""
    yield
    for context in _CONTEXTS.values():
        for page in context.pages:
            page.close()
    while _OWN:
        _OWN.pop().close()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in(page, username: str, password: str | None = None) -> None:
    """Fill the sign-in form shown on `page`, submit it, and wait for the run it starts."""
    form = page.locator('[data-testid="stForm"]')
    form.wait_for(timeout=WAIT)
    settle(page)                     # a form drawn by a run still going is inert
    form.locator('input[type="text"]').fill(username)
    form.locator('input[type="password"]').fill(PASSWORDS[username] if password is None else password)
    after(page, form.locator('[data-testid="stFormSubmitButton"] button').click)


def wait_for_cookie(context, timeout: float = 30) -> None:
    """The sign-in cookie, set by the server when the signed-in page loads its ticket."""
    deadline = time.monotonic() + timeout
    while not any(c["name"] == COOKIE and c["value"] for c in context.cookies()):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {COOKIE} cookie {timeout} s after signing in")
        time.sleep(0.1)


def open_page(browser, url: str, user: str | None = "lanhdao", width: int = 1600, height: int = 1000,
              wait_for: str = "h1", fresh: bool = False):
    """`url` in a new tab, signed in as `user` (None: not signed in).

    The tab opens in the browser context kept for that user: the one whose sign-in
    through the form left the cookie that signs the tab in (the first page opened as a
    user signs in so), or the one that never signed in. `fresh=True`: in a context of
    its own, through the form, for a test about signing in or out."""
    key = (_origin(url), user)
    context = None if fresh else _CONTEXTS.get(key)
    through_form = user is not None and context is None
    if context is None:
        context = new_context(browser, width, height)
        _OWN.append(context)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    if through_form:
        sign_in(page, user)
    page.wait_for_selector(wait_for, timeout=WAIT)
    settle(page)
    if not fresh and key not in _CONTEXTS:
        if user is not None:
            wait_for_cookie(context)
        _CONTEXTS[key] = context
        _OWN.remove(context)
    assert_no_page_not_found(page, f"{url} as {user}")
    return page


def close(page) -> None:
    """Close the tab, and its browser context unless it is a signed-in one kept for later."""
    try:
        assert_no_page_not_found(page)
    finally:
        page.close()
        if page.context in _OWN:
            _OWN.remove(page.context)
            page.context.close()
