"""One palette for the traffic lights, on every screen and every printed page.

A deputy minister must read the same colour for the same status on the laptop, on the
conference-room screen (the kiosk) and in the printed deck: a unit "to watch" cannot be
orange on one, ochre on the next and brown on paper. So every colour that carries a
meaning is defined here, once, and imported by the app's cards and Altair charts
(`ui/`), the kiosk (`ui/kiosk.py`) and the slide charts, deck and reports (`reports/`,
which must not import `ui/`). Streamlit's own theme (`.streamlit/config.toml`, which
cannot import Python) repeats the values; `tests/test_palette.py` checks that it repeats
them exactly, that no other Python file writes a colour literal, and the contrast.

Statuses are those `data_access.catalogue.Kpi.status` gives: "green" (on target),
"amber" (to watch), "red" (late, off target) and None (no target, or not judged),
drawn in the neutral grey.

Every status colour is dark enough (light scheme) or light enough (dark scheme) to be
*text* on its background: WCAG AA, at least 4.5:1, on the page, on a card or tile
(`surface`) and on Streamlit's badge (`badge_background`). So one colour serves the
badge word, the bar, the tile's edge and the status word on a slide. Colours dark
enough to be text cannot also differ much in lightness, so to the red-green colour-blind
amber and red look alike: colour is never alone, every status also carries an icon or a
word (✓ ! ✗, and "Đạt", "Cần chú ý", "Không đạt").

The light scheme is the one of paper and projectors: the deck, its PNG charts, the
kiosk and the app's light theme. The dark scheme is the app's dark theme only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

STATUSES: tuple[str | None, ...] = ("green", "amber", "red", None)

# Streamlit's colour names (`:green[...]`, `:orange-badge[...]`) for each status; the
# theme in .streamlit/config.toml sets those names to this palette's colours.
STREAMLIT_NAMES: Mapping[str | None, str] = {"green": "green", "amber": "orange", "red": "red", None: "gray"}

# The four Government task categories, in their order of the charts.
TASK_CATEGORIES = ("completed_on_time", "in_progress_on_time", "completed_late", "in_progress_overdue")


@dataclass(frozen=True)
class Scheme:
    """The colours of one background."""

    name: str
    background: str        # the page
    surface: str           # cards, tiles, alternate table rows, Streamlit's secondary background
    sidebar: str
    ink: str               # body text
    ink_muted: str         # secondary text: subtitles, notes, captions
    rule: str              # borders, table lines, axis lines
    primary: str           # Streamlit's primary colour (buttons, links, focus)
    green: str
    amber: str
    red: str
    grey: str              # no status; also faint text (footers, pagers)
    volume: str            # counts and volumes: no target, so no traffic light
    in_progress: str       # tasks in progress and still on time
    series: tuple[str, ...]  # categories that are not statuses (channels, …); volume first
    badge_opacity: float   # how Streamlit tints a badge's background from its colour

    @property
    def status(self) -> dict[str | None, str]:
        return {"green": self.green, "amber": self.amber, "red": self.red, None: self.grey}

    def status_colour(self, status: str | None) -> str:
        """The colour of a status; the neutral grey for None or anything unknown."""
        return self.status.get(status, self.grey)

    def badge_background(self, status: str | None) -> str:
        """The opaque background of Streamlit's badge of a status (set in the theme)."""
        return blend(self.status_colour(status), self.background, self.badge_opacity)

    @property
    def task_categories(self) -> dict[str, str]:
        return {"completed_on_time": self.green, "in_progress_on_time": self.in_progress,
                "completed_late": self.amber, "in_progress_overdue": self.red}

    @property
    def target(self) -> str:
        """The dashed rule of a target."""
        return self.red


# --- colour arithmetic (WCAG 2.x) -----------------------------------------------------------
def rgb(colour: str) -> tuple[int, int, int]:
    """"#RRGGBB" as (r, g, b), 0-255."""
    digits = colour.lstrip("#")
    if len(digits) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def blend(colour: str, background: str, opacity: float) -> str:
    """`colour` at `opacity` over `background`, as an opaque "#RRGGBB"."""
    fg, bg = rgb(colour), rgb(background)
    return "#" + "".join(f"{round(f * opacity + b * (1 - opacity)):02X}" for f, b in zip(fg, bg))


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.x)."""
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """Contrast ratio of two colours, 1 to 21 (AA asks 4.5 for text, 3 for graphics)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- the two schemes ----------------------------------------------------------------------
LIGHT = Scheme(
    name="light", background="#FFFFFF", surface="#F2F5F9", sidebar="#EEF2F7",
    ink="#1B2430", ink_muted="#4A5568", rule="#D6DDE5", primary="#0B5CAB",
    green="#177A38", amber="#A15800", red="#C4361B", grey="#626E80",
    volume="#4C78A8", in_progress="#7FB3D5", series=("#4C78A8", "#7FB3D5", "#8E6C8A", "#C9A7C5", "#B9C4CF"),
    badge_opacity=0.10,
)

DARK = Scheme(
    name="dark", background="#0E1621", surface="#1A2533", sidebar="#131E2B",
    ink="#E6EDF5", ink_muted="#A3AFBD", rule="#2C3A4B", primary="#5AA9F0",
    green="#4CC479", amber="#F2B134", red="#F07057", grey="#9AA5B1",
    volume="#7FB3E8", in_progress="#4C78A8", series=("#7FB3E8", "#4C78A8", "#B391AF", "#8E6C8A", "#8896A5"),
    badge_opacity=0.20,
)


def scheme(theme_type: str | None) -> Scheme:
    """The scheme of a Streamlit theme type ("light", "dark"; None: light)."""
    return DARK if theme_type == "dark" else LIGHT


def status_colour(status: str | None) -> str:
    """The light scheme's colour of a status (slides, deck, kiosk)."""
    return LIGHT.status_colour(status)


# --- the light scheme by name: paper, projector, kiosk ------------------------------------------
PAPER = LIGHT.background
SURFACE = LIGHT.surface
INK = LIGHT.ink
INK_MUTED = LIGHT.ink_muted
RULE = LIGHT.rule
GREEN, AMBER, RED, GREY = LIGHT.green, LIGHT.amber, LIGHT.red, LIGHT.grey
TARGET = LIGHT.target

# The ministry's navy: slide titles and bands, table headings of the deck, the kiosk's rules.
NAVY = "#0B3D6E"
ON_NAVY = "#FFFFFF"            # text on navy
ON_NAVY_MUTED = "#BFD3E6"      # secondary text on navy
ACCENT = "#D69E2E"             # the gold rule of the title slide (decoration, never a status)
TABLE_HEADING = "#DDE6F0"      # heading fill of the XLSX and PDF report tables (ink on it)
