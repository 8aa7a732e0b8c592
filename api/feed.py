"""What the feed answers, apart from HTTP: the report contract's text for a request's
arguments, checked by the command line's rules and computed once per process.

- `parse(query)` turns the query string into `Request` arguments by the rules of
  `python -m data_access kpis` (its own parse functions and messages), or raises
  `BadArgument`;
- `rendered(...)` is the contract's JSON and CSV text, exactly as `report.to_json` /
  `report.to_csv` print them for `report.compute` of the same arguments, with their
  ETags. It is one of the pages' shared computations (`ui.data.live`): fifty clients
  asking for the same period at once cause the sources' queries of one, and a page and a
  client share the same store;
- `render(sources, ...)` is the function that computation runs (the tests call it on
  PostgreSQL and MariaDB);
- `QueryCounter` counts the statements each source received (health, the benchmark).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass

import sqlalchemy as sa

from data_access import report, settings
from data_access.cli import BadArgument, parse_date, parse_moment
from data_access.db import Sources
from data_access.model import Period, Scope
from data_access.organisation import STRUCTURES
from data_access.schema import units as U

PARAMETERS = ("from", "to", "as_of", "unit", "structure", "by")


@dataclass(frozen=True)
class Request:
    start: dt.date
    end: dt.date
    as_of: dt.datetime | None          # None: now (the pages' minute), stale-while-revalidate
    unit: str | None
    structure: str
    by: str | None


def parse(query) -> Request:
    """The arguments of a `/api/v1/kpis` query string (a multi-dict), by the command line's
    rules: `from`/`to` required YYYY-MM-DD, `from` not after `to`, `as_of` "YYYY-MM-DD
    HH:MM[:SS]" (or with a T), `unit` a code, `structure` current|historical, `by` unit."""
    for key in query.keys():
        if key not in PARAMETERS:
            raise BadArgument(f"unknown parameter {key!r}; known: {', '.join(PARAMETERS)}")
        if len(query.getlist(key)) > 1:
            raise BadArgument(f"parameter {key!r} given more than once")
    for key in ("from", "to"):
        if key not in query:
            raise BadArgument(f"parameter {key!r} is required (YYYY-MM-DD)")
    start, end = parse_date(query["from"]), parse_date(query["to"])
    if start > end:
        raise BadArgument(f"--from {start} is after --to {end}")
    as_of = parse_moment(query["as_of"]) if "as_of" in query else None
    unit = query.get("unit")
    if unit is not None and not unit.strip():
        raise BadArgument("--unit needs a unit code")
    structure = query.get("structure", "current")
    if structure not in STRUCTURES:
        raise BadArgument(f"structure must be one of {', '.join(STRUCTURES)}, not {structure!r}")
    by = query.get("by")
    if by is not None and by != "unit":
        raise BadArgument(f"by must be 'unit', not {by!r}")
    return Request(start, end, as_of, unit, structure, by)


@dataclass(frozen=True)
class Rendered:
    json: bytes
    csv: bytes
    json_etag: str
    csv_etag: str


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def render(sources: Sources, start: dt.date, end: dt.date, unit: str | None, structure: str, by: str | None,
           as_of: dt.datetime) -> Rendered:
    """The contract for these arguments, as the command line computes and prints it (its
    scope unresolved, as `run_kpis` passes it)."""
    scope = Scope.of_unit(unit, structure) if unit else Scope.ministry(structure)
    result = report.compute(sources, Period(start, end), as_of, scope, by=by)
    text = report.to_json(result).encode("utf-8")
    table = report.to_csv(result).encode("utf-8")
    return Rendered(text, table, _etag(text), _etag(table))


def known_unit_codes(sources: Sources) -> frozenset[str]:
    """Every code of the `units` table: the command line's test of `--unit`."""
    return frozenset(r[0] for r in sources.procedures.execute(sa.select(U.c.code), limit=None))


# --- the shared store's entries (built on first use: nothing at import) --------------------
_SHARED: dict[str, object] = {}
_SHARED_LOCK = threading.Lock()


def _shared():
    with _SHARED_LOCK:
        if not _SHARED:
            from ui import data

            # `pinned` is the as-of moment a client named, part of the key: a client asking
            # for a moment gets exactly that moment. Without it, the as-of is the pages' "now"
            # minute and the store serves the last figures while it refreshes them.
            def api_kpis(start, end, unit_code, structure_name, by, pinned, *, as_of):
                return render(data.sources(), start, end, unit_code, structure_name, by, as_of)

            def api_units():
                return known_unit_codes(data.sources())

            _SHARED["kpis"] = data.live(api_kpis)
            _SHARED["units"] = data.live(api_units)
            _SHARED["data"] = data
        return _SHARED


def rendered(req: Request):
    """The shared store's Outcome for `req`: `.value` a `Rendered`, or `.failed_source`."""
    shared = _shared()
    data = shared["data"]
    as_of = req.as_of if req.as_of is not None else data.as_of_now()
    pinned = req.as_of.isoformat(sep=" ") if req.as_of is not None else None
    return shared["kpis"].within(req.start, req.end, req.unit, req.structure, req.by, pinned, as_of=as_of)


def known_units():
    """The shared store's Outcome of every unit code (refreshed every cache_ttl_seconds)."""
    return _shared()["units"].within()


def sources() -> Sources:
    return _shared()["data"].sources()


# --- counting the statements each source receives --------------------------------------------
class QueryCounter:
    """Counts every statement sent through any SQLAlchemy engine of the process, by the
    source whose URL the engine has (the app's own database is not a source)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {s: 0 for s in settings.SOURCE_NAMES}
        self._names: dict[str, str | None] = {}
        self._lock = threading.Lock()
        self._installed = False
        self._local = threading.local()

    def quiet(self):
        """A context in which this thread's statements are not counted (health's own pings)."""
        counter = self

        class _Quiet:
            def __enter__(self):
                counter._local.quiet = True

            def __exit__(self, *_exc):
                counter._local.quiet = False

        return _Quiet()

    def install(self) -> None:
        with self._lock:
            if not self._installed:
                sa.event.listen(sa.engine.Engine, "before_cursor_execute", self._count)
                self._installed = True

    def _source_of(self, url: sa.URL) -> str | None:
        key = url.render_as_string(hide_password=False)
        if key not in self._names:
            name = None
            for source in settings.SOURCE_NAMES:
                try:
                    if sa.make_url(settings.source_url(source)).render_as_string(hide_password=False) == key:
                        name = source
                        break
                except sa.exc.ArgumentError:
                    continue
            self._names[key] = name
        return self._names[key]

    def _count(self, conn, _cursor, _statement, _params, _context, _many) -> None:
        if getattr(self._local, "quiet", False):
            return
        source = self._source_of(conn.engine.url)
        if source is not None:
            with self._lock:
                self.counts[source] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counts)


COUNTER = QueryCounter()
