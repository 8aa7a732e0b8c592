"""Numbers and dates in the reader's language: `1.234,5` and dd/mm/yyyy in Vietnamese."""

from __future__ import annotations

import datetime as dt


def number(value: float | int | None, lang: str, decimals: int = 0, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = f"{value:+,.{decimals}f}" if signed else f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(rate: float | None, lang: str, decimals: int = 1) -> str:
    return "—" if rate is None else number(rate * 100, lang, decimals) + "%"


def kpi_value(value: float | int | None, unit: str, lang: str) -> str:
    """A KPI in its catalogue unit: counts whole, rates as %, days and scores with one decimal."""
    if value is None:
        return "—"
    if unit == "rate":
        return percent(value, lang)
    if unit == "count":
        return number(value, lang)
    if unit == "days":
        return number(value, lang, 1) + (" ngày" if lang == "vi" else " days")
    return number(value, lang, 1)


def date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "—"
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.strftime("%d %b %Y")


def moment(value: dt.datetime, lang: str) -> str:
    return f"{value:%H:%M} {date(value.date(), lang)}"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_label(key: str, lang: str) -> str:
    """'2026-11' as '11/2026' in Vietnamese, 'Nov 2026' in English."""
    year, month = int(key[:4]), int(key[5:7])
    return f"{month:02d}/{year}" if lang == "vi" else f"{_MONTHS_EN[month - 1]} {year}"


def time_of_day(value: dt.datetime) -> str:
    return f"{value:%H:%M}"
