"""One palette (design/palette.py) for the cards, the charts, the kiosk and the deck: no
other file writes a colour, Streamlit's theme repeats the palette exactly, every status
the catalogue gives has a colour, and the colours keep WCAG AA contrast."""

from __future__ import annotations

import itertools
import re
import subprocess
import tokenize
import tomllib
from pathlib import Path

import pytest

from design import palette
from design.palette import DARK, LIGHT, contrast

ROOT = Path(__file__).resolve().parents[1]
AA_TEXT = 4.5
SCHEMES = (LIGHT, DARK)

# A hex colour or a CSS rgb() inside a string literal.
COLOUR = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b|\brgba?\(")
# Literals still written in files of other engineers, none of them a status colour; each
# one goes when its file imports design.palette.
PENDING: dict[str, set[str]] = {}


def _tracked_python(*folders: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", "--", *(f"{f}/*.py" for f in folders), "app.py"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [p for p in out.split() if p != "design/palette.py"]


def _colour_literals(path: Path) -> list[tuple[int, str]]:
    found = []
    with path.open("rb") as f:
        for tok in tokenize.tokenize(f.readline):
            if tok.type == tokenize.STRING:
                found += [(tok.start[0], m.group(0)) for m in COLOUR.finditer(tok.string)]
    return found


# --- one definition -------------------------------------------------------------------------
def test_no_colour_literal_outside_the_palette():
    files = _tracked_python("ui", "reports", "screens", "design")
    assert "ui/charts.py" in files and "reports/deck.py" in files
    stray = []
    for name in files:
        for line, literal in _colour_literals(ROOT / name):
            if literal.upper() not in {c.upper() for c in PENDING.get(name, ())}:
                stray.append(f"{name}:{line}: {literal}")
    assert not stray, "colours belong in design/palette.py:\n" + "\n".join(stray)


def test_pending_literals_are_not_status_colours():
    statuses = {c.upper() for s in SCHEMES for c in s.status.values()}
    for literals in PENDING.values():
        for literal in literals:
            assert literal.upper() not in statuses
            for colour in statuses:      # nor a shade of one
                assert sum(abs(a - b) for a, b in zip(palette.rgb(literal), palette.rgb(colour))) > 90


def test_streamlit_theme_repeats_the_palette():
    """config.toml cannot import Python: it must say exactly what the palette says."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert config["chartCategoricalColors"] == list(LIGHT.series)
    for scheme in SCHEMES:
        theme = config[scheme.name]
        assert theme["backgroundColor"] == scheme.background
        assert theme["secondaryBackgroundColor"] == scheme.surface
        assert theme["textColor"] == scheme.ink
        assert theme["primaryColor"] == scheme.primary
        assert theme["blueColor"] == scheme.volume
        assert theme["sidebar"]["backgroundColor"] == scheme.sidebar
        for status, name in palette.STREAMLIT_NAMES.items():
            assert theme[f"{name}Color"] == scheme.status_colour(status), (scheme.name, name)
            assert theme[f"{name}TextColor"] == scheme.status_colour(status), (scheme.name, name)
            assert theme[f"{name}BackgroundColor"] == scheme.badge_background(status), (scheme.name, name)


def test_app_kiosk_and_deck_draw_the_same_status_colours():
    from reports import deck, slide_charts
    from ui import charts, kiosk

    for status in palette.STATUSES:
        assert slide_charts.status_colour(status) == deck.status_colour(status) == LIGHT.status_colour(status)
    assert charts.status_scale(LIGHT).range == [LIGHT.green, LIGHT.amber, LIGHT.red, LIGHT.grey]
    assert charts.status_scale(DARK).range == [DARK.green, DARK.amber, DARK.red, DARK.grey]
    assert charts.scheme() is LIGHT           # outside a browser session: the light theme
    for status in ("green", "amber", "red"):
        assert f".tile.{status} {{ border-left-color: {LIGHT.status_colour(status)}; }}" in kiosk._CSS
        assert f"b.{status} {{ color: {LIGHT.status_colour(status)}; }}" in kiosk._CSS


# --- every status has a colour -------------------------------------------------------------------
def test_every_status_the_catalogue_gives_has_a_colour():
    from data_access import catalogue

    given = set()
    for kpi in catalogue.get():
        probes = [None, 0.0, -1e9, 1e9]
        probes += [x + d for x in (kpi.target, kpi.amber) if x is not None for d in (-1e-6, 0.0, 1e-6)]
        given |= {kpi.status(v) for v in probes}
    assert given <= set(palette.STATUSES)
    assert {"green", "amber", "red", None} <= given
    for scheme in SCHEMES:
        colours = [scheme.status_colour(s) for s in palette.STATUSES]
        assert len(set(colours)) == len(colours), scheme.name       # four statuses, four colours
        assert scheme.status_colour("unknown") == scheme.grey
    assert set(palette.STREAMLIT_NAMES) == set(palette.STATUSES)
    assert set(LIGHT.task_categories) == set(palette.TASK_CATEGORIES)


# --- contrast --------------------------------------------------------------------------------------
def test_contrast_ratio_is_computed_as_wcag_says():
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("#A15800", "#FFFFFF") == contrast("#FFFFFF", "#A15800")
    assert palette.blend("#000000", "#FFFFFF", 0.5) == "#808080"


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.name)
def test_status_colours_read_as_text_on_every_background_they_meet(scheme):
    """A status word is written in its colour on the page, a card or tile, the sidebar
    and its own badge: AA (4.5:1) on each."""
    for status in palette.STATUSES:
        colour = scheme.status_colour(status)
        for where, background in (("page", scheme.background), ("surface", scheme.surface),
                                  ("sidebar", scheme.sidebar), ("badge", scheme.badge_background(status))):
            ratio = contrast(colour, background)
            assert ratio >= AA_TEXT, f"{scheme.name} {status} on {where}: {ratio:.2f}"


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.name)
def test_text_colours_keep_aa_contrast(scheme):
    for text, background in itertools.product((scheme.ink, scheme.ink_muted, scheme.grey),
                                              (scheme.background, scheme.surface)):
        assert contrast(text, background) >= AA_TEXT, (scheme.name, text, background)
    # the volume colour titles a chart's axis, and Streamlit's `:blue[...]`, on the page
    assert contrast(scheme.volume, scheme.background) >= AA_TEXT, scheme.name


def test_deck_and_report_text_on_navy_and_table_headings():
    for text, background in ((palette.ON_NAVY, palette.NAVY), (palette.ON_NAVY_MUTED, palette.NAVY),
                             (palette.NAVY, palette.PAPER), (palette.INK, palette.TABLE_HEADING),
                             (palette.INK_MUTED, palette.SURFACE)):
        assert contrast(text, background) >= AA_TEXT, (text, background)


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = (c / 255 for c in palette.rgb(colour))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_status_colours_stay_apart():
    """Green, amber and red are plainly different colours (CIE76 ΔE above 25; 2.3 is
    barely noticeable). For the colour-blind, every status also carries an icon or a word."""
    for scheme in SCHEMES:
        for a, b in itertools.combinations(("green", "amber", "red"), 2):
            la, lb = _lab(scheme.status_colour(a)), _lab(scheme.status_colour(b))
            delta = sum((x - y) ** 2 for x, y in zip(la, lb)) ** 0.5
            assert delta > 25, (scheme.name, a, b, round(delta, 1))
