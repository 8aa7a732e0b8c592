"""Time `python -m alerts run` for 200 recipients over the default demo data, and count
the statements it sends to the source databases (shared per scope: they grow with the
number of units and rules, not of recipients) and to the app's own database.

    python -m benchmarks.alerts                       # 200 recipients, Monday 08:00 of this week
    python -m benchmarks.alerts --recipients 400 --as-of "2026-12-09 08:00"

The run is a real one: a throw-away SMTP server (aiosmtpd on 127.0.0.1:8026) receives
the messages, the outbox is a throw-away SQLite file, the users file is written here
(unit heads spread over every unit, a tenth leaders, a few administrators). The demo
data is the embedded one (generated on first use in data_dir). Then the same run again:
it must send nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

SMTP_PORT = 8026
HASH = "$2b$12$vSv.l4zdL8yWhW2K.ZpqFOy9pPIATcUOHat4rb6bSjfyB/0oWjrGK"   # no one signs in here


def _users(path: Path, n: int, units: list[str]) -> dict[str, int]:
    roles = {"unit_head": 0, "leader": 0, "admin": 0}
    users = {}
    for i in range(n):
        role = "admin" if i % 40 == 39 else "leader" if i % 10 == 9 else "unit_head"
        roles[role] += 1
        users[f"bench{i:03d}"] = {"name": f"Người nhận {i:03d}", "email": f"bench{i:03d}@example.gov.vn",
                                  "role": role, "unit": units[i % len(units)] if role == "unit_head" else None,
                                  "disabled": False, "password": HASH}
    path.write_text(yaml.safe_dump({"users": users}, allow_unicode=True), encoding="utf-8")
    path.chmod(0o600)
    return roles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.alerts", description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--as-of", default=None, metavar='"YYYY-MM-DD HH:MM"',
                        help="the data's clock (default: Monday 08:00 of this week, when the weekly summary is due)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ioc-bench-alerts-"))
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    os.environ["IOC_AS_OF"] = args.as_of or f"{monday.isoformat()} 08:00:00"
    os.environ["IOC_APP_DB_URL"] = f"sqlite:///{work / 'app.sqlite'}"
    os.environ["IOC_USERS_FILE"] = str(work / "users.yaml")
    os.environ.update({"IOC_SMTP_HOST": "127.0.0.1", "IOC_SMTP_PORT": str(SMTP_PORT), "IOC_SMTP_SECURITY": "none",
                       "IOC_MAIL_FROM": "ioc@example.gov.vn"})

    import sqlalchemy as sa
    from aiosmtpd.controller import Controller

    from alerts import run as runner
    from alerts.store import Store
    from data_access import lists
    from data_access.cli import _ensure_demo
    from data_access.db import Sources

    _ensure_demo()
    sources = Sources.from_settings()
    units = sorted(lists.unit_names(sources.procedures))
    roles = _users(work / "users.yaml", args.recipients, units)

    counts = {"source": 0, "app": 0}
    app_url = os.environ["IOC_APP_DB_URL"]

    @sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        counts["app" if str(conn.engine.url) == app_url else "source"] += 1

    class Sink:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            Sink.received += 1
            return "250 OK"

    smtp = Controller(Sink(), hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    try:
        store = Store()
        store.counts()                                   # the outbox's tables made before the clock starts
        counts.update(source=0, app=0)
        started = time.perf_counter()
        first = runner.run(store, sources=sources)
        seconds = time.perf_counter() - started
        first_counts = dict(counts)
        counts.update(source=0, app=0)
        started = time.perf_counter()
        second = runner.run(store, sources=sources)
        again = time.perf_counter() - started
    finally:
        smtp.stop()
    scopes = {d.scope for d in first.dues}
    by_rule: dict[str, int] = {}
    for d in first.dues:
        by_rule[d.rule.id] = by_rule.get(d.rule.id, 0) + 1
    print(f"as of {os.environ['IOC_AS_OF']}: {args.recipients} recipients "
          f"({roles['unit_head']} unit heads over {len(units)} units, {roles['leader']} leaders, {roles['admin']} admins)")
    print(f"first run:  {seconds:6.2f} s, {first.queued} messages queued, {first.sent} sent "
          f"({Sink.received} received), {first.failed} failed")
    print(f"            {first_counts['source']} source statements for {len(units) + 1} scopes "
          f"({len(units)} units and the ministry; {len(scopes)} of them with a message) "
          f"({first_counts['source'] / max(1, args.recipients):.2f} per recipient), "
          f"{first_counts['app']} app-database statements")
    print("            messages by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())))
    print(f"second run: {again:6.2f} s, {second.queued} queued, {second.sent} sent, "
          f"{counts['source']} source statements, {counts['app']} app-database statements")
    return 0 if second.sent == 0 and first.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
