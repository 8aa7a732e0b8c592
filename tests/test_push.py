"""`python -m reports push` against a real receiver on 127.0.0.1 (an http.server thread):
the Decree 09 period just closed, the body byte for byte the command line's report, the
HMAC-SHA256 signature checked as docs/api.md tells the receiver to, a repeat sending
nothing, a correction a new version, retries with backoff after 5xx and a receiver down,
every attempt recorded in the app's database — on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from reports import cli
from reports.push import closed_period

from .builders import D

SECRET = "shared-secret-for-tests"
AS_OF = "2026-12-03 10:00:00"


def genuine(body: bytes, header: str, secret: str) -> bool:
    """The receiver's check, as docs/api.md gives it."""
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


class Receiver:
    """Answers each POST with the next of `script` statuses (then 200), keeping what came."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, bytes]] = []
        self.script: list[int] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((self.headers, body))     # HTTP header names: any case
                status = outer.script.pop(0) if outer.script else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        for port in range(8702, 8710):
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            pytest.skip("no free port in 8702-8709")
        self.url = f"http://127.0.0.1:{self.server.server_port}/ioc/reports"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver():
    got = Receiver()
    yield got
    got.stop()


@pytest.fixture
def pushing(rows, receiver, tmp_path, monkeypatch):
    """Sources and the app database in the engine's test database, settings for the push."""
    rows.unit("A")
    rows.unit("B")
    rows.procedure("P1", unit_code="A")
    rows.dossier(D(2026, 10, 20, 9), due_at=D(2026, 11, 1), finished_at=D(2026, 10, 30), rating=5, channel="online")
    rows.dossier(D(2026, 11, 2, 9), due_at=D(2026, 11, 5), finished_at=D(2026, 11, 10), unit_code="B")
    rows.task(D(2026, 10, 16, 9), dt.date(2026, 11, 1), D(2026, 10, 25, 9))
    for source in ("PROCEDURES", "TASKS", "EMULATION"):
        monkeypatch.setenv(f"IOC_{source}_URL", rows.url)
    monkeypatch.setenv("IOC_APP_DB_URL", rows.url)
    monkeypatch.setenv("IOC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("IOC_AS_OF", AS_OF)
    monkeypatch.setenv("IOC_PUSH_URL", receiver.url)
    monkeypatch.setenv("IOC_PUSH_SECRET", SECRET)
    monkeypatch.setenv("IOC_PUSH_ATTEMPTS", "3")
    monkeypatch.setenv("IOC_PUSH_BACKOFF_SECONDS", "0.01")
    monkeypatch.setenv("IOC_PUSH_TIMEOUT_SECONDS", "5")
    engine = sa.create_engine(rows.url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS push_attempts"))
    receiver.received.clear()
    receiver.script.clear()
    yield rows
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS push_attempts"))
    engine.dispose()


def _attempts(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(
                "SELECT kind, period_from, period_to, version, attempt, http_status, outcome FROM push_attempts "
                "ORDER BY id"))]
    finally:
        engine.dispose()


def _day(value) -> str:
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


@pytest.mark.parametrize("kind, at, start, end", [
    ("month", "2026-12-03", "2026-10-15", "2026-11-14"),
    ("month", "2026-12-15", "2026-11-15", "2026-12-14"),
    ("month", "2026-01-10", "2025-11-15", "2025-12-14"),
    ("quarter", "2026-12-03", "2026-06-15", "2026-09-14"),
    ("quarter", "2026-03-15", "2025-12-15", "2026-03-14"),
    ("half", "2026-12-03", "2025-12-15", "2026-06-14"),
    ("half", "2026-06-15", "2025-12-15", "2026-06-14"),
    ("half", "2026-06-14", "2024-12-15", "2025-06-14"),
    ("year", "2026-12-03", "2024-12-15", "2025-12-14"),
    ("year", "2026-12-15", "2025-12-15", "2026-12-14"),
])
def test_the_decree_09_period_just_closed(kind, at, start, end):
    period = closed_period(kind, dt.date.fromisoformat(at))
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_push_delivers_signed_then_repeats_nothing_then_a_correction_is_version_2(pushing, receiver, capsys):
    from data_access import cli as data_cli

    assert cli.main(["push", "--period", "month", "--at", "2026-12-03"]) == 0
    assert "version 1 delivered" in capsys.readouterr().err
    [(headers, body)] = receiver.received
    assert genuine(body, headers["X-IOC-Signature"], SECRET)
    assert not genuine(body, headers["X-IOC-Signature"], "another secret")
    assert headers["X-IOC-Period"] == "month" and headers["X-IOC-Version"] == "1"
    assert (headers["X-IOC-Period-From"], headers["X-IOC-Period-To"]) == ("2026-10-15", "2026-11-14")
    assert headers["Idempotency-Key"] == "month:2026-10-15:2026-11-14:v1"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    # the body is the report contract, byte for byte, for the period as of its last second
    assert data_cli.main(["kpis", "--from", "2026-10-15", "--to", "2026-11-14", "--as-of", "2026-11-14 23:59:59"]) == 0
    assert body == capsys.readouterr().out.encode("utf-8")
    assert json.loads(body)["kpis"]["procedures.received"] == 2

    # a repeat: nothing sent, nothing recorded
    assert cli.main(["push", "--period", "month", "--at", "2026-11-30"]) == 0
    assert "already delivered" in capsys.readouterr().err
    assert len(receiver.received) == 1

    # a correction at the source: a new version, signed anew
    pushing.dossier(D(2026, 11, 3, 9), due_at=D(2026, 11, 20), unit_code="A")
    assert cli.main(["push", "--period", "month", "--at", "2026-11-30"]) == 0
    headers, body = receiver.received[-1]
    assert headers["X-IOC-Version"] == "2" and headers["Idempotency-Key"].endswith(":v2")
    assert genuine(body, headers["X-IOC-Signature"], SECRET) and json.loads(body)["kpis"]["procedures.received"] == 3
    assert [(r[3], r[4], r[5], r[6]) for r in _attempts(pushing.url)] == [(1, 1, 200, "delivered"),
                                                                           (2, 1, 200, "delivered")]
    assert [_day(v) for v in _attempts(pushing.url)[0][1:3]] == ["2026-10-15", "2026-11-14"]


def test_push_retries_after_5xx_and_gives_up_on_a_4xx_and_a_receiver_down(pushing, receiver, capsys, monkeypatch):
    receiver.script[:] = [503, 502]
    assert cli.main(["push", "--period", "quarter", "--at", "2026-12-03"]) == 0
    assert len(receiver.received) == 3
    assert len({h["Idempotency-Key"] for h, _ in receiver.received}) == 1          # the same version each time
    assert len({b for _, b in receiver.received}) == 1
    assert [(r[4], r[5], r[6]) for r in _attempts(pushing.url)] == [(1, 503, "retry"), (2, 502, "retry"),
                                                                    (3, 200, "delivered")]
    capsys.readouterr()

    receiver.script[:] = [400]
    assert cli.main(["push", "--period", "half", "--at", "2026-12-03"]) == 1
    assert "not delivered after 1 attempt(s): HTTP 400" in capsys.readouterr().err
    # the receiver down: every attempt tried, then exit 1; the version stays 1 for the next try
    monkeypatch.setenv("IOC_PUSH_URL", "http://127.0.0.1:9/nobody")
    assert cli.main(["push", "--period", "half", "--at", "2026-12-03"]) == 1
    assert "after 3 attempt(s)" in capsys.readouterr().err
    monkeypatch.setenv("IOC_PUSH_URL", receiver.url)
    assert cli.main(["push", "--period", "half", "--at", "2026-12-03"]) == 0
    assert receiver.received[-1][0]["X-IOC-Version"] == "1"
    half = [r for r in _attempts(pushing.url) if r[0] == "half"]
    assert [(r[3], r[4], r[5], r[6]) for r in half] == [(1, 1, 400, "failed"), (1, 1, None, "retry"),
                                                        (1, 2, None, "retry"), (1, 3, None, "failed"),
                                                        (1, 1, 200, "delivered")]


def test_push_refuses_bad_arguments_and_missing_settings_with_status_2(pushing, capsys, monkeypatch):
    assert cli.main(["push", "--period", "month", "--at", "2026-12-04"]) == 2
    assert "after today" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        cli.main(["push", "--period", "week"])
    assert stopped.value.code == 2
    capsys.readouterr()
    monkeypatch.setenv("IOC_PUSH_SECRET", "")
    assert cli.main(["push", "--period", "month"]) == 2
    assert "push_secret" in capsys.readouterr().err
    monkeypatch.setenv("IOC_PUSH_URL", "")
    assert cli.main(["push", "--period", "month"]) == 2
    assert "push_url" in capsys.readouterr().err


def test_a_source_down_exits_3_naming_it(pushing, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{tmp_path / 'missing' / 'tasks.sqlite'}")
    assert cli.main(["push", "--period", "month", "--at", "2026-12-03"]) == 3
    assert "tasks" in capsys.readouterr().err



@pytest.mark.parametrize("lang, words", [("en", ["no answer, tried again", "received"]),
                                         ("vi", ["không trả lời, gửi lại", "đã nhận"])])
def test_the_attempts_are_on_the_data_status_page(app_db, receiver, monkeypatch, lang, words):
    from tests.test_status import frame_with, open_page

    monkeypatch.setenv("IOC_PUSH_URL", receiver.url)
    monkeypatch.setenv("IOC_PUSH_SECRET", SECRET)
    monkeypatch.setenv("IOC_PUSH_BACKOFF_SECONDS", "0.01")
    receiver.script[:] = [503]
    assert cli.main(["push", "--period", "month"]) == 0           # the clock frozen at 20 June 2026
    at = open_page(lang)
    assert not at.exception
    version = {"en": "Version", "vi": "Phiên bản"}[lang]
    [frame] = frame_with(at, version)
    outcome = {"en": "Outcome", "vi": "Kết quả"}[lang]
    # newest first
    assert list(frame[outcome]) == words[::-1]
    assert list(frame[version]) == [1, 1]
    span = {"en": "15 May 2026 – 14 Jun 2026", "vi": "15/05/2026 – 14/06/2026"}[lang]
    assert frame.iloc[0][{"en": "Period", "vi": "Kỳ"}[lang]] == span
    assert frame.iloc[1][{"en": "Answer", "vi": "Mã trả lời"}[lang]] == "503"
