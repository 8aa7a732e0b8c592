"""Helpers of the Data status page (admins): the sources' reachability and freshness
(cached like every other query), how old the newest record is in words, and the tables
of row counts, data-quality findings and the sign-in / export log, in the reader's
language."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from data_access import access, quality, schema, status
from data_access.quality import Finding
from data_access.status import SourceStatus
from design.palette import STREAMLIT_NAMES
from l10n import fmt
from l10n.i18n import t

from .data import live, sources
from .text import plain

AUDIT_LIMIT = 200
AMBER_AFTER = dt.timedelta(days=1)
RED_AFTER = dt.timedelta(days=7)
# Freshness in the traffic lights' colours (the theme's, set to design.palette's).
_COLOURS = {"ok": STREAMLIT_NAMES["green"], "amber": STREAMLIT_NAMES["amber"], "red": STREAMLIT_NAMES["red"],
            "future": "blue", "none": STREAMLIT_NAMES[None]}
_ICONS = {"ok": ":material/check_circle:", "amber": ":material/warning:", "red": ":material/error:",
          "future": ":material/schedule:", "none": ":material/help:"}


# --- cached data (shared by every admin's session; keyed by the as-of minute) ----------------
# `live` keeps each result for the app's cache TTL (`cache_ttl_seconds`, 60 s by default)
# and the as-of minute is part of the key, so the figures are never older than a minute.
@live(level=access.ADMIN)
def statuses(*, as_of: dt.datetime) -> list[SourceStatus]:
    return status.all_status(sources(), as_of)


@live(level=access.ADMIN)
def findings(*, as_of: dt.datetime) -> list[Finding]:
    return quality.check_all(sources())


def clear() -> None:
    """Forget the cached results (the page's "check again" button)."""
    statuses.clear()
    findings.clear()


# --- words -------------------------------------------------------------------------------------
def freshness_level(newest: dt.datetime | None, as_of: dt.datetime) -> str:
    """`ok`, `amber` (older than a day), `red` (older than a week), `future` (after the
    as-of moment) or `none` (no dated record)."""
    if newest is None:
        return "none"
    age = as_of - newest
    if age < dt.timedelta(0):
        return "future"
    if age > RED_AFTER:
        return "red"
    if age > AMBER_AFTER:
        return "amber"
    return "ok"


def age_words(newest: dt.datetime | None, as_of: dt.datetime, lang: str, named: bool = True) -> str:
    """'2 giờ trước' / '2 hours ago'; a moment after as-of is named (or, with
    `named=False`, only said to be after as-of)."""
    if newest is None:
        return t("data_status.no_dated_records", lang)
    age = as_of - newest
    if age < dt.timedelta(0):
        if not named:
            return t("data_status.after_as_of", lang)
        return t("data_status.age_future", lang, time=fmt.moment(newest, lang))
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return t("data_status.age_just_now", lang)
    if minutes < 60:
        return _count_words("minutes", minutes, lang)
    hours = minutes // 60
    if hours < 48:
        return _count_words("hours", hours, lang)
    return _count_words("days", hours // 24, lang)


def _count_words(unit: str, n: int, lang: str) -> str:
    key = f"data_status.age_{unit}_one" if n == 1 else f"data_status.age_{unit}"
    return t(key, lang, n=fmt.number(n, lang))


def freshness_line(newest: dt.datetime | None, as_of: dt.datetime, lang: str) -> str:
    """Markdown: the newest record's age, coloured and with the threshold in words."""
    level = freshness_level(newest, as_of)
    text = t("data_status.newest_record", lang, age=age_words(newest, as_of, lang))
    if level in ("amber", "red"):
        text += " — " + t(f"data_status.older_{level}", lang)
    return f"{_ICONS[level]} :{_COLOURS[level]}[{text}]"


def dialect_name(dialect: str | None, lang: str) -> str:
    if dialect is None:
        return t("data_status.dialect_unknown", lang)
    try:
        return t(f"data_status.dialect_{dialect}", lang)
    except KeyError:
        return dialect


def source_title(source: str, lang: str) -> str:
    return t("data_status.source_title", lang, source=t(f"source_{source}", lang))


def table_label(table: str, lang: str) -> str:
    try:
        return t(f"data_status.table_{table}", lang)
    except KeyError:
        return table


def event_name(event: str | None, lang: str) -> str:
    if not event:
        return "—"
    try:
        return t(f"data_status.event_{event}", lang)
    except KeyError:
        return str(event)


def moment_seconds(value, lang: str) -> str:
    """A log moment to the second: '14:30:05 20/06/2026'."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return f"{value:%H:%M:%S} {fmt.date(value.date(), lang)}"
    if isinstance(value, dt.date):
        return fmt.date(value, lang)
    return str(value)


def is_date_column(table: str, column: str | None) -> bool:
    """A DATE freshness column (awards.decided_on): its newest is a day, shown as one."""
    for metadata in schema.METADATA.values():
        if column and table in metadata.tables and column in metadata.tables[table].c:
            col_type = metadata.tables[table].c[column].type
            return isinstance(col_type, sa.Date) and not isinstance(col_type, sa.DateTime)
    return False


def newest_text(table: str, column: str | None, newest: dt.datetime | None, lang: str) -> str:
    if newest is None:
        return "—"
    if is_date_column(table, column):
        return fmt.date(newest.date(), lang)
    return fmt.moment(newest, lang)


def milliseconds(seconds: float, lang: str) -> str:
    ms = seconds * 1000
    return t("data_status.milliseconds", lang, n=fmt.number(ms, lang, 1 if ms < 10 else 0))


# --- frames --------------------------------------------------------------------------------------
def tables_frame(source: SourceStatus, as_of: dt.datetime, lang: str) -> pd.DataFrame:
    rows = []
    for table in source.tables:
        rows.append({
            "label": table_label(table.table, lang),
            "table": table.table,
            "rows": fmt.number(table.rows, lang) if table.rows is not None else t("data_status.unreadable", lang),
            "newest": newest_text(table.table, table.newest_column, table.newest, lang),
            "age": age_words(table.newest, as_of, lang, named=False) if table.newest_column else "",
            "column": table.newest_column or "",
        })
    return pd.DataFrame(rows, columns=["label", "table", "rows", "newest", "age", "column"])


def findings_frame(found: list[Finding], lang: str) -> pd.DataFrame:
    rows = [{
        "source": t(f"source_{f.source}", lang),
        "table": f.table or "—",
        "check": f.check,
        "message": f.message_vi if lang == "vi" else f.message_en,
        "count": fmt.number(f.count, lang),
        "examples": ", ".join(f.examples),
    } for f in found]
    return pd.DataFrame(rows, columns=["source", "table", "check", "message", "count", "examples"])


def audit_frame(rows: list[dict], lang: str) -> pd.DataFrame:
    out = [{
        "at": moment_seconds(r.get("at"), lang),
        "username": r.get("username") or "—",
        "event": event_name(r.get("event"), lang),
        "detail": "" if r.get("detail") is None else str(r.get("detail")),
    } for r in rows]
    return pd.DataFrame(out, columns=["at", "username", "event", "detail"])


def recent_audit(limit: int = AUDIT_LIMIT) -> list[dict]:
    """The latest sign-in and export events of the app's own database, newest first.
    Errors propagate: the page says the log could not be read."""
    from .signin import audit_log

    return audit_log().recent(limit=limit)


def open_sessions() -> list:
    """The sign-in sessions open now, latest use first. Errors propagate (the page says so)."""
    import auth

    from .signin import idle_limit, sessions

    return sessions().open_sessions(auth.clock(), idle_limit())


def sessions_frame(found: list, lang: str) -> pd.DataFrame:
    out = [{
        "session_user": s.username,
        "session_started": moment_seconds(s.created_at, lang),
        "session_seen": moment_seconds(s.last_seen_at, lang),
        "session_expires": moment_seconds(s.expires_at, lang),
        "session_address": s.address or "—",
        "session_agent": s.agent or "—",
    } for s in found]
    return pd.DataFrame(out, columns=["session_user", "session_started", "session_seen", "session_expires",
                                      "session_address", "session_agent"])


def session_label(session, lang: str) -> str:
    return f"{session.username} · {session.address or '—'} · {moment_seconds(session.created_at, lang)}"


def end_session(session, admin: str) -> bool:
    """An administrator ends `session`: its next page run shows the sign-in form."""
    import auth

    from .signin import audit, sessions

    ended = sessions().end(session.id, auth.clock(), "ended_by_admin")
    if ended:
        audit("session_ended", session.username, f"ended by {admin}")
    return ended


def recent_failures() -> list[dict]:
    import auth
    from auth.lockout import recent_failures as grouped

    from .signin import audit_log

    return grouped(audit_log(), auth.clock())


def failures_frame(rows: list[dict], lang: str) -> pd.DataFrame:
    out = [{
        "username": r["username"],
        "session_address": r["address"],
        "failure_count": fmt.number(r["count"], lang),
        "failure_first": moment_seconds(r["first_at"], lang),
        "failure_last": moment_seconds(r["last_at"], lang),
        "failure_locked": moment_seconds(r["locked_until"], lang) if r.get("locked_until") else "—",
    } for r in rows]
    return pd.DataFrame(out, columns=["username", "session_address", "failure_count", "failure_first",
                                      "failure_last", "failure_locked"])


def columns(lang: str, names: tuple[str, ...]) -> dict[str, str]:
    return {name: t(f"data_status.col_{name}", lang) for name in names}


# --- drawing -------------------------------------------------------------------------------------
def source_card(source: SourceStatus, as_of: dt.datetime, lang: str) -> None:
    """One source: reachable or the error, engine, response time, freshness, then the
    row counts and newest record of each table."""
    from .tables import show

    with st.container(border=True):
        st.subheader(source_title(source.source, lang))
        reach, engine, speed, fresh = st.columns([1.2, 1, 1, 2])
        if source.reachable:
            reach.markdown(f"**{t('data_status.connection', lang)}**  \n:green[✓ {t('data_status.reachable', lang)}]")
        else:
            reach.markdown(f"**{t('data_status.connection', lang)}**  \n:red[✗ {t('data_status.unreachable', lang)}]")
        engine.markdown(f"**{t('data_status.dialect', lang)}**  \n{dialect_name(source.dialect, lang)}")
        speed.markdown(f"**{t('data_status.response_time', lang)}**  \n{milliseconds(source.seconds, lang)}")
        if source.reachable:
            fresh.markdown(f"**{t('data_status.freshness', lang)}**  \n{freshness_line(source.newest, as_of, lang)}")
        else:
            fresh.markdown(f"**{t('data_status.freshness', lang)}**  \n—")
        if not source.reachable:
            st.error(t("data_status.unreachable_error", lang, source=t(f"source_{source.source}", lang),
                       error=plain(source.error or "—")), icon=":material/cloud_off:")
            return
        st.caption(t("data_status.checked_at", lang, time=fmt.moment(source.checked_at, lang)))
        show(tables_frame(source, as_of, lang), lang, key=f"data_status_{source.source}", period=None, as_of=as_of,
             title=t("data_status.tables_title", lang, source=t(f"source_{source.source}", lang)),
             file_stem=t("data_status.tables_file", lang, source=source.source),
             columns=columns(lang, ("label", "table", "rows", "newest", "age", "column")))
