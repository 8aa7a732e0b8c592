"""The sign-in package: accounts file, audit log, lockout, demo accounts and the CLI.

Real files and a real SQLite database in tmp_path; time is injected, never slept.
bcrypt is slow on purpose, so hashes are kept few (module-scoped stores)."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import auth
from auth import ROLES, config
from auth.audit import EVENTS, AuditLog
from auth.demo import DEMO_USERS, demo_usernames_present, ensure_demo_users
from auth.lockout import LockoutPolicy, locked_until, recent_failures, register_failure, register_success, wait_until
from auth.users import User, UserError, UserStore
from data_access import settings

ROOT = Path(__file__).resolve().parent.parent
PW = "Correct-horse-9"


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """One store with two users, shared by the read-only checks (two hashes in all)."""
    path = tmp_path_factory.mktemp("users") / "sub" / "users.yaml"
    store = UserStore(path)
    assert not path.exists()  # created on first write, folder included
    store.add("Lan.Anh", name="Nguyễn Thị Lan Anh", email="lananh@example.gov.vn", role="leader", password=PW)
    store.add("qltnn", name="Lê Văn Nước", email="nuoc@example.gov.vn", role="unit_head", unit="QLTNN",
              password=PW + "x")
    return path


# -- settings ---------------------------------------------------------------

def test_config_defaults_env_and_types(monkeypatch, tmp_path):
    names = [s.name for s in auth.AUTH_SETTINGS]
    assert names == ["users_file", "app_db_url", "cookie_name", "cookie_key", "cookie_expiry_days",
                     "session_minutes", "max_failures", "account_failures", "global_failures", "max_delay_seconds",
                     "failure_window_minutes", "lock_minutes"]
    assert all(s.help for s in auth.AUTH_SETTINGS)
    for s in auth.AUTH_SETTINGS:
        monkeypatch.delenv(f"IOC_{s.name.upper()}", raising=False)
    monkeypatch.delenv("IOC_DATA_DIR", raising=False)
    secrets = tmp_path / "secrets.toml"                   # no file yet: no secrets
    monkeypatch.setattr(settings, "secrets_files", lambda: [secrets])
    assert config("users_file") == ROOT / "data" / "users.yaml"
    assert config("app_db_url") == f"sqlite:///{ROOT / 'data' / 'app.sqlite'}"
    monkeypatch.setenv("IOC_DATA_DIR", str(tmp_path / "demo"))       # they follow the data folder
    assert config("users_file") == tmp_path / "demo" / "users.yaml"
    assert config("app_db_url") == f"sqlite:///{tmp_path / 'demo' / 'app.sqlite'}"
    # The published demo key never signs a cookie: the instance makes a random one, once.
    key = config("cookie_key")
    assert key != auth.DEFAULT_COOKIE_KEY and len(key) >= 64 and config("cookie_key") == key
    assert (tmp_path / "demo" / "cookie_key").stat().st_mode & 0o777 == 0o600
    assert auth.uses_default_cookie_key()                 # production still refuses to start
    monkeypatch.delenv("IOC_DATA_DIR")
    assert config("cookie_name") == "ioc_dashboard"
    assert config("cookie_expiry_days") == 0.5
    assert (config("session_minutes"), config("max_failures"), config("failure_window_minutes"),
            config("lock_minutes")) == (480, 5, 15, 15)

    secrets.write_text('[auth]\nmax_failures = 3\ncookie_key = "from-secrets"\n', encoding="utf-8")
    assert config("max_failures") == 3 and config("cookie_key") == "from-secrets"
    assert not auth.uses_default_cookie_key()
    monkeypatch.setenv("IOC_MAX_FAILURES", "7")
    monkeypatch.setenv("IOC_COOKIE_EXPIRY_DAYS", "1.25")
    monkeypatch.setenv("IOC_USERS_FILE", "elsewhere/u.yaml")
    monkeypatch.setenv("IOC_APP_DB_URL", f"sqlite:///{tmp_path / 'a.sqlite'}")
    assert config("max_failures") == 7  # environment wins over secrets
    assert config("cookie_expiry_days") == 1.25
    assert config("users_file") == ROOT / "elsewhere" / "u.yaml"
    assert config("app_db_url") == f"sqlite:///{tmp_path / 'a.sqlite'}"
    policy = LockoutPolicy.from_config()
    assert policy.max_failures == 7 and policy.window == dt.timedelta(minutes=15)


# -- users ------------------------------------------------------------------

def test_add_list_get_round_trip_from_disk(store_file):
    store = UserStore(store_file)  # re-opened from the file
    assert [u.username for u in store.list()] == ["lan.anh", "qltnn"]
    assert store.get("LAN.ANH ") == User("lan.anh", "Nguyễn Thị Lan Anh", "lananh@example.gov.vn", "leader",
                                         None, False)
    assert store.get("qltnn").unit == "QLTNN" and store.get("qltnn").role == "unit_head"
    assert store.get("nobody") is None


def test_file_holds_bcrypt_hashes_only_and_mode_0600(store_file):
    assert stat.S_IMODE(store_file.stat().st_mode) == 0o600
    text = store_file.read_text(encoding="utf-8")
    assert PW not in text
    data = yaml.safe_load(text)
    hashed = data["users"]["lan.anh"]["password"]
    assert hashed.startswith("$2")
    # The format streamlit-authenticator checks against.
    from streamlit_authenticator.utilities.hasher import Hasher
    assert Hasher.is_hash(hashed) and Hasher.check_pw(PW, hashed)
    assert "Nguyễn Thị Lan Anh" in text  # readable UTF-8, not escapes


def test_verify(store_file):
    store = UserStore(store_file)
    assert store.verify("lan.anh", PW).role == "leader"
    assert store.verify("Lan.Anh", PW) is not None
    assert store.verify("lan.anh", PW + "!") is None
    assert store.verify("lan.anh", "") is None
    assert store.verify("nobody", PW) is None
    assert store.verify("lan.anh", "x" * 100) is None  # over bcrypt's limit: refused, no error


def test_credentials_shape_and_disabled_left_out(tmp_path, store_file):
    path = tmp_path / "users.yaml"
    path.write_bytes(store_file.read_bytes())  # a copy: no new hashes
    store = UserStore(path)
    creds = store.credentials()
    assert set(creds) == {"usernames"}
    assert set(creds["usernames"]) == {"lan.anh", "qltnn"}
    entry = creds["usernames"]["qltnn"]
    assert set(entry) == {"name", "email", "password", "roles"}
    assert entry["roles"] == ["unit_head"] and entry["password"].startswith("$2")
    assert entry["name"] == "Lê Văn Nước" and entry["email"] == "nuoc@example.gov.vn"

    assert store.disable("qltnn").disabled
    reopened = UserStore(path)
    assert reopened.get("qltnn").disabled
    assert set(reopened.credentials()["usernames"]) == {"lan.anh"}
    assert reopened.verify("qltnn", PW + "x") is None  # right password, disabled account
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # still 0600 after a rewrite

    reopened.enable("qltnn")
    assert not UserStore(path).get("qltnn").disabled
    assert UserStore(path).verify("qltnn", PW + "x") is not None

    reopened.reset_password("qltnn", "Brand-new-pass-1")
    again = UserStore(path)
    assert again.verify("qltnn", PW + "x") is None
    assert again.verify("qltnn", "Brand-new-pass-1").unit == "QLTNN"
    with pytest.raises(UserError):
        again.disable("nobody")
    with pytest.raises(UserError):
        again.reset_password("qltnn", "short")


@pytest.mark.parametrize("kwargs, message", [
    (dict(username="x1", role="superuser"), "unknown role"),
    (dict(username="x2", role="unit_head"), "needs a unit"),
    (dict(username="x3", role="leader", unit="KS"), "only a unit_head"),
    (dict(username="lan.anh", role="viewer"), "already exists"),
    (dict(username="x4", role="viewer", password="seven77"), "too short"),
    (dict(username="x5", role="viewer", password="é" * 36 + "a"), "too long"),  # 73 bytes, 37 characters
    (dict(username="a", role="viewer"), "username"),
    (dict(username="bad name", role="viewer"), "username"),
    (dict(username="x6", role="viewer", email="not-an-email"), "email"),
])
def test_validation_errors(store_file, kwargs, message):
    before = store_file.read_bytes()
    args = dict(name="Tên", email="a@b.vn", password="long-enough-pw") | kwargs
    username = args.pop("username")
    with pytest.raises(UserError, match=message) as info:
        UserStore(store_file).add(username, **args)
    assert args["password"] not in str(info.value)
    assert store_file.read_bytes() == before  # nothing written


def test_72_byte_password_is_accepted(tmp_path):
    store = UserStore(tmp_path / "u.yaml")
    pw = "é" * 36  # 72 bytes
    store.add("viewer1", name="Màn hình", email="v@b.vn", role="viewer", password=pw)
    assert store.verify("viewer1", pw).role == "viewer"


# -- audit ------------------------------------------------------------------

T0 = dt.datetime(2026, 3, 2, 8, 0, 0)


@pytest.fixture
def log(tmp_path) -> AuditLog:
    return AuditLog(f"sqlite:///{tmp_path / 'nested' / 'app.sqlite'}")


def test_audit_recent_order_and_content(log, monkeypatch, auth_clock):
    log.record("login_ok", "lanhdao", at=T0)
    log.record("export", "lanhdao", "tasks.xlsx", at=T0 + dt.timedelta(minutes=5))
    log.record("denied", None, "page=data_status", at=T0 + dt.timedelta(minutes=1))
    log.record("logout", "lanhdao", "x" * 900, at=T0 + dt.timedelta(minutes=5))  # same time: later id first
    monkeypatch.setenv("IOC_AS_OF", "2030-01-01 00:00:00")       # the data's frozen clock is not the log's
    auth_clock.at = dt.datetime(2026, 3, 2, 9, 30)
    log.record("session_expired", "ks")  # at defaults to auth.clock()
    rows = log.recent()
    assert [r["event"] for r in rows] == ["session_expired", "logout", "export", "denied", "login_ok"]
    assert rows[0] == {"at": dt.datetime(2026, 3, 2, 9, 30), "username": "ks", "event": "session_expired",
                       "detail": None}
    assert rows[2] == {"at": T0 + dt.timedelta(minutes=5), "username": "lanhdao", "event": "export",
                       "detail": "tasks.xlsx"}
    assert rows[3]["username"] is None
    assert len(rows[1]["detail"]) == 500
    assert [r["event"] for r in log.recent(limit=2)] == ["session_expired", "logout"]
    assert log.last_event("lanhdao", "export") == T0 + dt.timedelta(minutes=5)
    assert log.last_event("lanhdao", "lockout") is None
    with pytest.raises(ValueError):
        log.record("hacked", "x")
    assert set(EVENTS) >= {"login_ok", "login_failed", "lockout", "logout", "export", "scope_ignored", "denied",
                           "session_expired"}
    # A second log object on the same file sees the same rows (the table is not recreated).
    assert len(AuditLog(log.url).recent()) == 5


def test_audit_failures_since(log):
    for minutes in (0, 10, 20):
        log.record("login_failed", "ks", at=T0 + dt.timedelta(minutes=minutes))
    log.record("login_failed", "other", at=T0 + dt.timedelta(minutes=15))
    log.record("login_ok", "ks", at=T0 + dt.timedelta(minutes=15))
    assert log.failures("ks", T0 + dt.timedelta(minutes=10)) == [T0 + dt.timedelta(minutes=10),
                                                                  T0 + dt.timedelta(minutes=20)]


# -- lockout ----------------------------------------------------------------

POLICY = LockoutPolicy(max_failures=5, window=dt.timedelta(minutes=15), lock=dt.timedelta(minutes=15))


def _m(minutes: float) -> dt.timedelta:
    return dt.timedelta(minutes=minutes)


def test_lockout_after_five_failures_in_the_window(log):
    for i in range(4):
        assert register_failure(log, "lanhdao", T0 + _m(i), POLICY) is None
        assert locked_until(log, "lanhdao", T0 + _m(i), POLICY) is None
    t5 = T0 + _m(4)
    assert register_failure(log, "lanhdao", t5, POLICY) == t5 + _m(15)
    assert locked_until(log, "lanhdao", t5, POLICY) == t5 + _m(15)
    assert locked_until(log, "LanhDao", t5 + dt.timedelta(minutes=14, seconds=59), POLICY) == t5 + _m(15)
    assert locked_until(log, "lanhdao", t5 + _m(15), POLICY) is None
    assert locked_until(log, "ks", t5, POLICY) is None  # per account
    # The audit log holds the burst's first failure and the lock, not one row per guess.
    events = [(r["event"], r["detail"]) for r in log.recent()]
    assert events == [("lockout", "5 failed sign-ins within 0:15:00; locked for address local"),
                      ("login_failed", "from local")]
    # After the lock, the old failures do not count again: one more failure does not relock.
    assert register_failure(log, "lanhdao", t5 + _m(15), POLICY) is None


def test_failures_spread_over_more_than_the_window_do_not_lock(log):
    for i in range(8):  # every 4 minutes: at most 4 within any 15 minutes
        assert register_failure(log, "ks", T0 + _m(4 * i), POLICY) is None
    assert locked_until(log, "ks", T0 + _m(28), POLICY) is None
    # A failure exactly `window` old no longer counts.
    for i in range(4):
        register_failure(log, "qltnn", T0 + _m(i * 5), POLICY)  # 0, 5, 10, 15
    assert register_failure(log, "qltnn", T0 + _m(16), POLICY) is None  # 0 has aged out: 4 in window
    assert register_failure(log, "qltnn", T0 + _m(17), POLICY) == T0 + _m(32)


def test_successful_sign_in_resets_the_count(log):
    for i in range(4):
        register_failure(log, "admin", T0 + _m(i), POLICY)
    register_success(log, "admin")
    assert register_failure(log, "admin", T0 + _m(5), POLICY) is None


# -- demo accounts ----------------------------------------------------------

def test_demo_users(tmp_path):
    store = UserStore(tmp_path / "users.yaml")
    assert demo_usernames_present(store) == []
    assert ensure_demo_users(store) is True
    users = {u.username: u for u in UserStore(tmp_path / "users.yaml").list()}
    assert {u: (x.role, x.unit) for u, x in users.items()} == {
        "admin": ("admin", None), "lanhdao": ("leader", None), "qltnn": ("unit_head", "QLTNN"),
        "ks": ("unit_head", "DCKS"), "trinhchieu": ("viewer", None)}
    assert {x.role for x in users.values()} == set(ROLES)
    assert all(len(d["password"]) >= 8 and d["name"] for d in DEMO_USERS)
    assert store.verify("ks", next(d["password"] for d in DEMO_USERS if d["username"] == "ks")) is not None
    before = (tmp_path / "users.yaml").read_bytes()
    assert ensure_demo_users(store) is False  # idempotent: nothing rewritten
    assert (tmp_path / "users.yaml").read_bytes() == before
    assert sorted(demo_usernames_present(store)) == sorted(users)
    store.disable("trinhchieu")
    assert "trinhchieu" in demo_usernames_present(store)  # disabled still counts for the refusal check


def test_cli_removes_a_user_and_the_demo_accounts(tmp_path):
    store = UserStore(tmp_path / "cli-users.yaml")
    ensure_demo_users(store)
    store.add("thuky", name="Đỗ Thu Kỳ", email="thuky@example.gov.vn", role="leader", password="Real-pass-2026")
    r = _cli(tmp_path, "users", "remove", "ks")
    assert (r.returncode, r.stdout) == (0, "removed ks\n")
    r = _cli(tmp_path, "users", "remove-demo")
    assert (r.returncode, r.stdout) == (0, "removed admin, lanhdao, qltnn, trinhchieu\n")
    assert [u.username for u in store.list()] == ["thuky"] and demo_usernames_present(store) == []
    assert _cli(tmp_path, "users", "remove-demo").stdout == "no demo accounts\n"
    assert _cli(tmp_path, "users", "remove", "ks").returncode == 2


# -- CLI --------------------------------------------------------------------

def test_disabling_removing_or_resetting_an_account_ends_its_sessions(tmp_path):
    from auth.sessions import SessionStore

    store = UserStore(tmp_path / "cli-users.yaml")
    store.add("thuky", name="Đỗ Thu Kỳ", email="thuky@example.gov.vn", role="leader", password="Real-pass-2026")
    store.add("vanthu", name="Lê Văn Thư", email="vanthu@example.gov.vn", role="leader", password="Real-pass-2026")
    log = AuditLog(f"sqlite:///{tmp_path / 'cli-app.sqlite'}")
    sessions = SessionStore(log)
    day = dt.timedelta(days=1)
    first = [sessions.open("thuky", T0, day, "k")[0] for _ in range(2)]
    other = sessions.open("vanthu", T0, day, "k")[0]
    r = _cli(tmp_path, "users", "disable", "thuky")
    assert (r.returncode, r.stdout) == (0, "disabled thuky\nended 2 open session(s) of thuky\n"), r.stderr
    assert [sessions.get(s)["end_reason"] for s in first] == ["account_disabled"] * 2
    assert sessions.get(other)["ended_at"] is None
    r = _cli(tmp_path, "users", "reset-password", "vanthu", "--password-stdin", stdin="Another-pass-2026\n")
    assert r.stdout.endswith("ended 1 open session(s) of vanthu\n") and sessions.get(other)["end_reason"] == "password_reset"
    again = sessions.open("vanthu", T0, day, "k")[0]
    assert _cli(tmp_path, "users", "remove", "vanthu").returncode == 0
    assert sessions.get(again)["end_reason"] == "account_removed"
    audit = [(r["event"], r["username"], r["detail"]) for r in log.recent()]
    assert ("session_ended", "thuky", "2 session(s): account disabled") in audit
    assert ("session_ended", "vanthu", "1 session(s): password reset") in audit
    log.dispose()


def _cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env["IOC_USERS_FILE"] = str(tmp_path / "cli-users.yaml")
    units_db = tmp_path / "units.sqlite"
    if not units_db.exists():                          # the units a unit head may be bound to
        from tests.builders import Rows

        rows = Rows.new_sqlite(units_db)
        rows.unit("KS", "Cục Khoáng sản Việt Nam")
        rows.close()
    env["IOC_PROCEDURES_URL"] = f"sqlite:///{units_db}"
    env["IOC_APP_DB_URL"] = f"sqlite:///{tmp_path / 'cli-app.sqlite'}"
    return subprocess.run([sys.executable, "-m", "auth", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


def test_cli_add_list_disable_and_errors(tmp_path):
    secret = "Cli-secret-pw-42"
    r = _cli(tmp_path, "users", "add", "Thu.Ky", "--name", "Đỗ Thu Kỳ", "--email", "thuky@example.gov.vn",
             "--role", "unit_head", "--unit", "KS", "--password-stdin", stdin=secret + "\n")
    assert r.returncode == 0, r.stderr
    assert secret not in r.stdout + r.stderr and "$2" not in r.stdout + r.stderr
    store = UserStore(tmp_path / "cli-users.yaml")
    assert store.verify("thu.ky", secret).unit == "KS"  # newline stripped, nothing else

    r = _cli(tmp_path, "users", "list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["username", "name", "role", "unit", "disabled"]
    assert "thu.ky" in r.stdout and "Đỗ Thu Kỳ" in r.stdout and "unit_head" in r.stdout
    assert "$2" not in r.stdout and secret not in r.stdout and "password" not in r.stdout
    assert lines[1].split()[-1] == "no"

    r = _cli(tmp_path, "users", "disable", "thu.ky")
    assert r.returncode == 0, r.stderr
    assert store.get("thu.ky").disabled
    assert _cli(tmp_path, "users", "list").stdout.splitlines()[1].split()[-1] == "yes"

    r = _cli(tmp_path, "users", "add", "other", "--name", "X", "--email", "x@y.vn", "--role", "boss",
             "--password-stdin", stdin=secret + "\n")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "role" in r.stderr
    assert r.stdout == "" and secret not in r.stderr
    assert store.get("other") is None

    for args, stdin in (
        (("users", "add", "other", "--name", "X", "--email", "x@y.vn", "--role", "viewer", "--password-stdin"),
         "tiny1\n"),
        (("users", "enable", "nobody"), ""),
        (("users", "add", "other", "--name", "X", "--email", "x@y.vn", "--role", "unit_head", "--unit", "NOPE",
          "--password-stdin"), "Long-enough-pw-1\n"),
        (("users", "frobnicate"), ""),
        (("users", "add", "other", "--role", "viewer"), ""),
    ):
        r = _cli(tmp_path, *args, stdin=stdin)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "tiny1" not in r.stderr  # the password itself is never echoed


def test_cli_lists_and_ends_open_sessions(tmp_path):
    import auth as auth_pkg
    from auth.sessions import SessionStore

    log = AuditLog(f"sqlite:///{tmp_path / 'cli-app.sqlite'}")
    now = auth_pkg.clock()
    sessions = SessionStore(log)
    sid = sessions.open("thuky", now, dt.timedelta(hours=12), "k", address="10.0.0.8")[0]
    r = _cli(tmp_path, "sessions", "list")
    assert r.returncode == 0, r.stderr
    header, row = r.stdout.splitlines()
    assert header.split()[:2] == ["username", "signed"] and row.split()[0] == "thuky" and row.endswith("10.0.0.8")
    r = _cli(tmp_path, "sessions", "end", "ThuKy")
    assert (r.returncode, r.stdout) == (0, "ended 1 open session(s) of thuky\n")
    assert sessions.get(sid)["end_reason"] == "ended_by_admin"
    assert _cli(tmp_path, "sessions", "list").stdout == "no open session\n"
    assert _cli(tmp_path, "sessions", "end", "no such name!").returncode == 2
    log.dispose()
