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
    assert notices == {t("notice_bad_param", lang, name=name) for name in bad}, where
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


_ALL_NOTICES = {t("notice_bad_param", lang, name=name) for lang in LANGUAGES
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


# (page, user, stride): every value in every parameter on the light pages, a rotating
# sample on the pages that draw many charts; each role that may open the page at least once.
PAGES = [
    ("overview", "lead", 1), ("overview", "heada", 6), ("overview", "screen", 10),
    ("procedures", "lead", 8), ("procedures", "headb", 16), ("tasks", "lead", 8),
    ("emulation", "lead", 8), ("presentation", "lead", 1), ("presentation", "screen", 10),
    ("reports", "lead", 6), ("data_status", "root", 8),
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
