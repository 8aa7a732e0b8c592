"""Lists people work from: `st.dataframe` with readable column names, dates as
dd/mm/yyyy, progress bars, and CSV / XLSX downloads of exactly what is shown.

A row list of `data_access.lists` cut at its limit carries its total (`frame.attrs`);
`show` then says "showing the first N of M" above the table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.lists import row_count
from exports.csv import frame_to_csv
from exports.xlsx import frame_to_xlsx
from l10n import fmt
from l10n.i18n import t


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame_to_csv(frame)


def to_xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    return frame_to_xlsx(frame, sheet)


def record_export(file_name: str, rows: int) -> None:
    # Imported here: sign-in needs the app's own database, the table helpers do not.
    from .data import principal
    from .signin import audit

    who = principal()
    audit("export", who.username if who else None, f"{file_name} ({rows} rows)")


def capped_notice(frame: pd.DataFrame | None, lang: str) -> str | None:
    """The notice "showing the first N of M rows" when `frame` is a list cut at its limit, else None."""
    count = row_count(frame)
    if not count.capped:
        return None
    return t("rows_shown_of_total", lang, shown=fmt.number(count.shown, lang), total=fmt.number(count.total, lang))


def download_buttons(frame: pd.DataFrame, lang: str, *, key: str, file_stem: str) -> None:
    """CSV and XLSX of `frame` as shown; each download is written to the audit log."""
    buttons = st.container(horizontal=True, gap="small")
    for kind, data, mime, icon in (
        ("csv", to_csv(frame), "text/csv", ":material/download:"),
        ("xlsx", to_xlsx(frame, file_stem), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ":material/table:"),
    ):
        name = f"{file_stem}.{kind}"
        buttons.download_button(t(f"download_{kind}", lang), data, file_name=name, mime=mime, key=f"{key}_{kind}",
                                icon=icon, on_click=record_export, args=(name, len(frame)))


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
