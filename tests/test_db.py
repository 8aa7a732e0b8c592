"""The source door: read-only sessions, a statement time limit, errors that name the source."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from data_access import db as dbmod
from data_access.db import Database, QueryFailed, SourceUnavailable
from data_access.schema import units

LONG_QUERY = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT COUNT(*) FROM c",
    "postgresql": "SELECT COUNT(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
    # MariaDB caps recursive CTEs at 1,000 rounds: a cross join is the slow query there.
    "mysql": "SELECT COUNT(*) FROM information_schema.columns a, information_schema.columns b, information_schema.columns c",
}


def test_a_query_past_the_time_limit_is_stopped(rows, monkeypatch):
    monkeypatch.setenv("IOC_QUERY_TIMEOUT_SECONDS", "1")
    dbmod.dispose_all()
    source = Database("tasks", rows.url)
    started = time.monotonic()
    with pytest.raises(QueryFailed) as failure:
        source.execute(sa.text(LONG_QUERY[source.dialect]))
    assert time.monotonic() - started < 20
    assert failure.value.source == "tasks"


def test_sources_are_read_only(rows):
    rows.unit("A")
    source = Database("procedures", rows.url)
    with pytest.raises(QueryFailed):
        source.execute(units.insert().values(code="B", name_vi="B"))
    assert source.scalar(sa.select(sa.func.count()).select_from(units)) == 1


def test_engines_are_created_lazily_and_once(rows):
    dbmod.dispose_all()
    source = Database("emulation", rows.url)
    assert source._engine is None                       # nothing opened by construction
    source.ping()
    assert Database("emulation", rows.url).engine is source.engine


def test_unit_codes_are_bound_not_spliced(rows, sources):
    rows.unit("A")
    evil = "x' OR '1'='1"
    stmt = sa.select(sa.func.count()).select_from(units).where(units.c.code == sa.literal(evil, sa.String))
    assert sources.procedures.scalar(stmt) == 0


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:1/test",
    "mysql+pymysql://root@127.0.0.1:1/test",
    "sqlite:////nonexistent/folder/none.sqlite",
])
def test_an_unreachable_source_is_named(url):
    with pytest.raises(SourceUnavailable) as failure:
        Database("emulation", url).ping()
    assert failure.value.source == "emulation"
    assert str(failure.value).startswith("emulation: ")
