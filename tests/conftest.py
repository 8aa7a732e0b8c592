"""Test databases: every SQL test runs on SQLite, PostgreSQL and MariaDB.

PostgreSQL and MariaDB are used when reachable (see DEVELOPERS.md for the servers);
when one is not, its tests are skipped and the summary says so. With
IOC_REQUIRE_ENGINES=1 (set by `.ci/run`) an unreachable engine fails the run instead.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import sqlalchemy as sa

from data_access import db as dbmod
from data_access.db import Sources
from data_access.schema import METADATA

from .builders import Rows, create_tables

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


@pytest.fixture(scope="session", params=ENGINES)
def engine_url(request, tmp_path_factory):
    """A database with the three sources' tables, one per engine, for the whole session."""
    name = request.param
    if name == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'sources.sqlite'}"
    else:
        reason = _unreachable_reason(name)
        if reason:
            if REQUIRE_ENGINES:
                pytest.fail(f"IOC_REQUIRE_ENGINES=1 but {reason}")
            pytest.skip(reason)
        url = SERVER_URLS[name]
    create_tables(url, drop_first=True)
    yield url
    engine = sa.create_engine(url)
    for metadata in METADATA.values():
        metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def rows(engine_url) -> Rows:
    """Empty tables and a builder to insert hand-made rows into them."""
    builder = Rows(engine_url)
    builder.clear()
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
