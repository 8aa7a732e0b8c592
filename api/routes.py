"""The HTTP routes of the feed under `/api/v1/`, served beside the app by `serve.py`
(Streamlit's own sign-in does not protect them: every call carries a client's bearer
token, `auth.clients`).

Every answer is JSON (CSV for `kpis.csv`), errors too: `{"status", "error", "message"}`,
with `source` on a 503 and `retry_after` on a 429. Every call is recorded (`api.calls`).
The work that blocks (the app's database, the sources) runs in Starlette's thread pool.
"""

from __future__ import annotations

import json
import math
import threading
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import auth
from auth.audit import shared
from auth.clients import Client, ClientStore
from data_access import catalogue, settings
from data_access.cli import BadArgument
from data_access.settings import SettingError

from . import calls, feed, openapi

PREFIX = "/api/v1"
JSON = "application/json; charset=utf-8"
CSV = "text/csv; charset=utf-8"
_BASE_HEADERS = {"X-Content-Type-Options": "nosniff", "Vary": "Authorization"}


def _log():
    return shared(str(auth.config("app_db_url")))


_STATE: dict[str, Any] = {}
_STATE_LOCK = threading.Lock()


def _recorder() -> calls.Recorder:
    with _STATE_LOCK:
        if "recorder" not in _STATE:
            _STATE["recorder"] = calls.Recorder(_log())
        return _STATE["recorder"]


def _clients() -> ClientStore:
    with _STATE_LOCK:
        if "clients" not in _STATE:
            _STATE["clients"] = ClientStore(_log())
        return _STATE["clients"]


# --- the per-client rate limit: a token bucket of api_rate_per_minute -------------------------
class RateLimiter:
    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}     # client → (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, client: str, per_minute: int) -> int:
        """0 when the call may go ahead, else the seconds to wait."""
        if per_minute <= 0:
            return 0
        moment = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(per_minute), moment))
            tokens = min(float(per_minute), tokens + (moment - last) * per_minute / 60.0)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, moment)
                return 0
            self._buckets[client] = (tokens, moment)
            return max(1, math.ceil((1.0 - tokens) * 60.0 / per_minute))


LIMITER = RateLimiter()


class Refusal(Exception):
    def __init__(self, status: int, error: str, message: str, **extra: Any):
        super().__init__(message)
        self.status, self.error, self.message, self.extra = status, error, message, extra


def _body(status: int, error: str, message: str, **extra: Any) -> bytes:
    return (json.dumps({"status": status, "error": error, "message": message, **extra}, ensure_ascii=False)
            + "\n").encode("utf-8")


def _error(refusal: Refusal) -> Response:
    headers = {**_BASE_HEADERS, "Cache-Control": "no-store"}
    if refusal.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="ioc-api"'
    if refusal.status == 429:
        headers["Retry-After"] = str(refusal.extra["retry_after"])
    return Response(_body(refusal.status, refusal.error, refusal.message, **refusal.extra), status_code=refusal.status,
                    media_type=JSON, headers=headers)


def _authenticate(request: Request) -> Client:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise Refusal(401, "unauthorized", "no token: send 'Authorization: Bearer <token>'")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refusal(401, "unauthorized", "the Authorization header must be 'Bearer <token>'")
    client = _clients().by_token(token.strip())
    if client is None:
        raise Refusal(401, "unauthorized", "unknown token")
    why = client.refusal(auth.clock().date())
    if why is not None:
        raise Refusal(401, "unauthorized", f"the token is {why}")
    return client


def _limit(client: Client) -> None:
    wait = LIMITER.take(client.name, int(settings.get("api_rate_per_minute")))
    if wait:
        raise Refusal(429, "rate_limited", f"over {settings.get('api_rate_per_minute')} requests a minute; "
                      f"try again in {wait} s", retry_after=wait)


def _matches(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match")
    if not wanted:
        return False
    tags = [t.strip() for t in wanted.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


def _cache_control() -> str:
    # Private: each client's answer depends on its token. Figures move on each minute.
    return f"private, max-age={max(0, int(settings.get('refresh_seconds')))}, must-revalidate"


def _answer(request: Request, body: bytes, media: str, etag: str) -> Response:
    headers = {**_BASE_HEADERS, "ETag": etag, "Cache-Control": _cache_control()}
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


# --- the endpoints (run in the thread pool) ------------------------------------------------
def _kpis(request: Request, client: Client, csv: bool) -> Response:
    try:
        req = feed.parse(request.query_params)
    except BadArgument as exc:
        raise Refusal(400, "bad_parameter", str(exc)) from None
    if client.unit is not None:
        if req.unit is not None and req.unit != client.unit:
            raise Refusal(403, "forbidden", f"this client may read unit {client.unit} only, not {req.unit!r}")
        req = feed.Request(req.start, req.end, req.as_of, client.unit, req.structure, req.by)
    if req.unit is not None:
        known = feed.known_units()
        if not known.ok:
            raise _unavailable(known)
        if req.unit not in known.value:
            raise Refusal(400, "bad_parameter", f"unknown unit {req.unit!r}")
    outcome = feed.rendered(req)
    if not outcome.ok:
        raise _unavailable(outcome)
    got = outcome.value
    return _answer(request, got.csv if csv else got.json, CSV if csv else JSON, got.csv_etag if csv else got.json_etag)


_FAULTS = {"unreachable": "cannot be reached", "config": "is not configured usably",
           "schema": "lacks part of the reporting schema", "timeout": "took longer than the query time limit",
           "query": "failed a query"}


def _unavailable(outcome) -> Refusal:
    source = outcome.failed_source
    # The fault's kind only: a driver's message can name hosts and users.
    return Refusal(503, "source_unavailable",
                   f"the {source} database {_FAULTS.get(outcome.fault or 'query', 'failed')}; try again later",
                   source=source)


def catalogue_body() -> bytes:
    entries = [{"id": k.id, "name_vi": k.name_vi, "name_en": k.name_en, "unit": k.unit, "better": k.better,
                "target": k.target, "amber": k.amber, "definition_vi": k.definition_vi,
                "definition_en": k.definition_en} for k in catalogue.get()]
    return (json.dumps({"kpis": entries}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _catalogue(request: Request, _client: Client) -> Response:
    body = catalogue_body()
    return _answer(request, body, JSON, feed._etag(body))


def _openapi(request: Request, _client: Client) -> Response:
    body = (json.dumps(openapi.document(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return _answer(request, body, JSON, feed._etag(body))


def health_body() -> tuple[int, dict]:
    """Each source's reachability (one ping), the app database's; never a URL or message."""
    from data_access.db import SourceError

    counts = feed.COUNTER.snapshot()
    found: dict[str, dict] = {}
    for db in feed.sources():
        entry: dict[str, Any] = {}
        started = time.perf_counter()
        try:
            entry["dialect"] = db.dialect
            with feed.COUNTER.quiet():
                db.ping()
            entry = {"reachable": True, **entry}
        except SourceError as exc:
            entry = {"reachable": False, "fault": exc.kind, **entry}
        entry["ms"] = round((time.perf_counter() - started) * 1000, 1)
        entry["queries"] = counts.get(db.name, 0)
        found[db.name] = entry
    try:
        with _log().engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        app_db = {"reachable": True}
    except Exception:                                   # its kind is not a client's business
        app_db = {"reachable": False}
    ok = all(e["reachable"] for e in found.values())
    from data_access.model import now

    return (200 if ok else 503), {"status": "ok" if ok else "degraded", "checked_at": now().isoformat(sep=" "),
                                  "sources": found, "app_database": app_db}


def _health(_request: Request, _client: Client) -> Response:
    status, body = health_body()
    return Response((json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), status_code=status,
                    media_type=JSON, headers={**_BASE_HEADERS, "Cache-Control": "no-store"})


def _serve(request: Request, handler) -> tuple[Response, str | None]:
    client: Client | None = None
    try:
        client = _authenticate(request)
        _limit(client)
        return handler(request, client), client.name
    except Refusal as refusal:
        return _error(refusal), client.name if client is not None else None
    except SettingError as exc:                          # a bad setting: say which, as the command lines do
        return _error(Refusal(503, "source_unavailable", f"the server's settings: {exc}")), \
            client.name if client is not None else None


def _endpoint(handler):
    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        response, who = await run_in_threadpool(_serve, request, handler)
        ms = int((time.perf_counter() - started) * 1000)
        params = str(request.url.query)
        try:
            _recorder().record(who, request.method, request.url.path, params, response.status_code,
                               len(response.body or b""), ms)
        except Exception:                                # recording must never fail the answer
            pass
        return response
    return endpoint


ENDPOINTS = ("kpis", "kpis.csv", "catalogue", "openapi.json", "health")


async def _not_found(request: Request) -> Response:
    if request.url.path.removeprefix(PREFIX + "/") in ENDPOINTS:
        response = _error(Refusal(405, "method_not_allowed", f"{request.method} is not allowed here: GET only"))
        response.headers["Allow"] = "GET, HEAD"
        return response
    return _error(Refusal(404, "not_found", f"no such endpoint: {request.url.path}"))


def routes() -> list[Route]:
    feed.COUNTER.install()
    return [
        Route(f"{PREFIX}/kpis", _endpoint(lambda r, c: _kpis(r, c, csv=False)), methods=["GET"]),
        Route(f"{PREFIX}/kpis.csv", _endpoint(lambda r, c: _kpis(r, c, csv=True)), methods=["GET"]),
        Route(f"{PREFIX}/catalogue", _endpoint(_catalogue), methods=["GET"]),
        Route(f"{PREFIX}/openapi.json", _endpoint(_openapi), methods=["GET"]),
        Route(f"{PREFIX}/health", _endpoint(_health), methods=["GET"]),
        Route(PREFIX + "/{rest:path}", _not_found, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
    ]


def flush() -> None:
    """Wait until every call answered so far is in the audit table."""
    _recorder().flush()
