"""Altair charts for the slides (the kiosk page and the PPTX/PDF deck) and their PNGs.

Big-screen charts: large type in the shipped DejaVu Sans (Vietnamese glyphs), no numeric
axis to read off, every bar carrying its own figure already formatted in the reader's
language (so the chart reads the same in a browser and in a PNG, whatever the number
locale of the renderer), colours that mean the same as in the rest of the app and a
word or a rule beside every colour.
"""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict

import altair as alt
import pandas as pd

# Colours are design.palette's light scheme, the app's and the kiosk's. `status_colour`
# (a bar's colour from its status) and RED are imported for reports.slides, which builds the frames.
from design.palette import INK, INK_MUTED, NAVY, PAPER, RED, RULE, TARGET, status_colour  # noqa: F401

from . import FONT_DIR, FONT_FAMILY

# d3-format locales: Vega has no vi-VN, so Vietnamese is given as a dictionary.
FORMAT_LOCALES = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}

LABEL_SIZE = 16
VALUE_SIZE = 17
TITLE_SIZE = 22
SUBTITLE_SIZE = 16


def _configure(chart, *, label_limit: int = 320):
    return (
        chart.configure(font=FONT_FAMILY, background=PAPER, padding={"left": 4, "right": 8, "top": 4, "bottom": 4})
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=LABEL_SIZE, titleFontSize=18, labelColor=INK, titleColor=INK,
                        labelFont=FONT_FAMILY, titleFont=FONT_FAMILY, labelLimit=label_limit,
                        domainColor=RULE, tickColor=RULE, grid=False)
        .configure_title(fontSize=TITLE_SIZE, subtitleFontSize=SUBTITLE_SIZE, font=FONT_FAMILY,
                         subtitleFont=FONT_FAMILY, anchor="start", color=NAVY, subtitleColor=INK_MUTED,
                         fontWeight="bold", offset=12)
        .configure_text(font=FONT_FAMILY)
    )


BAR_SIZE = 14


def bars(frame: pd.DataFrame, *, title: str, subtitle: str = "", domain_max: float | None = None,
         target: float | None = None, aligned_figures: bool = False) -> alt.LayerChart:
    """A ranked list of horizontal bars in the frame's order (top to bottom), each bar's
    name written above it across the chart's whole width (long Vietnamese unit names
    stay whole) and its figure at its end.

    `frame` columns: `name`, `value` (the bar's length), `text` (the figure, formatted
    by the caller in the reader's language) and `colour` (a hex colour per bar).
    `target`, when given, is drawn as a dashed rule: the subtitle should say so in
    words. `aligned_figures` writes the figures in one column right of `domain_max`
    (clear of a target rule near the bars' ends) instead of at each bar's end."""
    frame = frame[["name", "value", "text", "colour"]].copy().reset_index(drop=True)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").fillna(0.0).astype(float)
    frame["row"] = range(len(frame))
    top = float(frame["value"].max()) if len(frame) else 0.0
    if domain_max is None:
        domain_max = max(1.0, top)
    # Room right of the longest bar for its figure (to_png recomputes it for its width).
    scale = alt.Scale(domain=[0, domain_max * 1.28], nice=False)
    y = alt.Y("row:O", title=None, axis=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    # Each row: the name on top, the bar under it; together centred on the row.
    bar_shift = (LABEL_SIZE + 4) / 2
    base = alt.Chart(frame)
    tooltip = [alt.Tooltip("name:N", title=" "), alt.Tooltip("text:N", title=" ")]
    layers = []
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"target": [float(target)]})).mark_rule(
            color=TARGET, strokeDash=[7, 5], size=2.5, opacity=0.9).encode(x=alt.X("target:Q", scale=scale, axis=None)))
    layers.append(base.mark_bar(size=BAR_SIZE, cornerRadiusEnd=3, yOffset=bar_shift).encode(
        y=y, x=alt.X("value:Q", scale=scale, axis=None), color=alt.Color("colour:N", scale=None, legend=None),
        tooltip=tooltip))
    layers.append(base.mark_text(align="left", baseline="bottom", dy=bar_shift - BAR_SIZE / 2 - 3,
                                 fontSize=LABEL_SIZE, color=INK).encode(
        y=y, x=alt.X("zero:Q", scale=scale, axis=None), text="name:N", tooltip=tooltip,
    ).transform_calculate(zero="0"))
    figures = base.mark_text(align="left", baseline="middle", dx=7, dy=bar_shift, fontSize=VALUE_SIZE,
                             fontWeight="bold", color=INK)
    if aligned_figures:
        figures = figures.transform_calculate(figure_x=str(float(domain_max))).encode(
            y=y, x=alt.X("figure_x:Q", scale=scale, axis=None), text="text:N")
    else:
        figures = figures.encode(y=y, x=alt.X("value:Q", scale=scale, axis=None), text="text:N")
    layers.append(figures)
    heading = alt.TitleParams(text=title, subtitle=subtitle) if subtitle else alt.TitleParams(text=title)
    chart = alt.layer(*layers).properties(
        title=heading, width=640, height=max(120, 46 * len(frame)),
        # What to_png needs to keep the figures inside the picture at any size.
        usermeta={"ioc_bars": {"domain_max": float(domain_max), "rows": int(len(frame)),
                               "figure_chars": int(frame["text"].astype(str).str.len().max() or 1)}},
    )
    return _configure(chart)


def title_of(chart) -> tuple[str, str]:
    """A chart's title and subtitle as plain text ("" when none)."""
    title = getattr(chart, "title", alt.Undefined)
    if isinstance(title, alt.TitleParams):
        text, sub = title.text, title.subtitle
    elif isinstance(title, str):
        text, sub = title, alt.Undefined
    else:
        return "", ""

    def plain(value) -> str:
        if value is alt.Undefined or value is None:
            return ""
        return " ".join(value) if isinstance(value, (list, tuple)) else str(value)

    return plain(text), plain(sub)


def rows_of(chart) -> int | None:
    """How many bars a `bars` chart holds (None for another chart)."""
    meta = getattr(chart, "usermeta", alt.Undefined)
    if isinstance(meta, dict) and isinstance(meta.get("ioc_bars"), dict):
        return meta["ioc_bars"].get("rows")
    return None


def untitled(chart):
    """The same chart without its title (for a page that writes the title itself)."""
    bare = chart.copy(deep=False)
    bare.title = alt.Undefined
    return bare


def _wrap(text: str, max_chars: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# The smallest text of a slide on the conference screen at 1280×720 (the kiosk draws its
# charts at their size on that screen, so a chart's 24 px are 24 px there).
SCREEN_TEXT_PX = 24
SCREEN_TITLE_PX = 28
BAR_GAP_PX = 8           # between a bar and the next row's name


def screen_row_px(text_px: float = SCREEN_TEXT_PX) -> float:
    """Height of one bar's row on the screen: its name, the bar under it, a gap."""
    return text_px * 1.25 + BAR_SIZE + BAR_GAP_PX


def title_lines(text: str, width_px: float, size: float) -> int:
    return len(_wrap(text, max(10, int(width_px / (0.62 * size))))) if text else 0


def for_screen(chart, width_px: int, text_px: float = SCREEN_TEXT_PX, title_px: float = SCREEN_TITLE_PX
               ) -> tuple[dict, int]:
    """A `bars` chart as the kiosk draws it `width_px` wide: every text at least
    `text_px` (the title `title_px`), the rows spaced for names of that size. Returns
    the spec and the picture's height."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    spec = copy.deepcopy(spec)
    info = (spec.get("usermeta") or {}).get("ioc_bars") or {}
    config = spec.setdefault("config", {})
    config.setdefault("title", {}).update(fontSize=title_px, subtitleFontSize=text_px)
    config.setdefault("axis", {}).update(labelFontSize=text_px, titleFontSize=text_px)
    config.setdefault("text", {}).update(fontSize=text_px)
    shift = (text_px * 1.25 + 4) / 2
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        if not isinstance(mark, dict):
            continue
        field = ((layer.get("encoding") or {}).get("text") or {}).get("field")
        if mark.get("type") == "bar":
            mark["yOffset"] = shift
        elif mark.get("type") == "text":
            mark["fontSize"] = text_px
            mark["dy"] = shift - BAR_SIZE / 2 - 3 if field == "name" else shift
    if info:
        info.update(label_size=text_px, value_size=text_px, title_size=title_px, subtitle_size=text_px)
    title, sub = title_of_spec(spec)
    head = (title_lines(title, width_px, title_px) * title_px * 1.2 + title_lines(sub, width_px, text_px) * text_px
            * 1.2 + (12 if title or sub else 0))
    height = int(head + screen_row_px(text_px) * max(1, info.get("rows", 4)) + 8)
    return spec, height


def title_of_spec(spec: dict) -> tuple[str, str]:
    title = spec.get("title")
    if isinstance(title, str):
        return title, ""
    if not isinstance(title, dict):
        return "", ""

    def plain(value) -> str:
        return " ".join(value) if isinstance(value, list) else str(value or "")

    return plain(title.get("text")), plain(title.get("subtitle"))


def text_sizes(spec: dict) -> list[float]:
    """Every font size a spec sets (its marks', its title's, its axes'): what the kiosk
    test reads."""
    sizes = []
    config = spec.get("config") or {}
    for key, names in (("title", ("fontSize", "subtitleFontSize")), ("axis", ("labelFontSize", "titleFontSize")),
                       ("text", ("fontSize",))):
        sizes += [float(config[key][n]) for n in names if n in (config.get(key) or {})]
    for layer in spec.get("layer", []):
        mark = layer.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text":
            sizes.append(float(mark.get("fontSize", (config.get("text") or {}).get("fontSize", 11))))
    return sizes


def _fit_spec(spec: dict, width_px: int) -> None:
    """Adapt a `bars` spec to the picture's width: room for the figures right of the
    bars, and titles wrapped rather than cut off. Glyph widths are estimated from
    DejaVu Sans (about 0.62 em a character, 0.72 em bold digits)."""
    info = (spec.get("usermeta") or {}).get("ioc_bars")
    sizes = {"text": info.get("title_size", TITLE_SIZE) if info else TITLE_SIZE,
             "subtitle": info.get("subtitle_size", SUBTITLE_SIZE) if info else SUBTITLE_SIZE}
    if info:
        plot_px = max(40.0, width_px - 12)
        figure_px = info["figure_chars"] * 0.72 * info.get("value_size", VALUE_SIZE) + 14
        extent = info["domain_max"] * plot_px / max(plot_px - figure_px, plot_px * 0.45)
        for layer in spec.get("layer", []):
            encoding = layer.get("encoding") or {}
            x = encoding.get("x")
            if isinstance(x, dict) and isinstance(x.get("scale"), dict):
                x["scale"]["domain"] = [0, extent]
            if (encoding.get("text") or {}).get("field") == "name" and isinstance(layer.get("mark"), dict):
                # a name longer than the chart ends with "…", clear of the figures' column
                layer["mark"]["limit"] = int(plot_px - figure_px)
    title = spec.get("title")
    if isinstance(title, dict):
        for key, size in sizes.items():
            if isinstance(title.get(key), str):
                lines = _wrap(title[key], max(10, int(width_px / (0.62 * size))))
                title[key] = lines if len(lines) > 1 else lines[0]


_FONTS_LOCK = threading.Lock()
_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    with _FONTS_LOCK:
        if not _fonts_registered:
            import vl_convert

            vl_convert.register_font_directory(str(FONT_DIR))
            _fonts_registered = True


def _vl_version() -> str | None:
    import vl_convert

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vl_convert.get_vegalite_versions() else None


# The same chart at the same size is drawn once (the PPTX and the PDF of one deck, the
# kiosk's next round): the key is the whole spec, data included.
_PNG_CACHE_SIZE = 64
_PNGS: "OrderedDict[tuple, bytes]" = OrderedDict()
_PNG_LOCK = threading.Lock()


def to_png(chart, width_px: int, height_px: int, lang: str, scale: float = 2.0) -> bytes:
    """The chart (an Altair chart, or its Vega-Lite spec as a dict or JSON text) as a PNG
    of `width_px` × `height_px` CSS pixels (× `scale` real pixels), rendered offline by
    vl-convert with the shipped fonts and the language's number locale."""
    import vl_convert

    _register_fonts()
    if isinstance(chart, str):
        spec = json.loads(chart)
    elif isinstance(chart, dict):
        spec = copy.deepcopy(chart)
    else:
        spec = chart.to_dict(validate=False)  # built by this module: spare the schema check
    spec["width"], spec["height"] = int(width_px), int(height_px)
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    _fit_spec(spec, int(width_px))
    key = (json.dumps(spec, sort_keys=True, default=str), lang, float(scale))
    with _PNG_LOCK:
        if key in _PNGS:
            _PNGS.move_to_end(key)
            return _PNGS[key]
    png = vl_convert.vegalite_to_png(spec, vl_version=_vl_version(), scale=scale,
                                     format_locale=FORMAT_LOCALES.get(lang, FORMAT_LOCALES["en"]))
    with _PNG_LOCK:
        _PNGS[key] = png
        while len(_PNGS) > _PNG_CACHE_SIZE:
            _PNGS.popitem(last=False)
    return png
