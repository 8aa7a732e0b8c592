"""The project's documentation is its own: README.md and docs/*.md link only to files
inside the repository, nothing tracked points at files outside it, and docs/kpis.md is
up to date with the KPI catalogue (config/kpis.toml). No database needed."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from data_access import kpi_docs

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [ROOT / "README.md", *DOCS]

# [text](target) or [text](target "title"); images too. Targets with a scheme are external.
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")

# References to files that live outside the repository (the design material the project
# was started from). Written so that this file does not match itself.
OUTSIDE = re.compile(
    r"\.\./shared"
    r"|shared/(?:spec|seeds)"
    r"|\b(?:KPIS|SCHEMA|ORGANISATION|DOMAIN|PRODUCT|STREAMLIT|DEVELOPERS)\.md\b"
)


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks."""
    out, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append((number, line))
    return out


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces → '-'."""
    text = re.sub(r"<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link's text only
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found: set[str] = set()
    for _, line in _prose_lines(path.read_text(encoding="utf-8")):
        m = HEADING.match(line)
        if not m:
            continue
        base = slug(m.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(path: Path) -> list[tuple[int, str]]:
    out = []
    for number, line in _prose_lines(path.read_text(encoding="utf-8")):
        for m in LINK.finditer(line):
            out.append((number, m.group(1)))
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve_inside_the_repository(page: Path):
    problems = []
    for number, target in links(page):
        if EXTERNAL.match(target):
            continue
        where = f"{page.relative_to(ROOT)}:{number}: {target}"
        path_part, _, anchor = target.partition("#")
        file = page if not path_part else (page.parent / path_part).resolve()
        if path_part:
            if not file.is_relative_to(ROOT):
                problems.append(f"{where} points outside the repository")
                continue
            if not file.exists():
                problems.append(f"{where} does not exist")
                continue
        if anchor and file.suffix == ".md" and anchor not in anchors(file):
            problems.append(f"{where}: no heading with the anchor #{anchor} in {file.relative_to(ROOT)}")
    assert not problems, "broken links:\n" + "\n".join(problems)


def _tracked() -> list[Path]:
    patterns = ["*.py", "*.toml", "*.md", "Makefile", ".ci/run"]
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", *patterns], cwd=ROOT, check=True,
                                capture_output=True).stdout.decode().split("\0")
        files = {ROOT / name for name in listed if name}
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: every such file
        skip = {".git", ".venv", "data", "artifacts", "__pycache__"}
        files = {p for pat in patterns for p in ROOT.rglob(pat)
                 if p.is_file() and not skip.intersection(p.relative_to(ROOT).parts)}
    files.update(PAGES)  # the pages themselves, tracked yet or not
    return sorted(p for p in files if p.is_file())


def test_nothing_refers_to_files_outside_the_repository():
    offending: dict[str, list[str]] = {}
    for path in _tracked():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for m in OUTSIDE.finditer(line):
                offending.setdefault(str(path.relative_to(ROOT)), []).append(f"{number}: {m.group(0)}")
    report = "\n".join(f"{name}: " + "; ".join(hits) for name, hits in sorted(offending.items()))
    assert not offending, "files referring to files outside the repository:\n" + report


def test_kpis_page_is_up_to_date_with_the_catalogue():
    page = kpi_docs.DOC.read_text(encoding="utf-8")
    assert kpi_docs.render_page(page) == page, "run: python -m data_access.kpi_docs"


def test_check_command_reports_an_outdated_page(tmp_path):
    page = tmp_path / "kpis.md"
    start = kpi_docs.KPI_MARKERS[0]
    stale = kpi_docs.DOC.read_text(encoding="utf-8").replace(start, start + "\n| an old row |", 1)
    page.write_text(stale, encoding="utf-8")
    check = [sys.executable, "-m", "data_access.kpi_docs", "--doc", str(page)]
    assert subprocess.run([*check, "--check"], cwd=ROOT, capture_output=True).returncode == 1
    assert subprocess.run(check, cwd=ROOT, capture_output=True).returncode == 0
    assert page.read_text(encoding="utf-8") == kpi_docs.render_page(stale)
    assert subprocess.run([*check, "--check"], cwd=ROOT, capture_output=True).returncode == 0


def _catalogue() -> list[dict]:
    with open(kpi_docs.CATALOGUE, "rb") as fh:
        return tomllib.load(fh)["kpi"]


def _hand_written() -> str:
    """docs/kpis.md without its generated tables."""
    text = kpi_docs.DOC.read_text(encoding="utf-8")
    for start, end in (kpi_docs.KPI_MARKERS, kpi_docs.INDICATOR_MARKERS):
        text = text[: text.index(start)] + text[text.index(end) + len(end):]
    return text


def test_every_kpi_is_defined_in_the_kpis_page():
    whole = kpi_docs.DOC.read_text(encoding="utf-8")
    prose = _hand_written()
    ids = [k["id"] for k in _catalogue()]
    assert [i for i in ids if f"`{i}`" not in whole] == []
    # …and defined in words, not only listed in the generated table.
    assert [i for i in ids if f"`{i}`" not in prose] == []


def test_every_measure_of_the_catalogue_is_defined_in_the_kpis_page():
    prose = _hand_written()
    used = set()
    for kpi in _catalogue():
        for key in ("measure", "numerator"):
            if kpi.get(key):
                used.add(kpi[key])
        used.update(kpi.get("denominator") or [])
    assert sorted(m for m in used if f"`{m}`" not in prose) == []


def test_table_cells_escape_pipes(tmp_path):
    catalogue = tmp_path / "kpis.toml"
    catalogue.write_text(
        '[[kpi]]\nid = "a.b"\nname_vi = "x | y"\nname_en = "n"\ndefinition_en = "p | q"\n'
        'unit = "count"\nbetter = "none"\nform = "count"\nmeasure = "f.m"\n',
        encoding="utf-8")
    table = kpi_docs.render_table(catalogue)
    row = table.splitlines()[2]
    assert "x \\| y" in row and "p \\| q" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == len(re.findall(r"(?<!\\)\|", table.splitlines()[0]))


def test_anchor_slugs_follow_github():
    assert slug("The Decision 766 service index") == "the-decision-766-service-index"
    assert slug("Emulation — `emulation.*`") == "emulation--emulation"
    assert slug("Data-quality findings: `python -m data_access check`") == \
        "data-quality-findings-python--m-data_access-check"
