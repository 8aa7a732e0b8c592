"""Fuzz: every URL parameter of every page and every command-line argument, driven with
malformed, extreme, unicode, markup and very long values.

A page never shows a traceback or an error box for a bad link: each bad value falls back
to its default with the catalogue's notice, and the page still draws the figures of the
view it fell back to. A command line exits 2 with one line on stderr for a bad argument,
3 for a source it cannot reach or whose URL cannot be used, 0 with the right output for
a good one — never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest

from data_access import catalogue
from data_access.periods import PRESETS
from data_access.settings import PROJECT_ROOT
from l10n.i18n import LANGUAGES, t
from reports.slides import SLIDE_KEYS
from tests.conftest import TEST_PASSWORD, TEST_USERS, app_test
from ui.controls import bad_value_notice

# --- the hostile values ---------------------------------------------------------------------
HOSTILE = [
    "", " ", "\t\n", "x" * 5000, "9" * 5000,
    "0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "1899-12-31", "3000-01-01", "2026-1-1",
    "2026-01-01T00:00", "01/01/2026", "２０２６-０１-０１",
    "-1", "1e309", "nan", "NaN", "inf", "-inf", "0", "999999999999999999999", "0x10", "1_0",
    "Bộ Nông nghiệp 🌾", "\u202e", "\x00", "%00", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "../../etc/passwd", "<script>alert(1)</script>", '=HYPERLINK("http://x")', "**b**", ":red[x]",
    "' OR 1=1 --", ",,,", "a,b,c,", "custom", "YEAR", " year", "VI", "en ",
]

ROLE_OF = {name: role for name, (role, _, _) in TEST_USERS.items()}
UNITS = ("A", "B")                                 # the units of the app_db fixture
VIEW = ("lang", "period", "from", "to", "unit")
KIOSK = ("kiosk", "slides", "interval")
PAGE_PARAMS = {"presentation": VIEW + KIOSK}
TITLE_KEY = {"reports": "reports_page.title"}


def _last(value):
    """What `st.query_params.get` reads from a repeated parameter: its last value."""
    return value[-1] if isinstance(value, list) else value


def _kiosk_on(query) -> bool:
    return str(_last(query.get("kiosk", "0"))).strip().lower() in ("1", "true", "yes")


def _slides_bad(text) -> bool:
    if text is None or not str(text).strip():
        return False
    keys = [k.strip().lower() for k in str(text).split(",") if k.strip()]
    return not keys or any(k not in SLIDE_KEYS for k in keys)


def _interval_bad(text) -> bool:
    if text is None:
        return False
    try:
        return not 5 <= int(text) <= 600
    except ValueError:
        return True


def _day_ok(text) -> bool:
    import datetime as dt

    try:
        day = dt.datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError:
        return False
    return len(text) == 10 and dt.date(1900, 1, 1) <= day <= dt.date(2999, 12, 31)


def expected(query: dict, page: str, user: str) -> tuple[str, list[str], dict]:
    """The language, the parameters named in notices, and the valid view the page falls
    back to, worked out independently of the app's code."""
    q = {k: _last(v) for k, v in query.items()}
    bad: list[str] = []
    fallback: dict = {}
    lang = q.get("lang", "vi")
    if lang not in LANGUAGES:
        bad.append("lang")
        lang = "vi"
    fallback["lang"] = lang
    period = q.get("period", "year")
    if period not in PRESETS:
        bad.append("period")
        period = "year"
    if period == "custom":
        import datetime as dt

        start, end = q.get("from"), q.get("to")
        if not (_day_ok(start) and _day_ok(end)) or dt.date.fromisoformat(start) > dt.date.fromisoformat(end):
            bad.append("from/to")
            period = "year"
        else:
            fallback.update({"from": start, "to": end})
    fallback["period"] = period
    unit = q.get("unit", "")
    if ROLE_OF[user] == "unit_head":
        unit = TEST_USERS[user][1]
    elif unit and unit not in UNITS:
        bad.append("unit")
        unit = ""
    if unit:
        fallback["unit"] = unit
    if page == "presentation":
        if _kiosk_on(q):
            fallback["kiosk"] = "1"
        elif _slides_bad(q.get("slides")) or _interval_bad(q.get("interval")):
            bad += [name for name, is_bad in (("slides", _slides_bad(q.get("slides"))),
                                              ("interval", _interval_bad(q.get("interval")))) if is_bad]
        if not _slides_bad(q.get("slides")) and q.get("slides") is not None:
            fallback["slides"] = q["slides"]
        if not _interval_bad(q.get("interval")) and q.get("interval") is not None:
            fallback["interval"] = q["interval"]
    return lang, bad, fallback


# --- what a page shows --------------------------------------------------------------------------
def fingerprint(at, page: str) -> tuple:
    """What the page drew that a bad parameter must not change: titles, every KPI card,
    every table's cells, and the slide pager."""
    titles = tuple(x.value for x in at.title)
    metrics = tuple((m.label, m.value) for m in at.metric)
    tables = tuple(tuple(map(tuple, frame.value.astype(str).values.tolist())) for frame in at.dataframe)
    slides = tuple(sorted({body[body.find('class="pager">') + 14:].split("<")[0]
                           for body in (e.proto.body for e in at.get("html")) if 'data-slide="' in body}))
    return titles, metrics, tables, slides


def check_run(shot: dict, query: dict, page: str, user: str, reference) -> None:
    """`shot` is what the hostile link drew; `reference` draws the view it falls back to."""
    where = f"{page} as {user} with {query!r:.300}"
    assert not shot["exceptions"], (where, shot["exceptions"])
    assert not shot["errors"], (where, shot["errors"])
    lang, bad, fallback = expected(query, page, user)
    notices = {w for w in shot["warnings"] if w in _ALL_NOTICES}
    assert notices == {bad_value_notice(name, lang) for name in bad}, where
    others = [w for w in shot["warnings"] if w not in _ALL_NOTICES]
    assert all(w == t("notice_unit_ignored", lang) for w in others), (where, others)
    titles, metrics, tables, slides = shot["fingerprint"]
    if page == "presentation" and "kiosk" in fallback:
        assert not titles and len(slides) == 1, where             # the slide, nothing else
    else:
        assert titles and titles[0] == t(TITLE_KEY.get(page, f"{page}.title"), lang), (where, titles)
    want = reference(fallback)
    assert (metrics, tables) == want[1:3], where
    # the slides turn with the clock: the number of slides is what the link decides
    assert [s.rsplit("/", 1)[-1].split()[-1] for s in slides] == \
        [s.rsplit("/", 1)[-1].split()[-1] for s in want[3]], where


_ALL_NOTICES = {bad_value_notice(name, lang) for lang in LANGUAGES
                for name in ("lang", "period", "from/to", "unit", "slides", "interval")}


def url_cases(page: str, stride: int) -> list[dict]:
    """Every hostile value in every parameter at once; then each parameter alone on a
    valid custom view (every value with stride 1, else a sample of 1/stride of them that
    rotates with the parameter), a few repeated parameters and hostile names, and the
    valid extremes."""
    params = PAGE_PARAMS.get(page, VIEW)
    cases = [{p: v for p in params} for v in HOSTILE[::max(1, stride // 2)]]
    cases += [{**{p: v for p in params}, "period": "custom"} for v in HOSTILE[::5 * stride]]
    base = {"lang": "en", "period": "custom", "from": "2026-03-01", "to": "2026-04-30", "unit": "B"}
    if page == "presentation":
        base.update({"slides": "tasks,overview", "interval": "30"})
    for j, p in enumerate(params):
        for k, v in enumerate(HOSTILE):
            if (j + k) % stride == 0:
                cases.append({**base, p: v})
    cases += [
        {**base, "lang": ["en", "fr"]}, {**base, "unit": ["B", "Z' --"]}, {**base, "period": ["custom", "decade"]},
        {**base, "from": ["2026-03-01", "2026-02-30"]}, {**base, "x" * 5000: "1"}, {**base, "\x00": "\x00"},
        {**base, "lang\u202e": "en", "<b>": "<i>"},
        # extremes that are valid: the supported dates' first and last days
        {"period": "custom", "from": "1900-01-01", "to": "2999-12-31"},
        {"period": "custom", "from": "2999-12-31", "to": "2999-12-31"},
        {"period": "custom", "from": "1900-01-01", "to": "1900-01-01"},
        {"period": "custom", "from": "2026-04-30", "to": "2026-03-01"},          # from after to
    ]
    if page == "presentation":
        cases += [{**base, "kiosk": "1", p: v} for p in KIOSK[1:] for v in HOSTILE[::3 * stride]]
        cases += [{"kiosk": "1", "slides": "awards,awards,AWARDS", "interval": "5"},
                  {"kiosk": "1", "slides": " , emulation ,", "interval": "600"}]
    return cases


# (page, user, stride): on the light pages every value in every parameter at once and half
# of them in each parameter alone; a rotating sample on the pages that draw many charts
# and tables (the Overview's first screen, its league table and attention panel, is one
# of them now); each role that may open the page at least once.
PAGES = [
    ("overview", "lead", 5), ("overview", "heada", 12), ("overview", "screen", 16),
    ("procedures", "lead", 16), ("procedures", "headb", 24), ("tasks", "lead", 8),
    ("emulation", "lead", 8), ("presentation", "lead", 2), ("presentation", "screen", 10),
    ("reports", "lead", 6), ("data_status", "root", 12),
]


@pytest.mark.parametrize("page, user, stride", PAGES, ids=[f"{p}-{u}" for p, u, _ in PAGES])
def test_every_url_parameter_of_the_page_takes_hostile_values(app_db, page, user, stride):
    at = app_test(user)
    at.run()
    at.switch_page(f"screens/{page}.py").run()
    assert not at.exception and not at.error
    seen: dict[tuple, tuple] = {}
    counter = iter(range(10**6))

    def visit(query: dict) -> None:
        # A marker of its own makes every visit a new link, so the app reads it afresh.
        at.query_params = {**query, "fuzz_run": str(next(counter))}
        at.run()

    def reference(view: dict) -> tuple:
        """The page as drawn for the valid view a bad link falls back to."""
        key = tuple(sorted(view.items()))
        if key not in seen:
            visit(view)
            assert not at.exception and not at.error, view
            seen[key] = fingerprint(at, page)
        return seen[key]

    cases = url_cases(page, stride)
    for query in cases:
        visit(query)
        shot = {"exceptions": [e.value for e in at.exception], "errors": [e.value for e in at.error],
                "warnings": [w.value for w in at.warning], "fingerprint": fingerprint(at, page)}
        check_run(shot, query, page, user, reference)
    assert len(cases) >= 20


# --- command lines ----------------------------------------------------------------------------
def cli(main, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    """Run a command line's main(argv) in this process: (exit status, stdout, stderr).
    An exception other than SystemExit escapes: it is the traceback a user would see."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")        # `reports` writes bytes to it
    err = io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:                              # argparse's own exit
                code = exc.code
    finally:
        sys.stdin = saved
    out.flush()
    return code, out.buffer.getvalue().decode("utf-8", "replace"), err.getvalue()


def refused(result, prog: str, where) -> None:
    """Exit 2, nothing on stdout, one line on stderr naming the command, no traceback."""
    code, out, err = result
    where = [w[:40] for w in where] if isinstance(where, list) else repr(where)[:80]
    assert code == 2, (where, code, err[-300:])
    assert out == "", where
    assert len(err.strip().splitlines()) == 1 and err.endswith("\n"), (where, err[-300:])
    assert err.startswith(prog) and "Traceback" not in err, (where, err[-300:])


def day_ok(text: str) -> bool:
    return _day_ok(text)


def moment_ok(text: str) -> bool:
    import datetime as dt
    import re

    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?", text.strip()):
        return False
    try:
        return dt.date(1900, 1, 1) <= dt.datetime.fromisoformat(text.strip()).date() <= dt.date(2999, 12, 31)
    except ValueError:
        return False


def int_ok(text: str) -> bool:
    try:
        int(text)
        return True
    except ValueError:
        return False


@pytest.fixture
def cli_env(app_db, tmp_path, monkeypatch):
    """The app_db sources, with one row that breaks a rule (so `check` has a finding whose
    examples are limited), a data folder of its own, and a working folder deep in tmp_path
    (a relative --out such as ../../etc/passwd stays inside it)."""
    import sqlite3

    with sqlite3.connect(app_db.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE dossiers SET unit_code = 'ZZ' WHERE id IN (SELECT id FROM dossiers LIMIT 2)")
    monkeypatch.setenv("IOC_DATA_DIR", str(tmp_path / "data"))
    work = tmp_path / "w" / "o" / "r" / "k"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    return app_db


PERIOD = ["--from", "2026-01-01", "--to", "2026-06-30"]


def test_data_access_kpis_and_check_refuse_every_hostile_argument(cli_env):
    from data_access.cli import main

    prog = "python -m data_access"
    good = cli(main, ["kpis", *PERIOD, "--format", "json"])
    assert good[0] == 0 and good[2] == ""
    assert json.loads(good[1])["kpis"]["procedures.received"] == 25
    for v in HOSTILE:
        for argv in (["kpis", "--from", v, "--to", "2026-06-30"], ["kpis", "--from", "2026-01-01", "--to", v],
                     ["kpis", *PERIOD, "--as-of", v], ["kpis", *PERIOD, "--unit", v],
                     ["kpis", *PERIOD, "--format", v], ["check", "--format", v], [v], ["kpis", *PERIOD, v]):
            if (argv[1:3] == ["--from", v] and day_ok(v) or argv[3:5] == ["--to", v] and day_ok(v)
                    or argv[5:7] == ["--as-of", v] and moment_ok(v)):
                continue                                                  # a valid day: not hostile here
            refused(cli(main, argv), prog, argv)
        if not int_ok(v):
            refused(cli(main, ["check", "--examples", v]), prog, v)
    for argv in (["kpis", *PERIOD, "--from", "2026-02-30"], ["kpis", "--from"], ["kpis", *PERIOD, "--frm", "x"],
                 ["kpis", "--from", "2026-07-01", "--to", "2026-06-30"], [], ["kpis", *PERIOD, "--unit", "a\nb"]):
        refused(cli(main, argv), prog, argv)
    # the valid extremes of the supported dates
    code, out, err = cli(main, ["kpis", "--from", "1900-01-01", "--to", "2999-12-31", "--format", "csv",
                                "--as-of", "2999-12-31 23:59:59"])
    assert code == 0 and err == "" and "procedures.received" in out
    code, out, _ = cli(main, ["kpis", "--from", "2999-12-31", "--to", "2999-12-31"])
    assert code == 0 and json.loads(out)["kpis"]["procedures.received"] == 0
    # any whole number of examples: the finding is still listed, with at most that many ids
    for examples, shown in (("-1", 0), ("0", 0), ("1", 1), ("999999999999999999999", 2)):
        code, out, err = cli(main, ["check", "--format", "json", "--examples", examples])
        assert code == 0, (examples, err)
        [unknown] = [f for f in json.loads(out) if f["check"] == "unknown_unit_code" and f["table"] == "dossiers"]
        assert unknown["count"] == 2 and len(unknown["examples"]) == shown, (examples, unknown)


def test_data_access_init_demo_refuses_hostile_arguments_before_writing(cli_env, tmp_path, monkeypatch):
    from data_access.cli import main

    prog = "python -m data_access init-demo"
    for v in HOSTILE:
        try:
            scale = float(v)
        except ValueError:
            scale = None
        if scale is None or not 0 < scale <= 1000:
            refused(cli(main, ["init-demo", "--scale", v]), prog if scale is not None else "python -m data_access", v)
        if not int_ok(v) or int(v) < 0:
            refused(cli(main, ["init-demo", "--seed", v]), prog if int_ok(v) else "python -m data_access", v)
    # good arguments on a database that has data: left alone, said so
    code, out, err = cli(main, ["init-demo", "--scale", "0.01", "--seed", "999999999999999999999"])
    assert (code, out) == (0, "") and err.strip().endswith("(use --force to regenerate)")
    # good arguments on empty databases: generated, counted
    for source in ("PROCEDURES", "TASKS", "EMULATION"):
        monkeypatch.setenv(f"IOC_{source}_URL", f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    code, out, err = cli(main, ["init-demo", "--scale", "0.001", "--seed", "7"])
    counts = dict(line.split("\t") for line in out.splitlines())
    assert code == 0 and int(counts["dossiers"]) > 0 and int(counts["units"]) == 37, err
    assert int(counts["unit_successions"]) == 10, err


@pytest.mark.parametrize("url", ["notaurl", "postgresql+psycopg://postgres@127.0.0.1:1/test",
                                 "mysql+pymysql://root@127.0.0.1:1/test", "oracle://x@y/z", "sqlite:////no/such/dir/x.sqlite"])
def test_a_source_that_cannot_be_used_exits_3_naming_it(cli_env, monkeypatch, url):
    from data_access import db as dbmod
    from data_access.cli import main
    from reports.cli import main as reports_main

    monkeypatch.setenv("IOC_TASKS_URL", url)
    dbmod.dispose_all()
    for run, argv, prog in ((main, ["kpis", *PERIOD], "python -m data_access kpis"),
                            (reports_main, ["kpis", *PERIOD, "--format", "csv"], "python -m reports kpis"),
                            (main, ["init-demo", "--force"], "python -m data_access init-demo")):
        code, out, err = cli(run, argv)
        assert code == 3 and out == "", (url, argv, err)
        assert len(err.splitlines()) == 1 and err.startswith(prog) and "tasks database" in err, (url, err)
    dbmod.dispose_all()


def test_reports_refuse_every_hostile_argument(cli_env, tmp_path):
    from reports.cli import main

    prog = "python -m reports"
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    xlsx, pdf, pptx = str(out_dir / "k.xlsx"), str(out_dir / "e.pdf"), str(out_dir / "d.pptx")
    emulation = ["emulation", "--year", "2026", "--period", "H1", "--format", "xlsx", "--out", str(out_dir / "e.xlsx")]
    deck = ["deck", *PERIOD, "--slides", "overview", "--out", pptx]
    for v in HOSTILE:
        argvs = [["kpis", "--from", v, "--to", "2026-06-30"], ["kpis", *PERIOD, "--as-of", v],
                 ["kpis", *PERIOD, "--unit", v], ["kpis", *PERIOD, "--lang", v], ["kpis", *PERIOD, "--format", v],
                 ["kpis", *PERIOD, "--out", v], ["kpis", *PERIOD, "--format", "xlsx", "--out", v],
                 ["emulation", "--year", v, *emulation[3:]], [*emulation[:3], "--period", v, *emulation[5:]],
                 [*emulation, "--unit", v], [*emulation[:5], "--format", v, "--out", pdf],
                 ["deck", *PERIOD, "--slides", v, "--out", pptx], ["deck", *PERIOD, "--slides", "tasks", "--out", v],
                 [v]]
        for argv in argvs:
            if ("--from" in argv and argv[argv.index("--from") + 1] == v and day_ok(v)
                    or "--as-of" in argv and moment_ok(v)):
                continue
            if argv[5:7] == ["--slides", v] and not v.strip():
                continue                                       # no slides named: every slide, a valid deck
            refused(cli(main, argv), prog, argv)
    # an --out that the file system refuses: status 1 with one line, as documented
    code, out, err = cli(main, ["kpis", *PERIOD, "--format", "xlsx", "--out", "x" * 300 + ".xlsx"])
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and "cannot write" in err
    code, out, err = cli(main, ["kpis", *PERIOD, "--format", "csv", "--out", str(out_dir)])
    refused((code, out, err), prog, "a folder")
    # good arguments: the files, with the engine's figures
    code, out, err = cli(main, ["kpis", *PERIOD, "--format", "json", "--as-of", "2026-06-20T14:30", "--unit", "B"])
    assert code == 0 and json.loads(out)["kpis"]["procedures.received"] == 5 and err == ""
    code, out, err = cli(main, ["kpis", *PERIOD, "--format", "xlsx", "--out", "Bộ Nông nghiệp 🌾.xlsx", "--lang", "en"])
    assert code == 0 and os.path.getsize("Bộ Nông nghiệp 🌾.xlsx") > 1000 and err.startswith("wrote ")
    code, out, err = cli(main, [*emulation[:3], "--period", "fy", "--format", "xlsx", "--out", xlsx])
    assert code == 0 and os.path.getsize(xlsx) > 1000, err
    refused(cli(main, ["emulation", "--year", "2999", *emulation[3:]]), prog, "a year without a movement")
    code, out, err = cli(main, deck)
    assert code == 0 and os.path.getsize(pptx) > 1000, err


def test_auth_refuses_every_hostile_argument(cli_env, tmp_path):
    import yaml

    from auth.cli import main

    prog = "python -m auth"
    users_file = os.environ["IOC_USERS_FILE"]
    before = open(users_file, encoding="utf-8").read()
    # With no password on stdin every `add` and `reset-password` ends with status 2 even
    # when the rest is good: the arguments are checked without hashing a password.
    add = ["users", "add", "newuser", "--name", "Nguyễn Văn A", "--email", "a@example.gov.vn", "--role", "leader",
           "--password-stdin"]
    for v in HOSTILE:
        for argv in (["users", "add", v, *add[3:]], [*add[:4], v, *add[5:]], [*add[:6], v, *add[7:]],
                     [*add[:8], v, "--password-stdin"], [*add[:8], "unit_head", "--unit", v, "--password-stdin"],
                     ["users", "disable", v], ["users", "enable", v], ["users", "remove", v],
                     ["users", "reset-password", v, "--password-stdin"], ["users", v], [v]):
            refused(cli(main, argv), prog, argv)
    assert open(users_file, encoding="utf-8").read() == before          # nothing was written
    from auth.users import UserError, validate_username

    def a_username(v: str) -> bool:
        try:
            validate_username(v)
            return True
        except UserError:
            return False

    for v in HOSTILE:
        refused(cli(main, ["sessions", v]), prog, v)
        if not a_username(v):
            refused(cli(main, ["sessions", "end", v]), prog, v)
    assert cli(main, ["sessions", "list"])[:2] == (0, "no open session\n")
    # hostile passwords on stdin, for an account that is otherwise good
    for password in ("", "short", "x" * 73, "é" * 37, "\n"):
        refused(cli(main, add, stdin=password + "\n"), prog, password)
    # good: a unicode password of 10 bytes or more, then the account is listed and removed
    assert cli(main, add, stdin="Bộ Nông nghiệp 🌾\n")[:2] == (0, "added newuser (leader)\n")
    code, out, _ = cli(main, ["users", "list"])
    assert code == 0 and any(line.split()[:1] == ["newuser"] for line in out.splitlines())
    assert "Bộ Nông" not in open(users_file, encoding="utf-8").read()        # a hash only, never the password
    assert yaml.safe_load(open(users_file, encoding="utf-8"))                # still a readable file
    code, out, _ = cli(main, ["users", "remove", "newuser"])
    assert code == 0 and out.startswith("removed newuser")


def test_the_kpi_docs_tool_refuses_every_hostile_argument(tmp_path):
    from data_access.kpi_docs import main

    prog = "python -m data_access.kpi_docs"
    for v in HOSTILE:
        for argv in (["--check", "--doc", v], ["--check", "--catalogue", v], [v], ["--check", v]):
            refused(cli(main, argv), prog, argv)
    refused(cli(main, ["--check", "--doc", str(tmp_path)]), prog, "a folder")
    assert cli(main, ["--check"]) == (0, "", "")                     # the page is up to date


def test_the_exit_statuses_end_to_end(cli_env, tmp_path):
    """A few real processes, started together: the statuses as a shell script sees them."""
    base = {**os.environ, "IOC_DATA_DIR": str(tmp_path / "data")}
    runs = [
        (["data_access", "kpis", "--from", "2026-02-30", "--to", "2026-06-30"], {}, 2, "malformed date"),
        (["data_access", "kpis", *PERIOD], {"IOC_TASKS_URL": "notaurl"}, 3, "tasks database's URL cannot be used"),
        (["data_access", "kpis", *PERIOD], {"IOC_PROCEDURES_URL": "postgresql+psycopg://postgres@127.0.0.1:1/test"},
         3, "cannot reach the procedures database"),
        (["data_access", "init-demo", "--force"], {"IOC_EMULATION_URL": "notaurl"}, 3, "emulation database"),
        (["reports", "kpis", *PERIOD, "--format", "xlsx"], {}, 2, "needs --out"),
        (["reports", "kpis", *PERIOD], {"IOC_TASKS_URL": "mysql+pymysql://root@127.0.0.1:1/test"}, 3,
         "cannot reach the tasks database"),
        (["auth", "users", "frobnicate"], {}, 2, "invalid choice"),
        (["data_access", "kpis", *PERIOD, "--unit", "B"], {}, 0, ""),
    ]
    procs = [subprocess.Popen([sys.executable, "-m", *argv], cwd=PROJECT_ROOT, env={**base, **env},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for argv, env, _, _ in runs]
    for (argv, env, status, words), proc in zip(runs, procs):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == status, (argv, env, err[-500:])
        assert "Traceback" not in err, (argv, err[-500:])
        if status:
            assert out == "" and len(err.splitlines()) == 1 and words in err, (argv, err)
        else:
            assert err == "" and json.loads(out)["kpis"]["procedures.received"] == 5
