"""One cell's value as a spreadsheet must store it: text that a spreadsheet would read as
a formula is made inert; numbers, dates, booleans and empty cells stay what they are."""

from __future__ import annotations

from typing import Any

# The first characters that make Excel, LibreOffice or Google Sheets read a cell as a
# formula or a command (OWASP's list, with the full-width forms some versions accept).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def starts_a_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def inert(value: Any) -> Any:
    """`value` for a CSV cell: text that would start a formula gets a leading apostrophe
    (shown by spreadsheets as the text it was); anything else is returned as is."""
    if isinstance(value, str) and starts_a_formula(value):
        return "'" + value
    return value
