"""Time the Overview as a leader sees it: a Streamlit server on the given sources, a
headless Chromium signed in as the demo leader, each visit timed from navigation to the
end of the script run that draws every card.

    python -m benchmarks.visits --sources sqlite:///data/bench-scale-5/{name}.sqlite
    python -m benchmarks.visits --sources postgresql+psycopg://postgres@127.0.0.1:5432/bench

`{name}` in the URL is replaced by procedures, tasks and emulation (one URL: all three
sources in one database). Visits, in one server process:

  first     the first visit after the server started: once its warm-up has computed
            the leaders' home screen (the server log says when), or with --cold
            (warm-up off) while nothing is computed yet
  again     the same view a few seconds later (nothing changed)
  next-min  the same view once the as-of minute has moved on: the last figures are
            shown at once while one background refresh recomputes them
  settled   once that refresh is done

Needs Playwright and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
TIMEOUT_MS = 180_000
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USER, PASSWORD = "bench", "Bench@2026-visits"

_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll('[data-testid="stMetric"]').length >= %d;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WARM_LINE = re.compile(rb"warm-up: .* ready in ([0-9.]+) s")


def start_server(urls: dict[str, str], log: Path, home: Path, cold: bool) -> tuple[subprocess.Popen, str]:
    """A server on `urls`, its own users file and app database in `home`, with one leader."""
    port = _free_port()
    env = {**os.environ, "IOC_WARM_SECONDS": "0" if cold else os.environ.get("IOC_WARM_SECONDS", "300"), **{f"IOC_{name.upper()}_URL": url for name, url in urls.items()},
           "IOC_QUERY_TIMEOUT_SECONDS": "300", "IOC_DATA_DIR": str(home),
           # Real (non-demo) sources need a cookie key of their own to start.
           "IOC_COOKIE_KEY": os.environ.get("IOC_COOKIE_KEY") or secrets.token_hex(32)}
    subprocess.run([sys.executable, "-m", "auth", "users", "add", USER, "--name", "Benchmark", "--email",
                    "bench@example.org", "--role", "leader", "--password-stdin"], input=PASSWORD + "\n",
                   text=True, cwd=ROOT, env=env, check=True, capture_output=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port), "--server.address",
             "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"the server did not start; see {log}")


def visit(page, url: str, cards: int) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(_IDLE % cards, timeout=TIMEOUT_MS, polling=50)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", required=True, help="source URL; {name} → procedures, tasks, emulation")
    parser.add_argument("--cards", type=int, default=19, help="cards the Overview draws when complete")
    parser.add_argument("--cold", action="store_true", help="no warm-up: the first visit computes everything")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    urls = {name: args.sources.replace("{name}", name) for name in ("procedures", "tasks", "emulation")}
    log = Path(tempfile.gettempdir()) / f"ioc_visits_{os.getpid()}.log"
    home = Path(tempfile.mkdtemp(prefix="ioc_visits_"))
    started_at = time.perf_counter()
    proc, base = start_server(urls, log, home, args.cold)
    results: list[tuple[str, float]] = []
    if not args.cold:
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not (found := WARM_LINE.search(log.read_bytes())):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"no warm-up finished; see {log}")
            time.sleep(0.2)
        results.append(("warm-up at server start (its own log)", float(found.group(1))))
        results.append(("server start to home screen ready", time.perf_counter() - started_at))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(base)
            form = page.locator('[data-testid="stForm"]')
            form.wait_for(timeout=TIMEOUT_MS)
            form.locator('input[type="text"]').fill(USER)
            form.locator('input[type="password"]').fill(PASSWORD)
            started = time.perf_counter()
            form.locator('[data-testid="stFormSubmitButton"] button').click()
            page.wait_for_function(_IDLE % args.cards, timeout=TIMEOUT_MS, polling=50)
            results.append(("first (sign-in lands on the Overview)", time.perf_counter() - started))
            time.sleep(2)
            results.append(("again", visit(page, base, args.cards)))
            wait = 61 - time.localtime().tm_sec
            time.sleep(max(wait, 1))
            results.append(("next-min (a refresh starts)", visit(page, base, args.cards)))
            time.sleep(20)
            results.append(("settled (after the refresh)", visit(page, base, args.cards)))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    load = os.getloadavg()[0]
    print(f"Overview visits, sources {args.sources}, load {load:.2f}")
    for name, seconds in results:
        print(f"  {name:40s} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
