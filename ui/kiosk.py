"""Slides on a big screen: one slide at a time in large type, chosen by the clock so
every screen showing the same link shows the same slide and turns at the same moment,
charts drawn server-side from the slides' Altair specs at their size on the screen, in
the slides' own typeface."""

from __future__ import annotations

import base64
import functools
import html
import io
import re
import string
import time
from dataclasses import dataclass

import streamlit as st

from design import palette
from l10n.i18n import t
from reports import FONT_FAMILY

INTERVAL_DEFAULT = 20
INTERVAL_MIN, INTERVAL_MAX = 5, 600

# Every length is given in pixels of a 1280×720 screen and scaled with the screen: `--u`
# is one such pixel of the slide's container (the whole window on the kiosk, the preview's
# 16:9 box on the page), so at 1280×720 the smallest text is 24 px and at 1920×1080 36 px.
# The typeface is the charts' own (DejaVu Sans, shipped with the app and sent inline: the
# site has no internet). Colours are the palette's light scheme, the deck's: the slide
# keeps its white page under a dark theme.
_CSS = string.Template("""
<style>
.ioc-screen { position: relative; width: 100%; aspect-ratio: 16 / 9; container-type: size; overflow: hidden;
  background: $paper; }
.ioc-screen.kiosk { position: fixed; inset: 0; width: 100vw; height: 100vh; aspect-ratio: auto; z-index: 999990; }
.ioc-slide { --u: calc(min(100cqw, 177.7778cqh) / 1280); position: absolute; inset: 0; visibility: hidden;
  font-family: "$font", sans-serif; color: $ink; background: $paper; box-sizing: border-box;
  padding: calc(20 * var(--u)) calc(40 * var(--u)) calc(16 * var(--u)); display: flex; flex-direction: column;
  font-size: calc(24 * var(--u)); line-height: 1.25; }
.ioc-slide.only { visibility: visible; }
.ioc-slide * { box-sizing: border-box; }
.ioc-slide .head { border-bottom: calc(4 * var(--u)) solid $navy; padding-bottom: calc(6 * var(--u));
  margin-bottom: calc(12 * var(--u)); display: flex; justify-content: space-between; align-items: flex-end;
  gap: calc(24 * var(--u)); flex: none; }
.ioc-slide .org { font-size: calc(24 * var(--u)); font-weight: 700; letter-spacing: 0.03em; color: $ink_muted; }
.ioc-slide .title { font-size: calc(36 * var(--u)); font-weight: 700; line-height: 1.1; }
.ioc-slide .sub, .ioc-slide .pager { font-size: calc(24 * var(--u)); color: $ink_muted; }
.ioc-slide .pager { white-space: nowrap; }
.ioc-slide .body { flex: 1 1 auto; min-height: 0; display: flex; gap: calc(28 * var(--u)); }
.ioc-slide .body.rows { flex-direction: column; gap: calc(14 * var(--u)); }
.ioc-slide .col { display: flex; flex-direction: column; gap: calc(14 * var(--u)); min-width: 0; }
.ioc-slide .grow { flex: 1 1 0; min-height: 0; }
.ioc-slide .tiles { display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr));
  grid-auto-rows: 1fr; gap: calc(14 * var(--u)); }
.ioc-slide .tile { border: 1px solid $rule; border-left: calc(7 * var(--u)) solid $grey;
  border-radius: calc(8 * var(--u)); padding: calc(10 * var(--u)) calc(16 * var(--u)); background: $paper;
  display: flex; flex-direction: column; justify-content: center; }
.ioc-slide .tiles.wide .tile { display: grid; grid-template-columns: auto minmax(0, 1fr); column-gap: calc(18 * var(--u));
  align-content: center; align-items: center; }
.ioc-slide .tiles.wide .value { grid-row: span 2; }
.ioc-slide .tiles.wide .label { margin-top: 0; }
.ioc-slide .tile.green { border-left-color: $green; }
.ioc-slide .tile.amber { border-left-color: $amber; }
.ioc-slide .tile.red { border-left-color: $red; }
.ioc-slide .value { font-size: calc(var(--value, 56) * var(--u)); font-weight: 700; line-height: 1.05; }
.ioc-slide .label { font-size: calc(26 * var(--u)); line-height: 1.2; margin-top: calc(4 * var(--u)); }
.ioc-slide .status { font-size: calc(24 * var(--u)); margin-top: calc(4 * var(--u)); color: $ink_muted; }
.ioc-slide .status b.green { color: $green; }
.ioc-slide .status b.amber { color: $amber; }
.ioc-slide .status b.red { color: $red; }
.ioc-slide .chart { display: flex; justify-content: center; align-items: flex-start; min-width: 0; }
.ioc-slide .chart img { display: block; height: auto; }
.ioc-slide table { border-collapse: collapse; width: 100%; font-size: calc(24 * var(--u)); }
.ioc-slide th { text-align: left; border-bottom: calc(2 * var(--u)) solid $navy; padding: calc(4 * var(--u)) calc(8 * var(--u)); }
.ioc-slide td { border-bottom: 1px solid $rule; padding: calc(3 * var(--u)) calc(8 * var(--u)); vertical-align: top; }
.ioc-slide td.num, .ioc-slide th.num { text-align: right; white-space: nowrap; }
.ioc-slide .blocks { display: flex; flex-direction: column; justify-content: space-evenly; gap: calc(6 * var(--u)); }
.ioc-slide .block h3 { all: unset; display: flex; justify-content: space-between; gap: calc(16 * var(--u));
  font-size: calc(26 * var(--u)); font-weight: 700; color: $navy; border-bottom: calc(2 * var(--u)) solid $navy;
  padding-bottom: calc(2 * var(--u)); }
.ioc-slide .block h3 .mark, .ioc-slide .rank-row .mark { font-weight: 400; color: $amber; font-size: calc(24 * var(--u)); }
.ioc-slide .rank-row { display: grid; grid-template-columns: calc(70 * var(--u)) minmax(0, 1fr) calc(110 * var(--u)) calc(330 * var(--u));
  gap: calc(12 * var(--u)); border-bottom: 1px solid $rule; padding: calc(1 * var(--u)) 0; }
.ioc-slide .rank-row .score { text-align: right; font-weight: 700; }
.ioc-slide .facts { font-size: calc(26 * var(--u)); }
.ioc-slide .note { font-size: calc(24 * var(--u)); color: $ink_muted; margin-top: calc(8 * var(--u)); flex: none; }
.ioc-slide .empty { flex: 1; display: flex; align-items: center; justify-content: center; text-align: center;
  font-size: calc(32 * var(--u)); color: $ink_muted; }
</style>
""").substitute(ink=palette.INK, ink_muted=palette.INK_MUTED, paper=palette.PAPER, navy=palette.NAVY,
                rule=palette.RULE, grey=palette.GREY, green=palette.GREEN, amber=palette.AMBER, red=palette.RED,
                font=FONT_FAMILY)

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


def position_at(epoch: float, interval: int, count: int) -> int:
    """The slide every screen shows at `epoch` (seconds since 1970): the clock decides,
    not the screen, so every screen showing the same link shows the same slide."""
    return int(epoch // interval) % count if count else 0


def rotation_css(count: int, interval: int, epoch: float) -> tuple[str, list[str]]:
    """The turning, done by the browser: each slide is visible for its `interval` seconds
    of every `count × interval`, a CSS animation started at the phase the clock gives
    (`position_at`). The browser's clock then keeps the turns exact; the script is not
    rerun to turn a slide (a rerun every `interval` seconds, timed from the last one,
    drifted by the time each run took, and the old turn — "has the interval passed
    since the last turn?" with half a second of slack — then waited a whole second
    interval whenever a run came in a little early: 20 s, then 40 s).
    Returns the keyframes and each slide's inline animation."""
    if count <= 1:
        return "", ["" for _ in range(count)]
    cycle = count * interval
    share = 100.0 / count
    # A new name on every render: a browser keeps a running animation whose name did not
    # change and only shifts it by a changed delay, measured from when it first started,
    # so a slide redrawn with the same name would turn at the old phase plus the time
    # since (the page is redrawn on every refresh of its figures).
    name = f"ioc-turn-{count}-{int(epoch * 1000) % 10 ** 9}"
    keyframes = (f"@keyframes {name} {{ 0% {{ visibility: visible; }} "
                 f"{share:.6f}%, 100% {{ visibility: hidden; }} }}")
    styles = []
    for i in range(count):
        # slide i shows while (epoch - i × interval) mod cycle < interval
        elapsed = (epoch - i * interval) % cycle
        styles.append(f"animation: {name} {cycle}s step-end -{elapsed:.3f}s infinite;")
    return f"<style>{keyframes}</style>", styles


@functools.lru_cache(maxsize=1)
def font_css() -> str:
    """@font-face rules for the slides' typeface, the charts' DejaVu Sans, as inline WOFF
    cut down to the Latin and Vietnamese letters and the signs the slides use (about
    40 kB a weight instead of 700 kB). Built once per process, at first use."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from reports import FONT_BOLD, FONT_REGULAR

    ranges = [(0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20AB, 0x20AC),
              (0x2190, 0x21FF), (0x2212, 0x2212), (0x2260, 0x2265), (0x25A0, 0x25CF), (0x2713, 0x2717)]
    codes = [c for lo, hi in ranges for c in range(lo, hi + 1)]
    rules = []
    for path, weight in ((FONT_REGULAR, 400), (FONT_BOLD, 700)):
        font = TTFont(str(path))
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.flavor = "woff"
        font.save(buffer)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: normal; '
                     f'src: url(data:font/woff;base64,{data}) format("woff"); }}')
    return "<style>" + "\n".join(rules) + "</style>"


@st.cache_data(ttl=600, max_entries=200, show_spinner=False)   # keyed by the spec, data included
def chart_png(spec_json: str, lang: str, width: int) -> tuple[str, int]:
    """A chart drawn server-side from its Vega-Lite spec at its size on a 1280×720
    screen, every text of it at least 24 px there; as a data URL and its height."""
    import json

    from reports.slide_charts import for_screen, to_png

    spec, height = for_screen(json.loads(spec_json), width)
    return "data:image/png;base64," + base64.b64encode(to_png(spec, width, height, lang)).decode("ascii"), height


def _u(px: float) -> str:
    """A length of the 1280×720 screen, scaled with the slide."""
    return f"calc({px:g} * var(--u))"


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


def _tiles(figures, lang: str, cols: int, value: int = 56, grow: bool = False, wide: bool = False,
           columns: str = "") -> str:
    """Tiles in a grid of `cols` columns (or the `columns` template); `wide`: the value
    beside its label and status, for a row of tiles over other content."""
    tiles = "".join(_tile(f, lang) for f in figures)
    template = f"grid-template-columns:{columns};" if columns else ""
    classes = "tiles" + (" grow" if grow else "") + (" wide" if wide else "")
    return (f'<div class="{classes}" style="--cols:{cols}; --value:{value}; {template}">{tiles}</div>'
            if figures else "")


_NUMERIC = re.compile(r"^[\d—–-][\d.,%/ —–-]*$")


def _table(frame) -> str:
    numeric = [bool(len(frame)) and all(_NUMERIC.match(str(v) or "—") for v in frame[c]) for c in frame.columns]
    head = "".join(f'<th class="{"num" if n else ""}">{html.escape(str(c))}</th>' for c, n in zip(frame.columns, numeric))
    rows = "".join("<tr>" + "".join(f'<td class="{"num" if n else ""}">{html.escape(str(v))}</td>'
                                    for v, n in zip(row, numeric)) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _blocks(blocks) -> str:
    """Each block's ranking under its name; a provisional mark every row shares is said
    once, beside the name."""
    out = []
    for block in blocks:
        mark = f'<span class="mark">{html.escape(block.mark)}</span>' if block.mark else ""
        rows = "".join(
            f'<div class="rank-row"><span>{html.escape(r.rank)}</span><span>{html.escape(r.unit)}</span>'
            f'<span class="score">{html.escape(r.score)}</span><span class="mark">{html.escape(r.mark)}</span></div>'
            for r in block.rows)
        out.append(f'<div class="block"><h3><span>{html.escape(block.title)}</span>{mark}</h3>{rows}</div>')
    return f'<div class="blocks grow">{"".join(out)}</div>'


# Chart widths in pixels of the 1280×720 screen (1200 between the margins), per layout.
CHART_BESIDE_TABLE = 560      # procedures: the figures and the indicators' table on the left
CHART_BESIDE_TILES = 620      # tasks: four figures on the left
CHART_PAIR = 580              # awards: two charts side by side under the figures


def _picture(slide, chart, lang: str, width: int) -> str:
    src, height = chart_png(chart.to_json(), lang, width)
    # data-width: the picture's width on a 1280×720 screen, where its text is SCREEN_TEXT_PX
    return (f'<div class="chart"><img alt="{html.escape(slide.title)}" src="{src}" data-width="{width}" '
            f'style="width:{_u(width)}; height:{_u(height)}"/></div>')


def slide_body(slide, lang: str) -> str:
    """The slide's content laid out to fill the screen's height: figures only → a grid
    of tiles over the whole body; a table and a chart → figures and table on the left,
    the chart on the right; one chart → figures on the left, chart on the right; two
    charts → figures across the top, the charts side by side; emulation blocks →
    figures across the top, then each block's ranking."""
    figures, charts = slide.figures, slide.charts
    table = slide.table if slide.table is not None and not slide.table.empty else None
    if slide.blocks:
        # the mean score's tile is the widest: its status line says how many are provisional
        top = (_tiles(figures, lang, len(figures), 44, wide=True,
                      columns="1fr 2fr 1fr" if len(figures) == 3 else "") if figures else "")
        return f'<div class="body rows">{top}{_blocks(slide.blocks)}</div>'
    if charts and table is not None:
        # the figures across the top; the indicators' table and the chart side by side
        top = _tiles(figures, lang, max(1, len(figures)), 48, wide=True)
        right = "".join(_picture(slide, c, lang, CHART_BESIDE_TABLE) for c in charts[:1])
        return (f'<div class="body rows">{top}<div class="body grow"><div class="col grow">{_table(table)}</div>'
                f'{right}</div></div>')
    if len(charts) >= 2:
        pictures = "".join(_picture(slide, c, lang, CHART_PAIR) for c in charts[:2])
        return (f'<div class="body rows">{_tiles(figures, lang, max(1, len(figures)), 48)}'
                f'<div class="body" style="justify-content:space-between">{pictures}</div></div>')
    if charts:
        left = f'<div class="col grow">{_tiles(figures, lang, 2 if len(figures) > 1 else 1, 56, grow=True)}</div>'
        return f'<div class="body">{left}{_picture(slide, charts[0], lang, CHART_BESIDE_TILES)}</div>'
    if table is not None:
        cols = min(3, max(1, len(figures)))
        return f'<div class="body rows">{_tiles(figures, lang, cols, 56)}<div class="grow">{_table(table)}</div></div>'
    if figures:
        cols = min(4, len(figures))
        return f'<div class="body rows">{_tiles(figures, lang, cols, 72 if len(figures) > 4 else 88, grow=True)}</div>'
    return f'<div class="body"><div class="empty">{html.escape(slide.note)}</div></div>'


def slide_html(slide, position: int, count: int, lang: str, ministry: str | None = None, style: str = "") -> str:
    """One slide: the ministry, title and subtitle with its page number, the body, the note."""
    pager = html.escape(t("presentation.slide_of", lang, i=position + 1, n=count))
    has_body = bool(slide.figures or slide.charts or slide.blocks or (slide.table is not None and not slide.table.empty))
    note = f'<div class="note">{html.escape(slide.note)}</div>' if slide.note and has_body else ""
    org = f'<div class="org">{html.escape(ministry.upper())}</div>' if ministry else ""
    only = " only" if count == 1 else ""
    return (f'<div class="ioc-slide{only}" data-slide="{html.escape(slide.key)}" data-index="{position}" '
            f'style="{style}"><div class="head"><div>{org}<div class="title">{html.escape(slide.title)}</div>'
            f'<div class="sub">{html.escape(slide.subtitle)}</div></div><div class="pager">{pager}</div></div>'
            f'{slide_body(slide, lang)}{note}</div>')


def screen_html(slides, lang: str, interval: int, epoch: float, ministry: str | None = None,
                kiosk: bool = True) -> str:
    """Every slide of the link, stacked, each shown in its turn of the clock."""
    keyframes, styles = rotation_css(len(slides), interval, epoch)
    body = "".join(slide_html(s, i, len(slides), lang, ministry, styles[i]) for i, s in enumerate(slides))
    return (f'{font_css()}{_CSS}{keyframes}<div class="ioc-screen{" kiosk" if kiosk else ""}" '
            f'data-interval="{interval}">{body}</div>')


# The phase the server gives is late by the time the page takes to arrive and be drawn
# (seconds, for a page of charts on a busy machine): once drawn, the browser sets each
# slide's turn from its own clock, so screens showing the same link agree to the clock.
_SYNC = """<script>(() => {
  const now = Date.now() / 1000;
  document.querySelectorAll('.ioc-screen[data-interval]').forEach(screen => {
    const interval = Number(screen.dataset.interval), slides = screen.querySelectorAll('.ioc-slide');
    const cycle = interval * slides.length;
    slides.forEach((slide, i) => slide.getAnimations().forEach(turn => {
      turn.effect.updateTiming({delay: 0});
      turn.currentTime = ((((now - i * interval) % cycle) + cycle) % cycle) * 1000;
    }));
  });
})();</script>"""


def show(slides, lang: str, interval: int, ministry: str | None = None, kiosk: bool = True, clock=time.time) -> None:
    # the phase is taken at the last moment, just before the page is sent
    st.html(screen_html(slides, lang, interval, clock(), ministry, kiosk) + (_SYNC if len(slides) > 1 else ""),
            unsafe_allow_javascript=True)
