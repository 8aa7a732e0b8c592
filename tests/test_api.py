"""The KPI feed under /api/v1/: real HTTP against one `streamlit run serve.py` started for
this module on freshly generated demo data (its own folder and app database, a frozen
clock), clients made with `python -m auth clients`. Every endpoint, every error status, a
unit client asking for another unit, a revoked and an expired token, ETag revalidation,
the JSON and CSV byte for byte as the command line prints them; and the function the
route runs, byte for byte against the command line on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from data_access.settings import PROJECT_ROOT

from .builders import D

PORTS = range(8701, 8710)
AS_OF = "2026-06-20 14:30:00"
RATE = 40                       # the server's api_rate_per_minute: a burst a test can exceed
PERIOD = "from=2026-01-01&to=2026-06-14"
_DIE_WITH_PARENT = ["setpriv", "--pdeathsig", "TERM", "--"] if shutil.which("setpriv") else []


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env.update(IOC_DATA_DIR=str(folder), IOC_AS_OF=AS_OF, IOC_CACHE_TTL_SECONDS="7200",
               IOC_API_RATE_PER_MINUTE=str(RATE), IOC_WARM_SECONDS="0")
    return env


def _port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8701-8709")


def _cli(folder: Path, *args: str, module: str = "auth") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=PROJECT_ROOT, env=_env(folder),
                          capture_output=True, text=True, timeout=120, check=False)


def _printed(folder: Path, *args: str) -> bytes:
    """What `python -m data_access kpis ...` writes on stdout, its bytes untranslated."""
    done = subprocess.run([sys.executable, "-m", "data_access", "kpis", *args], cwd=PROJECT_ROOT, env=_env(folder),
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Feed:
    def __init__(self, base: str, folder: Path, tokens: dict[str, str]):
        self.base, self.folder, self.tokens = base, folder, tokens

    def get(self, path: str, token: str | None = "gov", headers: dict | None = None):
        """(status, headers, body bytes) of GET base+path with the named client's token."""
        request = urllib.request.Request(self.base + path, headers=dict(headers or {}))
        if token is not None:
            request.add_header("Authorization", f"Bearer {self.tokens.get(token, token)}")
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()

    def json(self, path: str, token: str | None = "gov", status: int = 200, **kw):
        code, headers, body = self.get(path, token, **kw)
        assert code == status, body
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(body)


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api_demo")
    done = _cli(folder, "init-demo", module="data_access")
    assert done.returncode == 0, done.stderr[-2000:]
    port = _port()
    log = folder / "server.log"
    # The server starts while the clients are made: it reads them per request.
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [*_DIE_WITH_PARENT, sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=PROJECT_ROOT, env=_env(folder), stdout=out,
            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        # One client through the command line, the others in one process by the same store.
        made = _cli(folder, "clients", "add", "gov", "--scope", "ministry")
        assert made.returncode == 0 and made.stdout.count("\n") == 1, made.stderr
        tokens = {"gov": made.stdout.strip()}
        script = (
            "import datetime as dt, json, auth\n"
            "from auth.audit import AuditLog\n"
            "from auth.clients import ClientStore\n"
            "store = ClientStore(AuditLog(str(auth.config('app_db_url'))))\n"
            "made = {n: store.add(n, s, e, auth.clock())[1] for n, s, e in ("
            "('vp', 'unit:VP', None), ('gone', 'ministry', None), ('burst', 'ministry', None),"
            "('old', 'ministry', dt.date(2020, 1, 1)))}\n"
            "print(json.dumps(made))\n")
        made = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=_env(folder), capture_output=True,
                              text=True, timeout=60, check=False)
        assert made.returncode == 0, made.stderr
        tokens.update(json.loads(made.stdout))
        deadline = time.monotonic() + 90
        while True:
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        yield Feed(base + "/api/v1", folder, tokens)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _schema(feed: Feed) -> dict:
    return feed.json("/openapi.json")


def _check(document: dict, name: str, value) -> None:
    schema = {**document["components"]["schemas"][name], "components": document["components"]}
    resolver_doc = {"components": document["components"], **schema}
    jsonschema.validate(value, resolver_doc, cls=jsonschema.Draft202012Validator)


# --- the report, byte for byte -------------------------------------------------------------------
def test_kpis_json_and_csv_are_the_command_lines_bytes(feed):
    query = f"{PERIOD}&by=unit&as_of=2026-06-01%2008:00"
    status, headers, body = feed.get(f"/kpis?{query}")
    assert status == 200, body
    assert body == _printed(feed.folder, "--from", "2026-01-01", "--to", "2026-06-14", "--by", "unit",
                            "--as-of", "2026-06-01 08:00")
    assert headers["ETag"].startswith('"') and headers["Cache-Control"].startswith("private, max-age=60")
    status, headers, body = feed.get(f"/kpis.csv?{PERIOD}&unit=BHD&structure=historical")
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body == _printed(feed.folder, "--from", "2026-01-01", "--to", "2026-06-14", "--unit", "BHD",
                            "--structure", "historical", "--format", "csv")
    report = json.loads(feed.get(f"/kpis?{PERIOD}")[2])
    assert report["as_of"] == AS_OF and report["unit"] is None
    assert report["kpis"]["procedures.received"] > 1000


def test_etag_revalidation_answers_304_without_a_body(feed):
    status, headers, body = feed.get(f"/kpis?{PERIOD}")
    etag = headers["ETag"]
    again = feed.get(f"/kpis?{PERIOD}", headers={"If-None-Match": etag})
    assert again[0] == 304 and again[2] == b"" and again[1]["ETag"] == etag
    other = feed.get(f"/kpis?{PERIOD}", headers={"If-None-Match": '"something-else"'})
    assert other[0] == 200 and other[2] == body
    # another period is another body and another tag
    assert feed.get("/kpis?from=2026-01-01&to=2026-03-31")[1]["ETag"] != etag
    catalogue = feed.get("/catalogue")
    assert feed.get("/catalogue", headers={"If-None-Match": catalogue[1]["ETag"]})[0] == 304


# --- the other endpoints -------------------------------------------------------------------------
def test_catalogue_openapi_and_health_match_their_schemas(feed):
    document = _schema(feed)
    assert document["openapi"] == "3.1.0"
    assert {"/api/v1/kpis", "/api/v1/kpis.csv", "/api/v1/catalogue", "/api/v1/openapi.json",
            "/api/v1/health"} <= set(document["paths"])
    catalogue = feed.json("/catalogue")
    _check(document, "Catalogue", catalogue)
    ids = [k["id"] for k in catalogue["kpis"]]
    assert "procedures.on_time_rate" in ids and "tasks.on_time_rate" in ids
    rate = next(k for k in catalogue["kpis"] if k["id"] == "procedures.on_time_rate")
    assert rate["target"] == 0.98 and rate["unit"] == "rate" and rate["name_vi"] and rate["definition_en"]
    report = feed.json(f"/kpis?{PERIOD}&by=unit")
    _check(document, "Report", report)
    assert set(report["kpis"]) == set(ids)
    health = feed.json("/health")
    _check(document, "Health", health)
    assert health["status"] == "ok"
    assert all(s["reachable"] and s["dialect"] == "sqlite" for s in health["sources"].values())
    assert health["sources"]["procedures"]["queries"] > 0          # the reports above were computed
    text = json.dumps(health)
    assert str(feed.folder) not in text and "sqlite:" not in text  # no URL, no path
    error = feed.json("/kpis", status=400)
    _check(document, "Error", error)


def test_one_computation_for_many_identical_requests(feed):
    query = "/kpis?from=2025-07-01&to=2025-09-30"
    before = feed.json("/health")["sources"]
    first = feed.get(query)[2]
    after_one = feed.json("/health")["sources"]
    for _ in range(5):
        assert feed.get(query)[2] == first
    after_many = feed.json("/health")["sources"]
    assert sum(after_one[s]["queries"] - before[s]["queries"] for s in before) > 0
    # the five repeats were answered from the shared store: not one more statement
    assert {s: after_many[s]["queries"] for s in after_many} == {s: after_one[s]["queries"] for s in after_one}


# --- clients and scopes --------------------------------------------------------------------------
def test_a_unit_client_gets_its_unit_whatever_it_asks(feed):
    own = feed.get(f"/kpis?{PERIOD}", token="vp")
    assert own[0] == 200 and json.loads(own[2])["unit"] == "VP"
    assert feed.get(f"/kpis?{PERIOD}&unit=VP", token="vp")[2] == own[2]
    assert feed.get(f"/kpis?{PERIOD}&unit=VP")[2] == own[2]            # what the ministry client gets for VP
    by_unit = feed.json(f"/kpis?{PERIOD}&by=unit", token="vp")
    assert [row["unit"] for row in by_unit["by_unit"]] == ["VP"]
    refused = feed.json(f"/kpis.csv?{PERIOD}&unit=BHD", token="vp", status=403)
    assert refused["error"] == "forbidden" and "VP" in refused["message"] and "BHD" in refused["message"]


def test_tokens_missing_bad_revoked_expired_and_rotated_are_401(feed):
    for token in (None, "ioc_not-a-token", "old"):
        status, headers, body = feed.get(f"/kpis?{PERIOD}", token=token)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer"), body
        assert json.loads(body)["error"] == "unauthorized"
    assert "expired" in json.loads(feed.get("/health", token="old")[2])["message"]
    code, _, body = feed.get("/health", token=None, headers={"Authorization": "Basic Z292Og=="})
    assert code == 401 and "Bearer" in json.loads(body)["message"]
    assert feed.get("/catalogue", token="gone")[0] == 200
    revoked = _cli(feed.folder, "clients", "revoke", "gone")
    assert revoked.returncode == 0, revoked.stderr
    answer = feed.json("/catalogue", token="gone", status=401)
    assert "revoked" in answer["message"]
    rotated = _cli(feed.folder, "clients", "rotate", "burst")
    assert rotated.returncode == 0 and rotated.stdout.strip() != feed.tokens["burst"]
    assert feed.get("/catalogue", token="burst")[0] == 401          # the old token stopped at once
    feed.tokens["burst"] = rotated.stdout.strip()
    assert feed.get("/catalogue", token="burst")[0] == 200
    listed = _cli(feed.folder, "clients", "list")
    assert listed.returncode == 0
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()[1:]}
    assert "revoked" in lines["gone"] and "expired" in lines["old"] and "active" in lines["vp"]
    assert all(t not in listed.stdout for t in feed.tokens.values())
    # only the digest is kept
    with sqlite3.connect(feed.folder / "app.sqlite") as conn:
        stored = [r[0] for r in conn.execute("SELECT token_hash FROM api_clients")]
    assert all(len(h) == 64 for h in stored) and not set(stored) & set(feed.tokens.values())


def test_clients_command_line_refuses_bad_arguments(feed):
    for args, words in ((("add", "x", "--scope", "unit:NOPE"), "unknown unit"),
                        (("add", "x", "--scope", "ministry", "--expires", "2026-02-30"), "malformed --expires"),
                        (("add", "gov", "--scope", "ministry"), "already exists"),
                        (("revoke", "nobody"), "no such client")):
        done = _cli(feed.folder, "clients", *args)
        assert done.returncode == 2 and words in done.stderr and done.stdout == "", (args, done.stderr)


# --- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("query, words", [
    ("to=2026-06-30", "'from' is required"),
    ("from=2026-1-1&to=2026-06-30", "malformed date '2026-1-1'"),
    ("from=2026-07-01&to=2026-06-30", "--from 2026-07-01 is after --to 2026-06-30"),
    (f"{PERIOD}&as_of=yesterday", "malformed --as-of 'yesterday'"),
    (f"{PERIOD}&unit=", "--unit needs a unit code"),
    (f"{PERIOD}&unit=NOPE", "unknown unit 'NOPE'"),
    (f"{PERIOD}&structure=old", "structure must be one of current, historical"),
    (f"{PERIOD}&by=field", "by must be 'unit'"),
    (f"{PERIOD}&format=csv", "unknown parameter 'format'"),
    (f"{PERIOD}&from=2026-01-02", "given more than once"),
])
def test_bad_parameters_are_400_with_the_command_lines_message(feed, query, words):
    answer = feed.json(f"/kpis?{query}", status=400)
    assert answer["error"] == "bad_parameter" and words in answer["message"] and "\n" not in answer["message"]


def test_an_unknown_path_is_a_json_404_and_another_method_a_json_405(feed):
    assert feed.json("/nothing", status=404)["error"] == "not_found"
    request = urllib.request.Request(feed.base + "/kpis", data=b"{}", method="POST",
                                     headers={"Authorization": f"Bearer {feed.tokens['gov']}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 405 and refused.value.headers["Allow"] == "GET, HEAD"
    assert json.loads(refused.value.read())["error"] == "method_not_allowed"


def test_over_the_rate_limit_is_429_with_retry_after(feed):
    statuses = [feed.get("/catalogue", token="burst")[0] for _ in range(RATE + 2)]
    assert statuses.count(200) >= RATE - 2 and statuses[-1] == 429
    status, headers, body = feed.get("/catalogue", token="burst")
    assert status == 429 and int(headers["Retry-After"]) >= 1
    assert json.loads(body)["retry_after"] >= 1
    assert feed.get("/catalogue", token="gov")[0] == 200             # per client


def test_a_source_down_is_503_naming_it(feed):
    tasks = feed.folder / "tasks.sqlite"
    with sqlite3.connect(tasks) as conn:
        conn.execute("ALTER TABLE tasks RENAME TO tasks_away")
    try:
        answer = feed.json("/kpis?from=2025-01-01&to=2025-03-31", status=503)
    finally:
        with sqlite3.connect(tasks) as conn:
            conn.execute("ALTER TABLE tasks_away RENAME TO tasks")
    assert answer["error"] == "source_unavailable" and answer["source"] == "tasks"
    assert "tasks" in answer["message"] and str(feed.folder) not in answer["message"]
    assert feed.get("/kpis?from=2025-01-01&to=2025-03-31")[0] == 200          # back once it is


def test_every_call_is_audited(feed):
    marker = "from=2026-02-01&to=2026-02-28"
    feed.get(f"/kpis?{marker}", token="vp")
    feed.get(f"/kpis?{marker}&unit=BHD", token="vp")
    feed.get(f"/kpis?{marker}", token=None)
    deadline = time.monotonic() + 10
    while True:
        with sqlite3.connect(feed.folder / "app.sqlite") as conn:
            rows = conn.execute("SELECT client, path, params, status, bytes FROM api_calls WHERE params LIKE ? "
                                "ORDER BY id", (f"{marker}%",)).fetchall()
        if len(rows) >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert [(r[0], r[1], r[3]) for r in rows] == [("vp", "/api/v1/kpis", 200), ("vp", "/api/v1/kpis", 403),
                                                  (None, "/api/v1/kpis", 401)]
    assert rows[0][4] > 1000 and rows[1][2].endswith("unit=BHD")


# --- the route's function on every engine ----------------------------------------------------------
def test_the_routes_function_is_the_command_lines_bytes_on_every_engine(rows, monkeypatch, capsys):
    from api import feed as api_feed
    from data_access import cli
    from data_access.db import Sources

    rows.unit("A")
    rows.unit("B")
    rows.procedure("P1", unit_code="A")
    rows.dossier(D(2026, 1, 1, 0, 0, 0), due_at=D(2026, 2, 1), finished_at=D(2026, 2, 1), rating=5, channel="online")
    rows.dossier(D(2026, 3, 1, 8), due_at=D(2026, 3, 5), finished_at=D(2026, 3, 6), unit_code="B")
    rows.task(D(2026, 2, 1, 9), dt.date(2026, 3, 1), D(2026, 2, 25, 9))
    rows.movement(1, 2026)
    rows.block(1, 1, "A", "B")
    rows.criterion(1, 1, 50, metric="procedures.on_time_rate")
    rows.award(dt.date(2026, 1, 20), "emulation_flag")
    for source in ("PROCEDURES", "TASKS", "EMULATION"):
        monkeypatch.setenv(f"IOC_{source}_URL", rows.url)
    sources = Sources.single(rows.url)
    for unit, by in ((None, None), ("B", "unit")):
        args = ["kpis", "--from", "2026-01-01", "--to", "2026-06-30", "--as-of", AS_OF]
        args += ["--unit", unit] if unit else []
        args += ["--by", by] if by else []
        assert cli.main(args) == 0
        printed = capsys.readouterr().out
        got = api_feed.render(sources, dt.date(2026, 1, 1), dt.date(2026, 6, 30), unit, "current", by,
                              dt.datetime.fromisoformat(AS_OF))
        assert got.json == printed.encode("utf-8")
        assert json.loads(got.json)["unit"] == unit
    assert api_feed.known_unit_codes(sources) >= {"A", "B"}
    assert sa.make_url(rows.url).get_backend_name() in ("sqlite", "postgresql", "mysql", "mariadb")


def test_health_names_a_source_that_does_not_answer_and_shows_no_path(app_db, monkeypatch, tmp_path):
    # The route's own function in this process: a running server's sources cannot be
    # taken away from it (its pooled connections keep the files open).
    from api import routes
    from data_access import db as dbmod
    from ui import data

    missing = tmp_path / "gone" / "tasks.sqlite"
    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{missing}")
    data.clear_caches()
    dbmod.dispose_all()
    status, body = routes.health_body()
    assert status == 503 and body["status"] == "degraded"
    assert body["sources"]["tasks"]["reachable"] is False and body["sources"]["tasks"]["fault"] == "unreachable"
    assert body["sources"]["procedures"]["reachable"] is True and body["app_database"] == {"reachable": True}
    assert str(tmp_path) not in json.dumps(body)
