"""Sessions kept on the server and the throttling of sign-in, on the app's own database —
SQLite, PostgreSQL and MariaDB alike (an administrator may put it on either server)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from auth.audit import AUDIT, FAILURES, SESSIONS, AuditLog
from auth.lockout import LockoutPolicy, locked_until, recent_failures, register_failure, register_success, wait_until
from auth.sessions import Refused, SessionStore, cookie_value, session_id, token_of

from .conftest import server_url

T0 = dt.datetime(2026, 11, 30, 9, 0, 0)
KEY = "k" * 48
DAY = dt.timedelta(hours=12)
IDLE = dt.timedelta(minutes=30)
POLICY = LockoutPolicy(max_failures=5, window=dt.timedelta(minutes=15), lock=dt.timedelta(minutes=15),
                       account_failures=20, global_failures=100, max_delay=dt.timedelta(seconds=60))


def _s(seconds: float) -> dt.timedelta:
    return dt.timedelta(seconds=seconds)


@pytest.fixture(params=("sqlite", "postgresql", "mariadb"))
def log(request, tmp_path):
    name = request.param
    url = f"sqlite:///{tmp_path / 'app.sqlite'}" if name == "sqlite" else server_url(name)
    audit = AuditLog(url)
    with audit.engine.begin() as conn:
        for table in (AUDIT, SESSIONS, FAILURES):
            conn.execute(table.delete())
    yield audit
    audit.dispose()


def _redeem(store: SessionStore, ticket: str, at: dt.datetime) -> str:
    token, _ = store.redeem(ticket, at, KEY)
    return token


# -- sessions ---------------------------------------------------------------

def test_a_ticket_gives_the_cookie_once_and_only_within_a_minute(log):
    store = SessionStore(log)
    sid, ticket = store.open("lanhdao", T0, DAY, KEY, address="10.0.0.7", agent="Chromium")
    assert not store.redeemed(sid)
    assert store.redeem(ticket + "x", T0, KEY) is None                 # a made-up ticket
    assert store.redeem(ticket, T0, "another instance's key") is None
    token, expires = store.redeem(ticket, T0 + _s(60), KEY)
    assert session_id(token) == sid and expires == T0 + DAY and store.redeemed(sid)
    assert store.redeem(ticket, T0 + _s(61), KEY) is None               # once
    late_sid, late = store.open("lanhdao", T0, DAY, KEY)
    assert store.redeem(late, T0 + _s(61), KEY) is None and not store.redeemed(late_sid)
    # Neither the token nor the ticket is kept: only digests.
    with log.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(sa.select(SESSIONS)) for v in row)
    assert token not in stored and ticket not in stored


def test_the_cookie_value_is_signed_by_this_instance(log):
    value = cookie_value("abc", KEY)
    assert token_of(value, KEY) == "abc"
    assert token_of(value, "other") is None
    assert token_of("abc.0000", KEY) is None
    # streamlit-authenticator's signed token (three dot-separated parts) is not a session.
    assert token_of("eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImFkbWluIn0.sig", KEY) is None
    assert token_of("", KEY) is None and token_of(None, KEY) is None and token_of("a." * 300, KEY) is None


def test_a_session_lives_until_its_expiry_or_idle_limit_to_the_second(log):
    store = SessionStore(log)
    sid, _ = store.open("ks", T0, DAY, KEY)
    assert store.check(sid, T0 + IDLE, IDLE).username == "ks"          # idle exactly the limit: still open
    with pytest.raises(Refused) as refused:
        store.check(sid, T0 + 2 * IDLE + _s(1), IDLE)
    assert refused.value.reason == "idle" and refused.value.username == "ks"
    with pytest.raises(Refused) as again:                               # and it stays ended
        store.check(sid, T0 + IDLE, IDLE)
    assert again.value.reason == "ended" and store.get(sid)["end_reason"] == "idle"

    busy, _ = store.open("ks", T0, DAY, KEY)
    for minutes in range(25, 12 * 60, 25):                              # used every 25 minutes
        store.check(busy, T0 + dt.timedelta(minutes=minutes), IDLE)
    with pytest.raises(Refused) as expired:
        store.check(busy, T0 + DAY, IDLE)
    assert expired.value.reason == "expired"
    with pytest.raises(Refused) as unknown:
        store.check("0" * 64, T0, IDLE)
    assert unknown.value.reason == "unknown"


def test_ending_sessions_one_or_all_of_a_user_and_listing_the_open_ones(log):
    store = SessionStore(log)
    a1, _ = store.open("qltnn", T0, DAY, KEY, address="10.0.0.1")
    a2, _ = store.open("qltnn", T0 + _s(5), DAY, KEY, address="10.0.0.2")
    b, _ = store.open("admin", T0 + _s(10), DAY, KEY)
    idle_one, _ = store.open("ks", T0 - dt.timedelta(hours=2), DAY, KEY)
    assert [s.id for s in store.open_sessions(T0 + _s(20), IDLE)] == [b, a2, a1]
    assert store.end(b, T0 + _s(30), "ended_by_admin") and not store.end(b, T0 + _s(31), "ended_by_admin")
    assert store.end_user("qltnn", T0 + _s(40), "password_reset") == 2
    assert store.open_sessions(T0 + _s(50), IDLE) == []
    for sid in (a1, a2):
        with pytest.raises(Refused):
            store.check(sid, T0 + _s(60), IDLE)
    assert store.get(a1)["end_reason"] == "password_reset"
    assert store.forget(T0 + dt.timedelta(days=2)) == 4 and store.get(idle_one) is None


# -- throttling -------------------------------------------------------------

def test_a_strangers_five_guesses_lock_the_account_for_their_address_only(log):
    for i in range(4):
        assert register_failure(log, "lanhdao", T0 + _s(10 * i), POLICY, "203.0.113.9") is None
    assert register_failure(log, "lanhdao", T0 + _s(40), POLICY, "203.0.113.9") == T0 + _s(40) + POLICY.lock
    assert locked_until(log, "lanhdao", T0 + _s(41), POLICY, "203.0.113.9") == T0 + _s(40) + POLICY.lock
    assert locked_until(log, "lanhdao", T0 + _s(41), POLICY, "10.1.2.3") is None      # the user's own office
    assert locked_until(log, "ks", T0 + _s(41), POLICY, "203.0.113.9") is None


def test_failures_from_everywhere_lock_the_account_for_everyone(log):
    for i in range(19):
        assert register_failure(log, "admin", T0 + _s(i), POLICY, f"198.51.100.{i}") is None
    assert register_failure(log, "admin", T0 + _s(19), POLICY, "198.51.100.19") == T0 + _s(19) + POLICY.lock
    assert locked_until(log, "admin", T0 + _s(20), POLICY, "10.1.2.3") == T0 + _s(19) + POLICY.lock
    events = [(r["event"], r["detail"]) for r in log.recent() if r["event"] == "lockout"]
    assert events == [("lockout", "20 failed sign-ins within 0:15:00; locked for every address")]


def test_spraying_one_try_on_many_usernames_waits_a_doubling_delay(log):
    address, at = "203.0.113.50", T0
    waits = []
    for i in range(12):
        assert wait_until(log, at, POLICY, address) is None          # it waited long enough
        register_failure(log, f"user{i}", at, POLICY, address)
        until = wait_until(log, at, POLICY, address)
        waits.append(0 if until is None else (until - at).total_seconds())
        at = until or at + _s(1)
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert wait_until(log, at - _s(1), POLICY, address) == at       # a try too early is held back
    assert wait_until(log, at, POLICY, "10.1.2.3") is None           # another address is not


def test_a_global_wave_of_failures_slows_every_address(log):
    for i in range(100):
        register_failure(log, f"u{i % 7}", T0 + _s(i), POLICY, f"192.0.2.{i}")
    until = wait_until(log, T0 + _s(99), POLICY, "10.1.2.3")
    assert until == T0 + _s(99) + _s(1)
    assert wait_until(log, T0 + _s(101), POLICY, "10.1.2.3") is None


def test_failures_do_not_grow_the_audit_log_one_row_per_guess(log):
    # A guess every 20 seconds for an hour, as the sign-in form lets it through.
    recorded = 0
    for i in range(180):
        at = T0 + _s(20 * i)
        if locked_until(log, "ks", at, POLICY, "203.0.113.9") or wait_until(log, at, POLICY, "203.0.113.9"):
            continue                                    # refused before the password: nothing recorded
        register_failure(log, "ks", at, POLICY, "203.0.113.9")
        recorded += 1
    rows = [(r["event"], r["detail"]) for r in log.recent()]
    # Each 15-minute lock lets one burst of five through: its first failure and its lock are audited.
    assert recorded == 20
    assert rows.count(("login_failed", "from 203.0.113.9")) == 4 and rows.count(
        ("lockout", "5 failed sign-ins within 0:15:00; locked for address 203.0.113.9")) == 4 and len(rows) == 8
    grouped = recent_failures(log, T0 + dt.timedelta(hours=1))
    assert [(g["username"], g["address"], g["count"]) for g in grouped] == [("ks", "203.0.113.9", 20)]
    # Kept one day: an older failure is deleted by the next one.
    register_failure(log, "ks", T0 + dt.timedelta(days=2), POLICY, "203.0.113.9")
    with log.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(FAILURES)).scalar() == 1


def test_a_successful_sign_in_clears_the_count_of_its_address_only(log):
    for i in range(4):
        register_failure(log, "admin", T0 + _s(i), POLICY, "10.0.0.5")
        register_failure(log, "admin", T0 + _s(i), POLICY, "203.0.113.9")
    register_success(log, "admin", "10.0.0.5")
    assert register_failure(log, "admin", T0 + _s(10), POLICY, "10.0.0.5") is None
    assert register_failure(log, "admin", T0 + _s(10), POLICY, "203.0.113.9") is not None


def test_the_apps_own_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    import stat

    path = tmp_path / "own" / "app.sqlite"
    log = AuditLog(f"sqlite:///{path}")
    SessionStore(log).open("ks", T0, DAY, KEY)
    log.record("login_ok", "ks", at=T0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    log.dispose()
