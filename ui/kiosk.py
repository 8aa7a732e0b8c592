"""Slides on a big screen: one slide at a time in large type, chosen by the clock so
every screen showing the same link turns at the same moment, charts drawn server-side
from the slides' Altair specs and scaled to the screen by CSS."""

from __future__ import annotations

import base64
import html
import string
import time
from dataclasses import dataclass

import streamlit as st

from design import palette
from l10n.i18n import t

INTERVAL_DEFAULT = 20
INTERVAL_MIN, INTERVAL_MAX = 5, 600

# Sizes follow the screen's width: at 1920 px a figure is 84 px and a label 30 px, at
# 1280 px they shrink with it so a slide still fits a 720-line projector. Colours are the
# palette's light scheme, the deck's: the slide keeps its white page under a dark theme.
_CSS = string.Template("""
<style>
.ioc-slide { font-family: "Source Sans", "Source Sans Pro", sans-serif; color: $ink; background: $paper; }
.ioc-slide .head { border-bottom: 0.35vw solid $navy; padding-bottom: 0.6vw; margin-bottom: 1.4vw;
  display: flex; justify-content: space-between; align-items: flex-end; gap: 2vw; }
.ioc-slide .title { font-size: clamp(28px, 2.9vw, 64px); font-weight: 700; line-height: 1.1; }
.ioc-slide .org { font-size: clamp(13px, 0.95vw, 22px); font-weight: 600; letter-spacing: 0.04em;
  color: $ink_muted; margin-bottom: 0.3vw; }
.ioc-slide .sub { font-size: clamp(16px, 1.25vw, 30px); color: $ink_muted; margin-top: 0.4vw; }
.ioc-slide .pager { font-size: clamp(16px, 1.2vw, 28px); color: $ink_muted; white-space: nowrap; }
.ioc-slide .body { display: flex; gap: 2vw; align-items: flex-start; }
.ioc-slide .left { flex: 1 1 0; display: flex; flex-direction: column; gap: 1.2vw; min-width: 0; }
.ioc-slide .tiles { display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); gap: 1.1vw; }
.ioc-slide .tile { border: 1px solid $rule; border-left: 0.55vw solid $grey; border-radius: 0.6vw;
  padding: 0.9vw 1.2vw; background: $paper; }
.ioc-slide .tile.green { border-left-color: $green; } .ioc-slide .tile.amber { border-left-color: $amber; }
.ioc-slide .tile.red { border-left-color: $red; }
.ioc-slide .value { font-size: clamp(40px, 4.4vw, 110px); font-weight: 700; line-height: 1.05; }
.ioc-slide .label { font-size: clamp(20px, 1.6vw, 40px); line-height: 1.2; margin-top: 0.3vw; }
.ioc-slide .status { font-size: clamp(14px, 1.1vw, 28px); margin-top: 0.4vw; color: $ink_muted; }
.ioc-slide .status b.green { color: $green; } .ioc-slide .status b.amber { color: $amber; }
.ioc-slide .status b.red { color: $red; }
.ioc-slide .charts { flex: 1.25 1 0; display: flex; flex-direction: column; gap: 1vw; align-items: center; }
.ioc-slide .charts img { max-width: 100%; max-height: var(--chart-h); object-fit: contain; }
.ioc-slide .stack { display: flex; flex-direction: column; gap: 1.4vw; }
.ioc-slide .chart-row { display: flex; gap: 2vw; justify-content: space-between; }
.ioc-slide .chart-row .chart { flex: 1 1 0; display: flex; justify-content: center; }
.ioc-slide .chart-row img { max-width: 100%; max-height: var(--chart-h); object-fit: contain; }
.ioc-slide table { border-collapse: collapse; width: 100%; font-size: clamp(14px, 1.2vw, 30px); }
.ioc-slide th { text-align: left; border-bottom: 2px solid $navy; padding: 0.25vw 0.5vw; }
.ioc-slide td { border-bottom: 1px solid $rule; padding: 0.2vw 0.5vw; }
.ioc-slide .note { font-size: clamp(16px, 1.2vw, 28px); color: $ink_muted; margin-top: 1vw; }
.ioc-slide .dots { margin-top: 1vw; text-align: center; font-size: clamp(14px, 1vw, 24px); color: $grey;
  letter-spacing: 0.4vw; }
</style>
""").substitute(ink=palette.INK, ink_muted=palette.INK_MUTED, paper=palette.PAPER, navy=palette.NAVY,
                rule=palette.RULE, grey=palette.GREY, green=palette.GREEN, amber=palette.AMBER, red=palette.RED)

# Kiosk: nothing of Streamlit's own chrome, the slide edge to edge.
_KIOSK_CSS = string.Template("""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebarNav"], header { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 1.6vw 2.4vw 1vw 2.4vw !important;
  max-width: 100% !important; }
[data-testid="stMain"] { overflow: hidden; }
[data-testid="stApp"], [data-testid="stMain"] { background: $paper; }
</style>
""").substitute(paper=palette.PAPER)


@dataclass(frozen=True)
class KioskRequest:
    """What the link asks for (checked; a bad value falls back to the default)."""

    kiosk: bool
    keys: tuple[str, ...]
    interval: int
    bad: tuple[str, ...] = ()


def read_request(params, all_keys: tuple[str, ...], parse_keys) -> KioskRequest:
    bad = []
    kiosk = str(params.get("kiosk", "0")).strip().lower() in ("1", "true", "yes")
    try:
        keys = parse_keys(params.get("slides"))
    except ValueError:
        bad.append("slides")
        keys = all_keys
    raw = params.get("interval")
    interval = INTERVAL_DEFAULT
    if raw is not None:
        try:
            interval = int(raw)
            if not INTERVAL_MIN <= interval <= INTERVAL_MAX:
                raise ValueError
        except ValueError:
            bad.append("interval")
            interval = INTERVAL_DEFAULT
    return KioskRequest(kiosk, keys, interval, tuple(bad))


def hide_chrome() -> None:
    st.html(_KIOSK_CSS)


def advance(count: int, interval: int, clock=time.monotonic, state=None) -> int:
    """The slide to show on this run: the next one once `interval` seconds have passed
    since the last turn, else the same (a rerun for any other reason never skips one)."""
    state = st.session_state if state is None else state
    now = clock()
    position, turned = state.get("_slide_position", (0, None))
    if turned is None:
        turned = now
    elif now - turned >= interval - 0.5:      # the timer may fire a little early
        position, turned = position + 1, now
    state["_slide_position"] = (position, turned)
    return position % count if count else 0


@st.cache_data(ttl=600, max_entries=200, show_spinner=False)   # keyed by the spec, data included
def chart_png(spec_json: str, lang: str) -> str:
    """A chart drawn server-side from its Vega-Lite spec, as a data URL."""
    import json

    from reports.slide_charts import to_png

    spec = json.loads(spec_json)
    # Keep the chart's own proportions: a chart of three bars must not be stretched tall.
    width, height = spec.get("width"), spec.get("height")
    if isinstance(width, (int, float)) and isinstance(height, (int, float)) and width > 0:
        height = max(280, min(540, int(height * 760 / width)))
    else:
        height = 540
    return "data:image/png;base64," + base64.b64encode(to_png(spec, 760, height, lang)).decode("ascii")


def _tile(figure, lang: str) -> str:
    status = ""
    if figure.status:
        word = html.escape(t(f"status_{figure.status}", lang))
        status = f'<b class="{figure.status}">● {word}</b>'
    target = html.escape(figure.target or "")
    line = " · ".join(p for p in (status, target) if p)
    return (f'<div class="tile {figure.status or ""}"><div class="value">{html.escape(figure.value)}</div>'
            f'<div class="label">{html.escape(figure.label)}</div>'
            + (f'<div class="status">{line}</div>' if line else "") + "</div>")


def _table(frame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def slide_html(slide, position: int, count: int, lang: str, chart_height: str = "58vh",
               ministry: str | None = None) -> str:
    """Figures on the left (with the table under them when there is a chart), the charts
    or the table on the right; a slide with neither uses the full width for figures.
    `ministry` (the data's own name) heads the slide, above its title."""
    figures = slide.figures
    table = _table(slide.table) if slide.table is not None and not slide.table.empty else ""
    pictures = "".join(pictures_of(slide, lang))
    tiles = "".join(_tile(f, lang) for f in figures)
    if len(slide.charts) >= 2 and not table:
        # several charts: the figures across the top, the charts side by side under them
        row = "".join(f'<div class="chart">{p}</div>' for p in pictures_of(slide, lang))
        body = (f'<div class="tiles" style="--cols:{min(4, max(1, len(figures)))}">{tiles}</div>'
                f'<div class="chart-row" style="--chart-h:calc({chart_height} - 14vh)">{row}</div>')
        return _frame(slide, position, count, lang, chart_height, f'<div class="stack">{body}</div>', ministry)
    if pictures:
        left, right = tiles, pictures
        left_extra = f'<div class="table">{table}</div>' if table else ""
    elif table:
        left, right, left_extra = tiles, table, ""
    else:
        left, right, left_extra = tiles, "", ""
    cols = 2 if right else min(4, max(1, len(figures)))
    left_block = ""
    if left or left_extra:
        left_block = (f'<div class="left"><div class="tiles" style="--cols:{cols}">{left}</div>{left_extra}</div>'
                      if left else f'<div class="left">{left_extra}</div>')
    right_block = f'<div class="charts">{right}</div>' if right else ""
    return _frame(slide, position, count, lang, chart_height, f'<div class="body">{left_block}{right_block}</div>',
                  ministry)


def pictures_of(slide, lang: str) -> list[str]:
    return [f'<img alt="{html.escape(slide.title)}" src="{chart_png(c.to_json(), lang)}"/>' for c in slide.charts]


def _frame(slide, position: int, count: int, lang: str, chart_height: str, body: str,
           ministry: str | None = None) -> str:
    pager = html.escape(t("presentation.slide_of", lang, i=position + 1, n=count))
    dots = "".join("●" if i == position else "○" for i in range(count))
    note = f'<div class="note">{html.escape(slide.note)}</div>' if slide.note else ""
    org = f'<div class="org">{html.escape(ministry.upper())}</div>' if ministry else ""
    return (f'<div class="ioc-slide" style="--chart-h:{chart_height}" data-slide="{html.escape(slide.key)}">'
            f'<div class="head"><div>{org}<div class="title">{html.escape(slide.title)}</div>'
            f'<div class="sub">{html.escape(slide.subtitle)}</div></div><div class="pager">{pager}</div></div>'
            f'{body}{note}<div class="dots">{dots}</div></div>')


def show(slide, position: int, count: int, lang: str, chart_height: str = "58vh", ministry: str | None = None) -> None:
    st.html(_CSS + slide_html(slide, position, count, lang, chart_height, ministry))
