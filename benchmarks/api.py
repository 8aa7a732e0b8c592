"""Time the KPI feed (`/api/v1/kpis`) under many clients polling the same period.

    python -m benchmarks.api                       # 50 clients for 60 s, after 1 client for 60 s
    python -m benchmarks.api --clients 50 --seconds 60 --port 8705 --data-dir /tmp/bench-api
    python -m benchmarks.api --etag                # clients revalidate with If-None-Match (304s)

It makes one API client per polling thread (`auth.clients`, tokens never printed) on the
demo data (generated into --data-dir when it is not there; the clock live unless --as-of
freezes it), then runs two phases, each against a freshly started `streamlit run
serve.py` (no rate limit, no warm-up), polling the same period's figures as fast as
answers come, --seconds long:

  1. one client;
  2. --clients clients at once.

For each phase: requests, requests per second, latency median / p95 / p99, statuses, and
the statements the three sources received from the server meanwhile (the counters of
`/api/v1/health`, which leaves its own pings out). The shared store computes a period once
for every client, so phase 2's statements equal phase 1's, however many clients (with a
live clock, each phase also recomputes once per minute as the as-of minute moves on).
Each request opens its own connection (as `curl` from cron does); with --keep-alive each
client keeps one open. (On a kept-alive connection every answer of this server, Streamlit's
own `/_stcore/health` too, waits about 40 ms: the TCP delayed-acknowledgement timer meeting
a response written in two parts. Measured here, not changed: it is the server's.)
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(data_dir: Path, as_of: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    # No rate limit; no warm-up of the Overview at start (its queries would be counted).
    env.update(IOC_DATA_DIR=str(data_dir), IOC_API_RATE_PER_MINUTE="0", IOC_WARM_SECONDS="0")
    if as_of:
        env["IOC_AS_OF"] = as_of
    return env


def _make_clients(env: dict, n: int) -> list[str]:
    script = (
        "import json, auth\n"
        "from auth.audit import AuditLog\n"
        "from auth.clients import ClientStore\n"
        "store = ClientStore(AuditLog(str(auth.config('app_db_url'))))\n"
        "import secrets\n"
        f"print(json.dumps([store.add('bench-' + secrets.token_hex(4), 'ministry', None, auth.clock())[1] "
        f"for _ in range({n})]))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def _health(port: int, token: str) -> dict[str, int]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/health",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        body = json.loads(answer.read())
    return {name: s["queries"] for name, s in body["sources"].items()}


def _poll(port: int, token: str, path: str, until: float, etag: bool, keep_alive: bool, out: list,
          statuses: Counter, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    tag = None
    mine: list[float] = []
    seen: Counter = Counter()
    while time.perf_counter() < until:
        headers = {"Authorization": f"Bearer {token}"}
        if etag and tag:
            headers["If-None-Match"] = tag
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            answer = conn.getresponse()
            answer.read()
            status = answer.status
            tag = answer.getheader("ETag") or tag
            if not keep_alive:
                conn.close()
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine.append(time.perf_counter() - started)
        seen[status] += 1
    conn.close()
    with lock:
        out.extend(mine)
        statuses.update(seen)


def _phase(port: int, tokens: list[str], path: str, seconds: float, etag: bool, keep_alive: bool,
           monitor: str) -> dict:
    before = _health(port, monitor)
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    started = time.perf_counter()
    until = started + seconds
    threads = [threading.Thread(target=_poll, args=(port, t, path, until, etag, keep_alive, latencies, statuses, lock))
               for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    after = _health(port, monitor)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {"clients": len(tokens), "requests": len(latencies), "seconds": round(elapsed, 1),
            "rps": round(len(latencies) / elapsed, 1),
            "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95_ms": round(pct(0.95), 1), "p99_ms": round(pct(0.99), 1),
            "statuses": dict(sorted(statuses.items())),
            "source_queries": {s: after[s] - before[s] for s in after}}


@contextlib.contextmanager
def _server(port: int, env: dict, data_dir: Path):
    """`streamlit run serve.py` on `port` until the block ends; yields whether it answered."""
    log = open(data_dir / "bench-server.log", "ab")
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
                               "--server.address", "127.0.0.1", "--server.headless", "true",
                               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline, ready = time.monotonic() + 120, False
        while not ready and server.poll() is None and time.monotonic() < deadline:
            try:
                ready = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok"
            except OSError:
                time.sleep(0.3)
        yield ready
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.api", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8705)
    parser.add_argument("--data-dir", default=None, help="demo data folder (default: a new temporary one)")
    parser.add_argument("--as-of", default=None, help='freeze the server clock at "YYYY-MM-DD HH:MM:SS"')
    parser.add_argument("--etag", action="store_true", help="clients send If-None-Match (answers are 304)")
    parser.add_argument("--keep-alive", action="store_true",
                        help="one connection per client for every request (default: a new one each, as curl in cron)")
    parser.add_argument("--period", default="2026-01-01:2026-06-30", help="the period polled, FROM:TO")
    args = parser.parse_args(argv)

    temporary = args.data_dir is None
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="bench-api-"))
    env = _env(data_dir, args.as_of)
    if not (data_dir / "procedures.sqlite").exists():
        print(f"generating the demo data in {data_dir} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "data_access", "init-demo"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    tokens = _make_clients(env, args.clients + 1)
    monitor, pollers = tokens[0], tokens[1:]
    start, end = args.period.split(":")
    path = f"/api/v1/kpis?from={start}&to={end}"
    load = os.getloadavg()[0]
    results = []
    try:
        for clients in (pollers[:1], pollers):
            # A fresh server for each phase: both start from an empty store.
            with _server(args.port, env, data_dir) as ready:
                if not ready:
                    print("the server did not start; see", data_dir / "bench-server.log", file=sys.stderr)
                    return 1
                result = _phase(args.port, clients, path, args.seconds, args.etag, args.keep_alive, monitor)
            result["period"] = f"{start}…{end}"
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
        print(f"load average (1 min) {load:.1f} → {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs", file=sys.stderr)
        one, many = results
        print(f"source statements: 1 client {sum(one['source_queries'].values())}, "
              f"{many['clients']} clients {sum(many['source_queries'].values())}", file=sys.stderr)
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
