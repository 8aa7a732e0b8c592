"""The generated tables of docs/kpis.md, rendered from the KPI catalogue `config/kpis.toml`.

`python -m data_access.kpi_docs` rewrites the parts of docs/kpis.md between the markers
`<!-- kpi-table:start -->` … `<!-- kpi-table:end -->` (one row per KPI) and
`<!-- kpi-766-table:start -->` … `<!-- kpi-766-table:end -->` (the Decision 766
indicators); the rest of the page is written by hand. `--check` changes nothing and
exits 1 when the page is out of date with the catalogue (tests and CI run it).

The catalogue is read with `tomllib` alone, so this works whatever state the KPI engine
is in.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = PROJECT_ROOT / "config" / "kpis.toml"
DOC = PROJECT_ROOT / "docs" / "kpis.md"

KPI_MARKERS = ("<!-- kpi-table:start -->", "<!-- kpi-table:end -->")
INDICATOR_MARKERS = ("<!-- kpi-766-table:start -->", "<!-- kpi-766-table:end -->")

_UNIT_WORDS = {
    "count": "count",
    "rate": "rate (fraction 0–1, shown as %)",
    "days": "days",
    "index": "index (0–100)",
    "points": "points (0–100)",
}
_BETTER_SIGN = {"higher": "≥", "lower": "≤"}


class DocError(ValueError):
    """docs/kpis.md lacks a marker, or the catalogue a field the tables need."""


def load(path: Path | str = CATALOGUE) -> list[dict[str, Any]]:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    kpis = raw.get("kpi", [])
    if not isinstance(kpis, list) or not kpis:
        raise DocError(f"{path}: no [[kpi]] records")
    return kpis


# --- cells -----------------------------------------------------------------------------
def cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: one line, `|` escaped."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text.replace("|", "\\|")


def code(text: str) -> str:
    return f"`{text}`"


def number(value: Any, unit: str | None = None) -> str:
    """A catalogue number as written for people: rates with two decimals, others plain."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and unit == "rate":
        return f"{value:.2f}" if round(value, 2) == value else repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def threshold(kpi: dict[str, Any], key: str) -> str:
    value = kpi.get(key)
    if value is None or kpi.get("better", "none") not in _BETTER_SIGN:
        return "—"
    return f"{_BETTER_SIGN[kpi['better']]} {number(value, kpi.get('unit'))}"


def _sum(names: list[str]) -> str:
    terms = " + ".join(code(n) for n in names)
    return f"({terms})" if len(names) > 1 else terms


def formed(kpi: dict[str, Any]) -> str:
    """How the KPI is formed from its measures, in one line."""
    form = kpi.get("form", "count")
    if form == "count":
        return f"count: {code(kpi['measure'])}"
    if form in ("ratio", "mean"):
        denominator = kpi.get("denominator") or []
        if isinstance(denominator, str):
            denominator = [denominator]
        return (f"{form}: {code(kpi['numerator'])} ÷ {_sum(list(denominator))}; "
                "undefined when the divisor is 0")
    if form == "index":
        n = len(kpi.get("indicator", []))
        return f"index: Decision 766 formula over its {n} indicators (table below)"
    if form == "mean_of_units":
        return f"mean_of_units: mean of {code(kpi['measure'])} over the units where it is defined"
    raise DocError(f"KPI {kpi.get('id')!r}: unknown form {form!r}")


# --- tables ----------------------------------------------------------------------------
def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_table(path: Path | str = CATALOGUE) -> str:
    """The per-KPI table of docs/kpis.md, one row per catalogue record in report order."""
    header = ["id", "name (vi)", "name (en)", "definition", "unit", "better", "target (green)",
              "amber", "how it is formed", "criterion"]
    lines = [_row(header), _row(["---"] * len(header))]
    for kpi in load(path):
        definition = cell(kpi.get("definition_en"))
        if kpi.get("definition_vi"):
            definition += f"<br>*{cell(kpi['definition_vi'])}*"
        lines.append(_row([
            code(cell(kpi["id"])),
            cell(kpi.get("name_vi")),
            cell(kpi.get("name_en")),
            definition,
            cell(_UNIT_WORDS.get(kpi.get("unit"), kpi.get("unit"))),
            cell(kpi.get("better", "none")),
            cell(threshold(kpi, "target")),
            cell(threshold(kpi, "amber")),
            cell(formed(kpi)),
            "yes" if kpi.get("criterion") else "",
        ]))
    return "\n".join(lines) + "\n"


def render_indicators(path: Path | str = CATALOGUE) -> str:
    """The Decision 766 indicators of every `form = "index"` KPI, with their weights."""
    header = ["KPI", "indicator", "name (vi)", "name (en)", "ratio (KPI)", "max", "full_at"]
    lines = [_row(header), _row(["---"] * len(header))]
    totals: list[str] = []
    for kpi in load(path):
        if kpi.get("form") != "index":
            continue
        indicators = kpi.get("indicator", [])
        for ind in indicators:
            lines.append(_row([
                code(cell(kpi["id"])),
                cell(ind.get("indicator")),
                cell(ind.get("name_vi")),
                cell(ind.get("name_en")),
                code(cell(ind.get("ratio"))),
                cell(number(ind.get("max"))),
                cell(number(float(ind.get("full_at")), "rate")),
            ]))
        total = sum(float(ind.get("max", 0)) for ind in indicators)
        totals.append(f"`{kpi['id']}`: {len(indicators)} indicators, Σ max = {number(total)} points.")
    return "\n".join(lines) + "\n\n" + "\n".join(totals) + "\n"


# --- the page --------------------------------------------------------------------------
def replace_between(text: str, markers: tuple[str, str], body: str) -> str:
    start, end = markers
    i = text.find(start)
    j = text.find(end)
    if i < 0 or j < 0 or j < i:
        raise DocError(f"docs/kpis.md lacks the markers {start} … {end}")
    return text[: i + len(start)] + "\n" + body + text[j:]


def render_page(text: str, path: Path | str = CATALOGUE) -> str:
    """`text` (the page) with both generated tables brought up to date."""
    text = replace_between(text, KPI_MARKERS, render_table(path))
    return replace_between(text, INDICATOR_MARKERS, render_indicators(path))


def main(argv: list[str] | None = None) -> int:
    from .cli import _Parser          # a bad argument: one line and status 2, as every command line

    parser = _Parser(prog="python -m data_access.kpi_docs",
                     description="Regenerate the KPI tables of docs/kpis.md from config/kpis.toml.")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if docs/kpis.md is out of date")
    parser.add_argument("--catalogue", type=Path, default=CATALOGUE, help="the KPI catalogue (default: config/kpis.toml)")
    parser.add_argument("--doc", type=Path, default=DOC, help="the page to update (default: docs/kpis.md)")
    args = parser.parse_args(argv)
    try:
        current = args.doc.read_text(encoding="utf-8")
        wanted = render_page(current, args.catalogue)
    except (OSError, ValueError, DocError, KeyError, tomllib.TOMLDecodeError) as exc:   # ValueError: a NUL in a path
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    if wanted == current:
        return 0
    if args.check:
        print(f"{args.doc} is out of date with {args.catalogue}: run python -m data_access.kpi_docs",
              file=sys.stderr)
        return 1
    args.doc.write_text(wanted, encoding="utf-8")
    print(f"{args.doc} updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
