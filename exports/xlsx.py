"""XLSX workbooks written as values: text is text (never a formula, even when it begins
like one), and numbers are the exact doubles the engine computed."""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from .cells import starts_a_formula


def _settle(cell: Cell) -> None:
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and starts_a_formula(value)):
        # openpyxl stores any text beginning with "=" as a formula. The product writes
        # none, so such a cell holds data: kept as text, and marked (quotePrefix) so
        # that editing it in Excel does not turn it into one either.
        cell.value = str(value)
        cell.data_type = "s"
        cell.quotePrefix = True
    elif type(value) is float and math.isfinite(value):
        # openpyxl writes floats as "%.16g", one digit short of what a double needs;
        # `repr` is the shortest text that reads back as exactly the same double.
        cell.value = repr(value)
        cell.data_type = "n"


def save(wb: Workbook) -> bytes:
    """The workbook's bytes, every cell settled as above."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _settle(cell)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def frame_to_xlsx(frame: pd.DataFrame, sheet: str) -> bytes:
    """One sheet holding `frame`, header row frozen, columns as wide as their text."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        ws.append([None if is_blank(v) else cell_value(v) for v in row])
    ws.freeze_panes = "A2"
    for column in ws.columns:
        width = max(len(str(cell.value or "")) for cell in column[:200])
        ws.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    return save(wb)


def is_blank(value) -> bool:
    """A value a cell leaves empty: None, NaN, NaT, pd.NA."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def cell_value(value):
    """numpy and pandas scalars as the Python values openpyxl writes (a timestamp
    without its zone: a workbook's cell has none)."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value
