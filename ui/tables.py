"""Lists people work from: `st.dataframe` with readable column names, dates as
dd/mm/yyyy, progress bars, and CSV / XLSX downloads of exactly what is shown.

A table download holds the rows and columns shown, with numbers as numbers: the pages
write Vietnamese numbers as text for the grid ("4.256", "80,4%"), and `typed` reads
such a column back into numbers — rates as fractions with a percent format, counts and
days with a grouped number format (a Vietnamese Excel shows them as "4.256" and
"80,4%" again) — while any column with a single value that is not a number stays text.
The workbook opens on a title block: the table's title, the period, the unit and the
moment of the figures; file names carry the period
(`thu-tuc-hanh-chinh_2026-01-01_2026-06-30.xlsx`). The CSV is the bare table (its first
line the column names), numbers written plainly for other programs to read.

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

import datetime as dt
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access.db import SourceError
from data_access.lists import row_count
from data_access.model import Period, cutoff
from exports.csv import frame_to_csv
from exports.xlsx import cell_value, is_blank, save
from l10n import fmt
from l10n.i18n import t

log = logging.getLogger(__name__)

MIME = {"json": "application/json", "csv": "text/csv", "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
FAILURES_KEY = "_download_failures"        # {button key: (file name, source, kind, detail)}


# --- numbers back from the grid's text -----------------------------------------------------
# fmt.number / fmt.percent as they write: grouped thousands, optional decimals and sign.
_NUMBER = {"vi": re.compile(r"^([+\-−]?)(0|[1-9]\d{0,2}(?:\.\d{3})*)(?:,(\d+))?(%?)$"),
           "en": re.compile(r"^([+\-−]?)(0|[1-9]\d{0,2}(?:,\d{3})*)(?:\.(\d+))?(%?)$")}
_MISSING = ("", "—", "-")
FORMAT_COUNT = "#,##0"
DATE_FORMATS = {"vi": "dd/mm/yyyy", "en": "dd mmm yyyy"}
MOMENT_FORMATS = {"vi": "dd/mm/yyyy hh:mm", "en": "dd mmm yyyy hh:mm"}


def _number_format(decimals: int, percent: bool) -> str:
    places = "." + "0" * decimals if decimals else ""
    return f"0{places}%" if percent else f"{FORMAT_COUNT}{places}"


def _parse(text: str, lang: str) -> tuple[float | int, int, bool] | None:
    """(value, decimals shown, is a percentage) of a number as `l10n.fmt` writes it, else None."""
    found = _NUMBER.get(lang, _NUMBER["en"]).match(text.strip())
    if not found:
        return None
    sign, whole, decimals, percent = found.groups()
    digits = whole.replace("." if lang == "vi" else ",", "")
    value = float(f"{digits}.{decimals}") if decimals else int(digits)
    value = -value if sign in ("-", "−") else value
    if percent:
        # "80,4%" is the fraction 0.804, rounded as it was shown
        value = round(value / 100, len(decimals or "") + 2)
    return value, len(decimals or ""), bool(percent)


def _progress_rate(cfg) -> bool:
    """An English rate column: the grid's progress bar of 0–100 with a "%" format."""
    config = (cfg or {}).get("type_config") or {} if isinstance(cfg, dict) else {}
    return config.get("type") == "progress" and "%" in str(config.get("format") or "") and \
        config.get("max_value") == 100


def typed(frame: pd.DataFrame, lang: str, config: dict | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """`frame` with its number columns as numbers, and {column: XLSX number format}.

    A text column becomes numbers only when every value in it is a number as `l10n.fmt`
    writes it (or "—", an empty cell): names, codes and notes stay text. Numeric columns
    stay as they are; a rate shown as a 0–100 progress bar becomes its fraction."""
    out = frame.copy()
    formats: dict[str, str] = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            if _progress_rate((config or {}).get(column)):
                out[column] = (series / 100).round(6)          # 80.4 shown → 0.804 stored
                formats[column] = "0.0%"
            elif pd.api.types.is_integer_dtype(series):
                formats[column] = FORMAT_COUNT
            else:
                decimals = max((len(f"{v}".split(".")[1]) for v in series.dropna() if not float(v).is_integer()),
                               default=0)
                formats[column] = _number_format(min(decimals, 2), False)
            continue
        if series.dtype != object:
            continue
        parsed, decimals, percent, kinds = [], 0, None, set()
        for value in series:
            if value is None or (isinstance(value, float) and math.isnan(value)) or \
                    (isinstance(value, str) and value.strip() in _MISSING):
                parsed.append(None)
                continue
            got = _parse(value, lang) if isinstance(value, str) else None
            if got is None:
                break
            parsed.append(got[0])
            decimals = max(decimals, got[1])
            kinds.add(got[2])
        else:
            if len(kinds) == 1 and any(v is not None for v in parsed):
                percent = kinds.pop()
                out[column] = pd.Series(parsed, index=frame.index, dtype=object)
                formats[column] = _number_format(decimals, percent)
    return out, formats


@dataclass(frozen=True)
class Heading:
    """The title block of a table's workbook: its title and the lines under it."""

    title: str
    lines: tuple[str, ...] = ()


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame_to_csv(frame)


def to_xlsx(frame: pd.DataFrame, sheet: str, heading: Heading | None = None, lang: str = "vi",
            formats: dict[str, str] | None = None) -> bytes:
    """One sheet: the title block (when given), then the header row (bold, frozen with
    everything above it) and the rows; numbers in `formats`, dates as the reader writes them."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "-", sheet)[:31] or "1"
    row = 1
    if heading is not None:
        ws.cell(row=1, column=1, value=heading.title).font = Font(bold=True, size=13)
        for i, line in enumerate(heading.lines, start=2):
            ws.cell(row=i, column=1, value=line).font = Font(italic=True)
        row = len(heading.lines) + 3
    for col, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=row, column=col, value=str(name))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    header_row = row
    number_formats = [(formats or {}).get(c) for c in frame.columns]
    for values in frame.itertuples(index=False):
        row += 1
        for col, value in enumerate(values, start=1):
            value = None if is_blank(value) else cell_value(value)
            cell = ws.cell(row=row, column=col, value=value)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and number_formats[col - 1]:
                cell.number_format = number_formats[col - 1]
            elif isinstance(value, dt.datetime):
                cell.number_format = MOMENT_FORMATS.get(lang, MOMENT_FORMATS["en"]) if value.time() != dt.time() \
                    else DATE_FORMATS.get(lang, DATE_FORMATS["en"])
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMATS.get(lang, DATE_FORMATS["en"])
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for col, name in enumerate(frame.columns, start=1):
        cells = [str(name)] + [_shown(v) for v in frame.iloc[:200, col - 1]]
        width = max(len(line) for text in cells for line in (text.splitlines() or [""]))
        ws.column_dimensions[ws.cell(row=header_row, column=col).column_letter].width = min(60, max(10, width + 2))
    return save(wb)


def _shown(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return "00/00/0000 00:00"
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def _csv_frame(frame: pd.DataFrame, numbers: pd.DataFrame, formats: dict[str, str]) -> pd.DataFrame:
    """The CSV's table: the number columns as plain numbers (rates as fractions)."""
    out = frame.copy()
    for column in formats:
        out[column] = numbers[column]
    return out


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


VIEW_PERIOD = object()          # the page's period (the default of `download_buttons` and `show`)


def _heading_and_name(file_stem: str, title: str | None, period, as_of: dt.datetime | None,
                      lang: str) -> tuple[Heading, str]:
    """The title block and file name of a table download, from the page's view: the
    period (`period`, the view's by default, None for a table no period bounds), the
    unit the user is granted, and the moment of the figures (the period's cut-off,
    `as_of` when the caller gives it)."""
    from . import data
    from .shell import VIEW_KEY

    view = st.session_state.get(VIEW_KEY)
    if period is VIEW_PERIOD:
        period = view.period if view is not None else None
    unit = data.granted_unit(view.unit) if view is not None else None
    moment = as_of or (cutoff(period, data.as_of_now()) if period is not None else data.as_of_now())
    lines = []
    if period is not None:
        lines.append(t("download_period", lang, start=fmt.date(period.start, lang), end=fmt.date(period.end, lang)))
    if view is not None:
        names = data.unit_names().value or {}
        scope = (names[unit][0 if lang == "vi" else 1] if unit in names else unit) if unit else \
            t("whole_ministry", lang)
        lines.append(t("download_scope", lang, scope=scope))
    lines.append(t("download_as_of", lang, time=fmt.moment(moment, lang)))
    name = file_stem
    if period is not None:
        name += f"_{period.start.isoformat()}_{period.end.isoformat()}"
    if unit:
        name += f"_{unit}"
    return Heading(title or file_stem, tuple(lines)), name


def download_buttons(frame: pd.DataFrame, lang: str, *, key: str, file_stem: str, title: str | None = None,
                     period: Period | None = VIEW_PERIOD, as_of: dt.datetime | None = None,
                     config: dict | None = None) -> None:
    """CSV and XLSX of `frame` as shown, built when clicked; each download is written to
    the audit log. Numbers are numbers in both (`typed`; `config` is the grid's column
    configuration, which tells a 0–100 rate); the workbook opens on `title` with the
    period, unit and moment of the figures; the file names carry the period."""
    heading, name = _heading_and_name(file_stem, title, period, as_of, lang)

    def workbook() -> bytes:
        numbers, formats = typed(frame, lang, config)
        return to_xlsx(numbers, heading.title, heading, lang, formats)

    def table() -> bytes:
        numbers, formats = typed(frame, lang, config)
        return to_csv(_csv_frame(frame, numbers, formats))

    offer([
        Download(t("download_csv", lang), f"{name}.csv", table, f"{key}_csv", len(frame), ":material/download:"),
        Download(t("download_xlsx", lang), f"{name}.xlsx", workbook, f"{key}_xlsx", len(frame), ":material/table:"),
    ], lang)


def show(frame: pd.DataFrame, lang: str, *, key: str, file_stem: str, columns: dict[str, str],
         config: dict | None = None, height: int | str = "auto", on_select=None, title: str | None = None,
         period: Period | None = VIEW_PERIOD, as_of: dt.datetime | None = None) -> object:
    """Show `frame` with the given {column: label} in order; offer it for download
    (`title`, `period`, `as_of`: see `download_buttons`).

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
    download_buttons(shown, lang, key=key, file_stem=file_stem, title=title, period=period, as_of=as_of,
                     config=column_config)
    return event
