"""Test databases: every SQL test runs on SQLite, PostgreSQL and MariaDB.

PostgreSQL and MariaDB are used when reachable (127.0.0.1:5432 and 127.0.0.1:3306,
database `test`, or IOC_TEST_POSTGRES_URL / IOC_TEST_MARIADB_URL); when one is not, its tests are skipped and the summary says so. With
IOC_REQUIRE_ENGINES=1 (set by `.ci/run`) an unreachable engine fails the run instead.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter

import pytest
import sqlalchemy as sa

from data_access import db as dbmod
from data_access.db import Sources
from data_access.schema import METADATA

from .builders import D, Rows, create_tables

SERVER_URLS = {
    "postgresql": os.environ.get("IOC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("IOC_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}
ENGINES = ("sqlite", "postgresql", "mariadb")
REQUIRE_ENGINES = os.environ.get("IOC_REQUIRE_ENGINES") == "1"

_reachable: dict[str, str | None] = {}
_outcomes: Counter = Counter()


def _unreachable_reason(name: str) -> str | None:
    if name not in _reachable:
        try:
            engine = sa.create_engine(SERVER_URLS[name], connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            engine.dispose()
            _reachable[name] = None
        except Exception as exc:  # any failure means "not usable here"
            _reachable[name] = f"{name} at {SERVER_URLS[name]} unreachable: {str(exc).splitlines()[0][:160]}"
    return _reachable[name]


def server_url(name: str) -> str:
    """The test database of a server engine; skipped when it cannot be reached (a failure
    when IOC_REQUIRE_ENGINES=1, as in CI)."""
    reason = _unreachable_reason(name)
    if reason:
        if REQUIRE_ENGINES:
            pytest.fail(f"IOC_REQUIRE_ENGINES=1 but {reason}")
        pytest.skip(reason)
    return SERVER_URLS[name]


@pytest.fixture(scope="session", params=ENGINES)
def engine_url(request, tmp_path_factory):
    """A database with the three sources' tables, one per engine, for the whole session."""
    name = request.param
    if name == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'sources.sqlite'}"
    else:
        url = server_url(name)
    create_tables(url, drop_first=True)
    yield url
    engine = sa.create_engine(url)
    for metadata in METADATA.values():
        metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def rows(engine_url) -> Rows:
    """Empty tables and a builder to insert hand-made rows into them."""
    from data_access import organisation

    builder = Rows(engine_url)
    builder.clear()
    organisation.forget()              # the organisation is cached per URL: these are new rows
    yield builder
    builder.close()
    dbmod.dispose_all()


@pytest.fixture
def sqlite_rows(tmp_path) -> Rows:
    """A SQLite-only database, for what only SQLite can hold (free-text timestamps)."""
    builder = Rows.new_sqlite(tmp_path / "sqlite_only.sqlite")
    yield builder
    builder.close()
    dbmod.dispose_all()


@pytest.fixture
def sources(rows) -> Sources:
    """The three sources, read-only, all pointing at the test database."""
    return Sources.single(rows.url)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    callspec = getattr(item, "callspec", None)
    engine = callspec.params.get("engine_url") if callspec else None
    if engine:
        outcome.get_result().user_properties.append(("engine", engine))


def pytest_runtest_logreport(report):
    engine = dict(report.user_properties).get("engine")
    if engine and (report.when == "call" or (report.when == "setup" and report.outcome != "passed")):
        _outcomes[(engine, report.outcome)] += 1


def pytest_terminal_summary(terminalreporter):
    if not _outcomes:
        return
    terminalreporter.section("SQL tests per database engine")
    for engine in ENGINES:
        passed = _outcomes[(engine, "passed")]
        failed = _outcomes[(engine, "failed")]
        skipped = _outcomes[(engine, "skipped")]
        line = f"{engine:<11} passed {passed:>4}  failed {failed:>4}  skipped {skipped:>4}"
        if engine != "sqlite" and _reachable.get(engine):
            line += f"   SKIPPED: {_reachable[engine]}"
        terminalreporter.write_line(line)
    if any(_reachable.get(e) for e in ENGINES):
        terminalreporter.write_line(
            "Some SQL tests did not run on every engine (server unreachable); CI requires all three."
        )
    elif all(_outcomes[(e, "passed")] for e in ENGINES) and not any(
        _outcomes[(e, o)] for e in ENGINES for o in ("failed", "skipped")
    ):
        terminalreporter.write_line("Every SQL test ran on SQLite, PostgreSQL and MariaDB.")


APP_AS_OF = "2026-06-20 14:30:00"
TEST_PASSWORD = "Thu-nghiem-2026"
# Test accounts (not the demo ones: the app refuses demo accounts on real databases).
TEST_USERS = {
    "root": ("admin", None, "Quản trị viên"),
    "lead": ("leader", None, "Thứ trưởng Trần Văn Minh"),
    "heada": ("unit_head", "A", "Vụ trưởng Lê Thị Hạnh"),
    "headb": ("unit_head", "B", "Cục trưởng Phạm Văn Đức"),
    "screen": ("viewer", None, "Màn hình phòng họp"),
}


@pytest.fixture(scope="session")
def users_file(tmp_path_factory):
    """A users file with one account of every role (hashed once per test session)."""
    from auth.users import UserStore

    path = tmp_path_factory.mktemp("users") / "users.yaml"
    store = UserStore(path)
    for username, (role, unit, name) in TEST_USERS.items():
        store.add(username, name=name, email=f"{username}@example.gov.vn", role=role, unit=unit,
                  password=TEST_PASSWORD)
    return path


def app_test(username: str | None = "lead", page: str | None = None):
    """An AppTest of app.py, already signed in as `username` (None: not signed in).

    The signed-in state is what the sign-in form leaves in the server-side session; the
    form itself is tested in tests/test_signin.py."""
    from streamlit.testing.v1 import AppTest

    from data_access.settings import PROJECT_ROOT

    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    if username:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = TEST_USERS[username][2]
        at.session_state["_session"] = open_session(username)
    return at


def open_session(username: str, lifetime: dt.timedelta = dt.timedelta(days=3650)) -> str:
    """A session of `username` in the app's own database, as the sign-in form opens it
    (without the password fingerprint: a test may reset the password itself)."""
    import auth
    from auth.audit import shared
    from auth.sessions import SessionStore

    sid, _ = SessionStore(shared(str(auth.config("app_db_url")))).open(username, auth.clock(), lifetime, "test-key")
    return sid


class Clock:
    """The sign-in clock (`auth.clock`), set by the test: `clock.at = datetime`."""

    def __init__(self, at: dt.datetime):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def auth_clock(monkeypatch) -> Clock:
    """Sessions, throttling and the audit log run on the real clock (`auth.clock`), not the
    data's frozen one; this fixture stops it at APP_AS_OF for the test to move."""
    import auth

    clock = Clock(dt.datetime.fromisoformat(APP_AS_OF))
    monkeypatch.setattr(auth, "clock", clock)
    return clock


@pytest.fixture
def app_db(tmp_path, monkeypatch, users_file):
    """A small SQLite database for AppTest runs of the pages, the clock frozen at
    APP_AS_OF, the app's caches emptied before and after."""
    from ui import data

    rows = Rows.new_sqlite(tmp_path / "app.sqlite")
    url = rows.url
    rows.unit("A", "Vụ Pháp chế", name_en="Department of Legal Affairs")
    rows.unit("B", "Cục Khoáng sản Việt Nam", name_en="Viet Nam Department of Minerals")
    rows.procedure("P1", unit_code="A", name_vi="Cấp giấy phép môi trường", name_en="Environmental permit")
    rows.procedure("P2", unit_code="B", field="minerals", legal_days=45,
                   name_vi="Cấp giấy phép thăm dò khoáng sản", name_en="Mineral exploration licence")
    for day in range(1, 21):
        finished = D(2026, 3, day, 9) + dt.timedelta(days=day % 7)
        rows.dossier(D(2026, 3, day, 9), due_at=D(2026, 3, day, 9) + dt.timedelta(days=4),
                     finished_at=finished if day % 5 else None, channel="online" if day % 3 else "in_person",
                     rating=5 if day % 4 else 2)
    for day in range(1, 6):
        rows.dossier(D(2026, 4, day, 9), due_at=D(2026, 5, day, 9), unit_code="B", procedure_code="P2",
                     finished_at=D(2026, 5, day + 2, 9) if day % 2 else None, fee_amount=1_000_000,
                     paid_online=bool(day % 2))
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 3, 1), D(2026, 2, 20, 9), title_vi="Báo cáo tình hình thực hiện Nghị quyết 01/NQ-CP",
              title_en="Report on Resolution 01/NQ-CP")
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 5, 1), None, lead_unit_code="B", source="prime_minister", ref="05/CT-TTg",
              title_vi="Xử lý vướng mắc về đấu giá quyền khai thác khoáng sản", title_en="Resolve obstacles in mineral auctions")
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 6, 24), None, category="legal_document", progress_pct=60,
              title_vi="Xây dựng Nghị định quy định chi tiết Luật Địa chất và khoáng sản",
              title_en="Draft the decree detailing the Law on Geology and Minerals")
    rows.movement(1, 2026)
    rows.movement(2, 2025)
    rows.block(1, 1, "A", "B")
    rows.block(2, 2, "A", "B")
    rows.criterion(1, 1, 60)
    rows.criterion(2, 1, 40, metric="tasks.on_time_rate", content_no=4)
    rows.criterion(3, 2, 100)
    rows.evaluation(1, "A", 1, "H1", 55)
    rows.evaluation(1, "B", 1, "H1", 50)
    rows.evaluation(1, "A", 1, "FY", 58)
    rows.evaluation(2, "A", 3, "FY", 80)
    rows.evaluation(2, "B", 3, "FY", 90)
    rows.award(dt.date(2026, 1, 15), "emulation_flag", unit_code="A", movement_id=2)
    rows.award(dt.date(2026, 1, 15), "advanced_worker", unit_code="B", recipient_kind="individual",
               recipient_name="Nguyễn Thị Lan", movement_id=2)
    rows.close()
    for source in ("PROCEDURES", "TASKS", "EMULATION"):
        monkeypatch.setenv(f"IOC_{source}_URL", url)
    monkeypatch.setenv("IOC_AS_OF", APP_AS_OF)
    users_copy = tmp_path / "users.yaml"
    users_copy.write_bytes(users_file.read_bytes())
    monkeypatch.setenv("IOC_USERS_FILE", str(users_copy))
    monkeypatch.setenv("IOC_APP_DB_URL", f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    monkeypatch.setenv("IOC_COOKIE_KEY", "test-cookie-key-not-the-default-0123456789")
    data.clear_caches()
    dbmod.dispose_all()
    yield url
    data.clear_caches()
    dbmod.dispose_all()
