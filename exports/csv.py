"""CSV text with every cell inert (`exports.cells.inert`), lines ended by CRLF as RFC 4180
says: the csv module quotes a field holding any character of the line end, so a
carriage return inside source text cannot split a row in a spreadsheet either."""

from __future__ import annotations

import csv as _csv
import io
from typing import Any, Iterable, Sequence

import pandas as pd

from .cells import inert

LINE_END = "\r\n"


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """RFC 4180 CSV of `rows` under `header`, None as an empty cell."""
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator=LINE_END)
    writer.writerow([inert(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else inert(v) for v in row])
    return buffer.getvalue()


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """A table's CSV as downloaded: UTF-8 with a byte-order mark, so that Excel opens
    Vietnamese text correctly."""
    safe = frame.copy()
    safe.columns = [inert(str(c)) for c in frame.columns]
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(inert)
    return safe.to_csv(index=False, lineterminator=LINE_END).encode("utf-8-sig")
