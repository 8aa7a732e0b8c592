"""Lists people work from: `st.dataframe` with readable column names, dates as
dd/mm/yyyy, progress bars, and CSV / XLSX downloads of exactly what is shown.

A row list of `data_access.lists` cut at its limit carries its total (`frame.attrs`);
`show` then says "showing the first N of M" above the table.

Every download of the app goes through `offer` (a row of download buttons): its file is
built only when its button is clicked, and the click does not rerun the page. A rerun
would register every file of the page anew, so a second button clicked right after
the first would ask for a file the server has already forgotten. The build runs on a
thread of its own, outside any script run: everything it needs (the rows, the user,
the language) is bound when the button is drawn. A successful build writes the
download to the audit log, once; a failed one is logged on the server, serves no file,
and is explained on the page's next run (`offer` draws the notice below the buttons).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access.db import SourceError
from data_access.lists import row_count
from exports.csv import frame_to_csv
from exports.xlsx import frame_to_xlsx
from l10n import fmt
from l10n.i18n import t

log = logging.getLogger(__name__)

MIME = {"json": "application/json", "csv": "text/csv", "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
FAILURES_KEY = "_download_failures"        # {button key: (file name, source, kind, detail)}


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame_to_csv(frame)


def to_xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    return frame_to_xlsx(frame, sheet)


def record_export(file_name: str, rows: int, username: str | None) -> bool:
    """Write one download to the audit log ('export', the user, "<file> (<n> rows)").
    Safe outside a script run: the username is given, not read from the session."""
    # Imported here: sign-in needs the app's own database, the table helpers do not.
    from .signin import audit

    return audit("export", username, f"{file_name} ({rows} rows)")


class DownloadFailed(Exception):
    """A file could not be built; the reason is in the server's log and on the page."""


@dataclass(frozen=True)
class Download:
    """One download button: `build` makes the file's bytes when the button is clicked."""

    label: str
    file_name: str
    build: Callable[[], bytes]
    key: str
    rows: int
    icon: str | None = None

    @property
    def mime(self) -> str:
        return MIME.get(self.file_name.rsplit(".", 1)[-1], "application/octet-stream")


def deferred(download: Download) -> Callable[[], bytes]:
    """`download.build` for `st.download_button(data=...)`, run when the button is clicked
    (on Streamlit's thread, outside the script run): on success the download is audited
    once and its bytes returned; on failure it is logged, noted for the page's next run,
    and no file is served. The user, their session and the note's mailbox are bound now:
    a click after the session has ended gets no file."""
    from .signin import SESSION_KEY, session_open

    who = _principal()
    username = who.username if who else None
    session = st.session_state.get(SESSION_KEY)
    failures = st.session_state.setdefault(FAILURES_KEY, {})

    def build() -> bytes:
        if session is not None and not session_open(session):
            # Signed out, or ended by an administrator, since the button was drawn.
            log.warning("download %s refused: the session of %s has ended", download.file_name, username)
            raise DownloadFailed(download.file_name)
        try:
            content = download.build()
        except Exception as exc:            # noqa: BLE001 - whatever it is, the user gets words, not a file
            log.exception("download %s (%s) not built", download.file_name, username)
            if isinstance(exc, SourceError):
                failures[download.key] = (download.file_name, exc.source, exc.kind, exc.detail)
            else:
                failures[download.key] = (download.file_name, None, None, None)
            raise DownloadFailed(download.file_name) from None
        failures.pop(download.key, None)
        try:
            record_export(download.file_name, download.rows, username)
        except Exception:                   # noqa: BLE001 - like a down audit database: logged, file served
            log.exception("export of %s by %s not audited", download.file_name, username)
        return content

    return build


def _principal():
    from .data import principal

    return principal()


def failure_text(file_name: str, source: str | None, kind: str | None, detail: str | None, lang: str) -> str:
    """Why the file could not be built, in the words of the page's source messages."""
    from .text import plain

    if source is None:
        return t("download_failed", lang, file=plain(file_name))
    from .data import Outcome
    from .shell import fault_text

    outcome = Outcome(failed_source=source, fault=kind, detail=detail)
    return t("download_failed_source", lang, file=plain(file_name),
             reason=fault_text(outcome, t(f"source_{source}", lang), lang))


def offer(downloads: list[Download], lang: str, *, row=None) -> None:
    """Download buttons in a row (`row`, else a new one); below it, why a file of the row
    could not be built on its last click (said once)."""
    if row is None:
        row = st.container(horizontal=True, gap="small")
    for download in downloads:
        row.download_button(download.label, deferred(download), file_name=download.file_name, mime=download.mime,
                            key=download.key, icon=download.icon, on_click="ignore")
    failures = st.session_state.get(FAILURES_KEY) or {}
    for download in downloads:
        failed = failures.pop(download.key, None)
        if failed is not None:
            st.error(failure_text(*failed, lang), icon=":material/cloud_off:" if failed[1] else ":material/error:")

def capped_notice(frame: pd.DataFrame | None, lang: str) -> str | None:
    """The notice "showing the first N of M rows" when `frame` is a list cut at its limit, else None."""
    count = row_count(frame)
    if not count.capped:
        return None
    return t("rows_shown_of_total", lang, shown=fmt.number(count.shown, lang), total=fmt.number(count.total, lang))


def download_buttons(frame: pd.DataFrame, lang: str, *, key: str, file_stem: str) -> None:
    """CSV and XLSX of `frame` as shown, built when clicked; each download is written to the audit log."""
    offer([
        Download(t("download_csv", lang), f"{file_stem}.csv", lambda: to_csv(frame), f"{key}_csv", len(frame),
                 ":material/download:"),
        Download(t("download_xlsx", lang), f"{file_stem}.xlsx", lambda: to_xlsx(frame, file_stem), f"{key}_xlsx",
                 len(frame), ":material/table:"),
    ], lang)


def show(frame: pd.DataFrame, lang: str, *, key: str, file_stem: str, columns: dict[str, str],
         config: dict | None = None, height: int | str = "auto", on_select=None) -> object:
    """Show `frame` with the given {column: label} in order; offer it for download.

    The downloads hold the same rows and the same readable column names as the table;
    a list cut at its limit (see `capped_notice`) says so above the table."""
    if frame.empty:
        st.info(t("no_data", lang), icon=":material/inbox:")
        return None
    notice = capped_notice(frame, lang)
    if notice:
        st.caption(notice)
    shown = frame[list(columns)].rename(columns=columns)
    column_config = {columns[name]: cfg for name, cfg in (config or {}).items() if name in columns}
    event = st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=column_config,
                         key=key, on_select=on_select or "ignore", selection_mode="single-row")
    download_buttons(shown, lang, key=key, file_stem=file_stem)
    return event
