"""The slide deck to hand out: the slides of `reports.slides` as a 16:9 PPTX and PDF.

One layout, computed in inches, drawn twice: by python-pptx and by fpdf2. Text is
measured with the shipped DejaVu Sans metrics (the font embedded in the PDF), broken
into lines here and written line by line, so both files show the same lines and
nothing runs out of its box. The PPTX names Arial, which every office machine has
with Vietnamese glyphs and which is narrower than DejaVu Sans, so the measured lines
still fit. Charts are PNGs rendered offline by `slide_charts.to_png`.

A title slide comes first, then one page per slide, in order.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd
from fpdf import FPDF

from design.palette import (
    ACCENT,
    GREY,
    INK,
    INK_MUTED,
    NAVY,
    ON_NAVY,
    ON_NAVY_MUTED,
    PAPER,
    RULE,
    SURFACE,
    rgb,
    status_colour,
)
from l10n.i18n import t

from . import FONT_BOLD, FONT_REGULAR, slide_charts
from .slides import DeckMeta, Figure, Slide

# --- geometry (inches); the colours are design.palette's ---------------------------------------
W, H = 13.333, 7.5
MARGIN = 0.5
BAND_H = 0.95
CONTENT_TOP = 1.55
CONTENT_BOTTOM = 6.9
FOOTER_Y = 7.03
GAP = 0.25
NOTE_H = 0.5
CHART_PX_PER_IN = 90

STATUS_MARK = {"green": "✓", "amber": "!", "red": "✗"}
PPTX_FONT = "Arial"


# --- measuring text with the embedded font's metrics ------------------------------------------
def _new_pdf() -> FPDF:
    pdf = FPDF(orientation="L", unit="in", format=(H, W))
    pdf.add_font("DejaVu", "", str(FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    pdf.set_font("DejaVu", "", 12)
    return pdf


class Measure:
    def __init__(self, pdf: FPDF | None = None):
        if pdf is None:
            pdf = _new_pdf()
            pdf.add_page()  # fpdf2 measures lines on a page
        self.pdf = pdf

    def width(self, text: str, size: float, bold: bool = False) -> float:
        self.pdf.set_font("DejaVu", "B" if bold else "", size)
        return self.pdf.get_string_width(text)

    def lines(self, text: str, size: float, bold: bool, width: float) -> list[str]:
        self.pdf.set_font("DejaVu", "B" if bold else "", size)
        out: list[str] = []
        for paragraph in text.split("\n"):
            out.extend(self.pdf.multi_cell(width, text=paragraph, dry_run=True, output="LINES") or [""])
        return [line.rstrip() for line in out]

    def ellipsis(self, text: str, size: float, bold: bool, width: float) -> str:
        # A column is as wide as its widest text: the same sum, added in another order,
        # may come out a hair narrower, which must not cut that text ("Hạ…").
        width += 1e-6
        if self.width(text, size, bold) <= width:
            return text
        while text and self.width(text + "…", size, bold) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def fit(self, text: str, width: float, height: float, max_size: float, min_size: float, bold: bool = False,
            spacing: float = 1.18, max_lines: int | None = None) -> tuple[float, list[str]]:
        """The largest size (in points) at which `text` wraps into the box, and its lines;
        at the smallest size, the lines that fit with the last one cut with an ellipsis."""
        size = max_size
        while True:
            lines = self.lines(text, size, bold, width)
            fits_lines = max_lines is None or len(lines) <= max_lines
            if fits_lines and len(lines) * size * spacing / 72 <= height + 1e-6:
                return size, lines
            if size <= min_size:
                room = max(1, int(height * 72 / (size * spacing)))
                if max_lines is not None:
                    room = min(room, max_lines)
                kept = lines[:room]
                if len(lines) > room:
                    kept[-1] = self.ellipsis(kept[-1] + " " + lines[room], size, bold, width)
                return size, kept
            size = max(min_size, size - 1)


# --- what gets drawn ---------------------------------------------------------------------------
@dataclass
class TextBox:
    x: float
    y: float
    w: float
    lines: list[str]
    size: float
    bold: bool = False
    colour: str = INK
    align: str = "left"
    spacing: float = 1.18

    @property
    def h(self) -> float:
        return len(self.lines) * self.size * self.spacing / 72


class Canvas(Protocol):
    def new_page(self) -> None: ...
    def rect(self, x: float, y: float, w: float, h: float, fill: str, rounded: bool = False) -> None: ...
    def text(self, box: TextBox) -> None: ...
    def picture(self, x: float, y: float, w: float, h: float, png: bytes) -> None: ...
    def table(self, x: float, y: float, widths: list[float], row_h: float, rows: list[list[str]],
              aligns: list[str], size: float) -> None: ...


def _nfc(text: str) -> str:
    """Precomposed Vietnamese letters: the form the embedded font and PDF text search expect."""
    return unicodedata.normalize("NFC", text)


def place(measure: Measure, text: str, x: float, y: float, w: float, h: float, *, max_size: float,
          min_size: float, bold: bool = False, colour: str = INK, align: str = "left", valign: str = "top",
          max_lines: int | None = None, spacing: float = 1.18) -> TextBox:
    text = _nfc(text)
    size, lines = measure.fit(text, w, h, max_size, min_size, bold, spacing, max_lines)
    box = TextBox(x, y, w, lines, size, bold, colour, align, spacing)
    if valign == "middle":
        box.y = y + max(0.0, (h - box.h) / 2)
    elif valign == "bottom":
        box.y = y + max(0.0, h - box.h)
    return box


# --- layout of one slide ------------------------------------------------------------------------
class Painter:
    def __init__(self, canvas: Canvas, measure: Measure, meta: DeckMeta, total_pages: int):
        self.c, self.m, self.meta, self.total = canvas, measure, meta, total_pages
        self._png: dict[tuple[int, int, int], bytes] = {}

    # pieces
    def text(self, text: str, x, y, w, h, **kw) -> None:
        if text:
            self.c.text(place(self.m, text, x, y, w, h, **kw))

    def title_size(self, charts, w: float) -> float:
        """One title size for charts side by side: the largest at which every title fits."""
        sizes = [self.m.fit(slide_charts.title_of(c)[0], w, 0.42, 20, 13, True, 1.18, 1)[0]
                 for c in charts if slide_charts.title_of(c)[0]]
        return min(sizes) if sizes else 20

    def chart(self, chart, x: float, y: float, w: float, h: float, title_size: float = 20) -> None:
        """The chart's title and subtitle as text of the page, then the chart as a picture."""
        title, sub = slide_charts.title_of(chart)
        top = y
        if title:
            box = place(self.m, title, x, top, w, 0.42, max_size=title_size, min_size=min(13, title_size),
                        bold=True, colour=NAVY, max_lines=1)
            self.c.text(box)
            top = box.y + box.h + 0.03
        if sub:
            box = place(self.m, sub, x, top, w, 0.45, max_size=13, min_size=10, colour=INK_MUTED, max_lines=2)
            self.c.text(box)
            top = box.y + box.h
        top += 0.08 if (title or sub) else 0
        body = slide_charts.untitled(chart) if (title or sub) else chart
        ph = max(0.5, y + h - top)
        key = (id(chart), round(w * 100), round(ph * 100))
        if key not in self._png:
            self._png[key] = slide_charts.to_png(body, int(w * CHART_PX_PER_IN), int(ph * CHART_PX_PER_IN),
                                                 self.meta.lang)
        self.c.picture(x, top, w, ph, self._png[key])

    FOOT_LINE = 0.25  # inches a line of the status word / target takes at the tile's foot

    @classmethod
    def _tile_boxes(cls, x: float, y: float, w: float, h: float, foot_lines: int):
        strip, pad = 0.09, 0.18
        ix, iw = x + strip + pad, w - strip - 2 * pad
        top, inner_h = y + 0.12, h - 0.24
        foot_h = foot_lines * cls.FOOT_LINE
        value_h = (inner_h - foot_h) * 0.55
        label_h = inner_h - foot_h - value_h
        return ix, iw, top, value_h, label_h, foot_h

    def _status_word(self, fig: Figure) -> str:
        return f"{STATUS_MARK[fig.status]} {t('status_' + fig.status, self.meta.lang)}" if fig.status else ""

    def _foot(self, fig: Figure, size: float) -> float:
        """Inches the status word and the target take on one line at `size`."""
        word = self._status_word(fig)
        widths = [self.m.width(word, size, True)] if word else []
        if fig.target:
            widths.append(self.m.width(fig.target, size))
        return sum(widths) + (0.18 if len(widths) == 2 else 0)

    def tile(self, fig: Figure, x: float, y: float, w: float, h: float, value_size: float, label_size: float,
             foot_lines: int, foot_size: float) -> None:
        self.c.rect(x, y, w, h, SURFACE, rounded=True)
        self.c.rect(x, y, 0.09, h, status_colour(fig.status))
        ix, iw, top, value_h, label_h, foot_h = self._tile_boxes(x, y, w, h, foot_lines)
        self.text(fig.value, ix, top, iw, value_h, max_size=value_size, min_size=value_size, bold=True,
                  colour=INK, valign="bottom", max_lines=1, spacing=1.05)
        self.text(fig.label, ix, top + value_h + 0.05, iw, label_h - 0.05, max_size=label_size,
                  min_size=label_size, colour=INK_MUTED, max_lines=3)
        word = self._status_word(fig)
        target = _nfc(fig.target)
        foot_y = top + value_h + label_h
        line_h = self.FOOT_LINE
        if word and target and foot_lines == 1:
            first = TextBox(ix, foot_y, iw, [word], foot_size, True, status_colour(fig.status))
            self.c.text(first)
            shift = self.m.width(word, foot_size, True) + 0.18
            self.c.text(TextBox(ix + shift, foot_y, iw - shift,
                                [self.m.ellipsis(target, foot_size, False, iw - shift)], foot_size, False,
                                GREY))
            return
        lines = []
        if word:
            lines.append(TextBox(ix, 0, iw, [word], foot_size, True, status_colour(fig.status)))
        if target:
            lines.append(TextBox(ix, 0, iw, [self.m.ellipsis(target, foot_size, False, iw)], foot_size, False,
                                 GREY))
        # At the tile's foot: the last line on the bottom one.
        for i, box in enumerate(lines):
            box.y = foot_y + (foot_lines - len(lines) + i) * line_h
            self.c.text(box)

    def tiles(self, figures, x: float, y: float, w: float, h: float, rows: int = 1) -> None:
        """Tiles in a grid, every value at one size and every label at one size, the status
        words and targets on one line when every tile has room for it."""
        if not figures:
            return
        per_row = math.ceil(len(figures) / rows)
        tile_w = (w - GAP * (per_row - 1)) / per_row
        tile_h = (h - GAP * (rows - 1)) / rows
        _, iw, *_ = self._tile_boxes(0, 0, tile_w, tile_h, 0)
        footed = [f for f in figures if f.status or f.target]
        foot_size, foot_lines = 14.0, 0
        if footed:
            both = any(f.status and f.target for f in footed)
            roomy = tile_h - 0.24 - 2 * self.FOOT_LINE >= 1.2
            if all(self._foot(f, 13) <= iw for f in footed):
                foot_lines, foot_size = 1, (14.0 if all(self._foot(f, 14) <= iw for f in footed) else 13.0)
            elif both and roomy:
                foot_lines = 2
            else:
                foot_lines, foot_size = 1, 13.0
                while any(self._foot(f, foot_size) > iw for f in footed) and foot_size > 11:
                    foot_size -= 0.5
                if any(self._foot(f, foot_size) > iw for f in footed):
                    foot_lines, foot_size = (2 if both else 1), 12.0
        _, iw, _, value_h, label_h, _ = self._tile_boxes(0, 0, tile_w, tile_h, foot_lines)
        value_size = min(self.m.fit(f.value, iw, value_h, 60, 16, True, 1.05, 1)[0] for f in figures)
        label_size = min(self.m.fit(f.label, iw, label_h - 0.05, 18, 10, False, 1.18, 3)[0] for f in figures)
        for i, fig in enumerate(figures):
            r, col = divmod(i, per_row)
            self.tile(fig, x + col * (tile_w + GAP), y + r * (tile_h + GAP), tile_w, tile_h, value_size,
                      label_size, foot_lines, foot_size)

    @staticmethod
    def _cells(frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
        header = [_nfc(str(c)) for c in frame.columns]
        body = [["" if v is None else _nfc(str(v)) for v in row] for row in frame.itertuples(index=False)]
        return header, body

    def table_width(self, frame: pd.DataFrame, size: float = 14, pad: float = 0.12) -> float:
        header, body = self._cells(frame)
        return sum(max(self.m.width(header[i], size, True), *(self.m.width(r[i], size) for r in body)) + 2 * pad
                   for i in range(len(header)))

    def table(self, frame: pd.DataFrame, x: float, y: float, w: float, h: float) -> None:
        header, body = self._cells(frame)
        n_rows = len(body) + 1
        row_h = min(0.5, h / n_rows)
        size = max(10.0, min(16.0, row_h * 72 * 0.46))
        pad = 0.12
        while True:
            natural = [max(self.m.width(header[i], size, True),
                           *(self.m.width(r[i], size) for r in body)) + 2 * pad for i in range(len(header))]
            if sum(natural) <= w or size <= 11:
                break
            size -= 0.5
        widths = natural[:]
        widest = max(range(len(widths)), key=lambda i: widths[i])
        # Spare width, or the width missing, goes to the widest (text) column.
        widths[widest] += w - sum(natural)
        numeric = re.compile(r"^[\d—–-][\d.,%/ —–-]*$")
        aligns = ["right" if body and all(numeric.match(r[i] or "—") for r in body) else "left"
                  for i in range(len(header))]
        fitted = [[self.m.ellipsis(cell, size, r == 0, widths[i] - 2 * pad) for i, cell in enumerate(row)]
                  for r, row in enumerate([header, *body])]
        self.c.table(x, y, widths, row_h, fitted, aligns, size)

    # pages
    def frame(self, slide: Slide, page: int) -> None:
        self.c.rect(0, 0, W, BAND_H, NAVY)
        self.text(slide.title, MARGIN, 0, W - 2 * MARGIN, BAND_H, max_size=30, min_size=18, bold=True,
                  colour=ON_NAVY, valign="middle", max_lines=1)
        self.text(slide.subtitle, MARGIN, BAND_H + 0.14, W - 2 * MARGIN, 0.3, max_size=14, min_size=10,
                  colour=INK_MUTED, max_lines=1)
        self.c.rect(MARGIN, FOOTER_Y - 0.08, W - 2 * MARGIN, 0.012, RULE)
        self.text(self.meta.ministry, MARGIN, FOOTER_Y, 8, 0.3, max_size=10, min_size=8, colour=GREY,
                  max_lines=1)
        self.text(f"{page} / {self.total}", W - MARGIN - 2, FOOTER_Y, 2, 0.3, max_size=10, min_size=8,
                  colour=GREY, align="right", max_lines=1)

    def title_page(self) -> None:
        """A navy band with the ministry, the deck's title and its period; under it the
        app's name and when the deck was made."""
        meta = self.meta
        self.c.new_page()
        x, w = 0.9, W - 1.8
        size, _ = self.m.fit(meta.title, w, 0.8, 44, 30, True, 1.15, 1)
        one_line = self.m.width(meta.title, size, True) <= w
        title = place(self.m, meta.title, x, 2.3, w, 1.5, max_size=size if one_line else 40,
                      min_size=size if one_line else 24, bold=True, colour=ON_NAVY, max_lines=1 if one_line else 2,
                      spacing=1.15)
        period = place(self.m, meta.period_text, x, title.y + title.h + 0.35, w, 0.8, max_size=22, min_size=14,
                       colour=ON_NAVY_MUTED, max_lines=2)
        band = max(4.4, period.y + period.h + 1.1)
        self.c.rect(0, 0, W, band, NAVY)
        self.text(meta.ministry.upper(), x, 1.4, w, 0.45, max_size=20, min_size=12, bold=True, colour=ON_NAVY_MUTED,
                  max_lines=1)
        self.c.rect(x, 2.0, 1.3, 0.05, ACCENT)
        self.c.text(title)
        self.c.text(period)
        self.text(t("app_title", meta.lang), x, band + 0.5, w, 0.5, max_size=18, min_size=12, bold=True,
                  colour=NAVY, max_lines=1)
        self.text(meta.generated, x, band + 1.1, w, 0.4, max_size=14, min_size=10, colour=INK_MUTED, max_lines=1)

    def slide(self, slide: Slide, page: int) -> None:
        self.c.new_page()
        self.frame(slide, page)
        x, y, w = MARGIN, CONTENT_TOP, W - 2 * MARGIN
        bottom = CONTENT_BOTTOM
        has_body = bool(slide.figures or slide.charts or slide.table is not None or slide.blocks)
        if slide.note and has_body:
            self.text(slide.note, x, bottom - NOTE_H + 0.05, w, NOTE_H - 0.05, max_size=13, min_size=9,
                      colour=INK_MUTED, max_lines=2, valign="bottom")
            bottom -= NOTE_H + 0.1
        h = bottom - y
        figures, charts, table = slide.figures, slide.charts, slide.table
        if not has_body:
            self.text(slide.note, x + 1, y, w - 2, h, max_size=24, min_size=14, colour=INK_MUTED, align="center",
                      valign="middle")
            return
        tile_h = 1.75 if any(f.status or f.target for f in figures) else 1.35
        if slide.blocks:
            cy = y
            if figures:
                self.tiles(figures, x, y, w, tile_h)
                cy = y + tile_h + GAP + 0.05
            self.block_tables(slide.blocks, x, cy, w, bottom - cy)
        elif table is not None and charts:
            need = max(len(figures) * 2.2, self.table_width(table, 13) + 0.1)
            left_w = min(6.6, max(5.2, need))
            cy = y
            if figures:
                self.tiles(figures, x, y, left_w, tile_h)
                cy = y + tile_h + GAP + 0.05
            self.table(table, x, cy, left_w, bottom - cy)
            rx, rw = x + left_w + 0.45, w - left_w - 0.45
            self.stack(charts, rx, y, rw, h)
        elif charts:
            below = h - tile_h - GAP - 0.05 if figures else h
            if not figures or self.chart_height(charts) <= below:
                cy = y
                if figures:
                    rows = 1 if len(figures) <= 4 else 2
                    self.tiles(figures, x, y, w, tile_h * rows + GAP * (rows - 1), rows)
                    cy = y + tile_h * rows + GAP * rows + 0.05
                self.side_by_side(charts, x, cy, w, bottom - cy)
            else:
                # Charts with many bars need the full height: the figures go in a column.
                cols = 1 if len(figures) <= 3 else 2
                left_w = 3.2 if cols == 1 else 5.0
                rows = math.ceil(len(figures) / cols)
                self.tiles(figures, x, y, left_w, min(h, rows * 1.75 + (rows - 1) * GAP), rows)
                self.side_by_side(charts, x + left_w + 0.45, y, w - left_w - 0.45, h)
        elif table is not None:
            if figures and len(table) > 4:
                # A long table gets the full height; the figures go in a column beside it.
                rows = len(figures) if len(figures) <= 3 else math.ceil(len(figures) / 2)
                left_w = 3.4 if len(figures) <= 3 else 5.0
                self.tiles(figures, x, y, left_w, min(h, rows * 1.75 + (rows - 1) * GAP), rows)
                tx = x + left_w + 0.45
                self.table(table, tx, y, w - left_w - 0.45, min(h, 0.5 * (len(table) + 1)))
            else:
                cy = y
                if figures:
                    self.tiles(figures, x, y, min(w, len(figures) * 3.6), max(tile_h, 1.75))
                    cy = y + max(tile_h, 1.75) + GAP + 0.1
                self.table(table, x, cy, w, min(bottom - cy, 0.5 * (len(table) + 1)))
        else:
            rows = 1 if len(figures) <= 4 else 2
            tiles_h = min(h, 2.45 * rows + GAP * (rows - 1))
            self.tiles(figures, x, y + (h - tiles_h) / 2 if rows == 1 else y, w, tiles_h, rows)

    def block_tables(self, blocks, x: float, y: float, w: float, h: float) -> None:
        """Each block's ranking as its own table under its name (with the provisional
        mark its rows share), in two columns filled top to bottom, one row height for all."""
        col_w = (w - 0.45) / 2 if len(blocks) > 1 else w
        heads = 0.42
        columns: list[list] = [[], []]
        lengths = [0, 0]
        total = sum(len(b.rows) + 1 for b in blocks)
        for block in blocks:
            # the first column until it holds half the rows, then the second
            column = 0 if lengths[0] < total / 2 or len(blocks) == 1 else 1
            columns[column].append(block)
            lengths[column] += len(block.rows) + 1
        row_h = min(0.36, min((h - len(c) * (heads + 0.15)) / max(1, sum(len(b.rows) + 1 for b in c))
                              for c in columns if c))
        for i, column in enumerate(columns):
            cy = y
            for block in column:
                head = block.title if not block.mark else t("emulation.block_provisional", self.meta.lang,
                                                              block=block.title, mark=block.mark)
                self.text(head, x + i * (col_w + 0.45), cy, col_w, heads - 0.06, max_size=15, min_size=11,
                          bold=True, colour=NAVY, max_lines=1, valign="bottom")
                cy += heads
                rows_h = row_h * (len(block.rows) + 1)
                self.table(block.frame(self.meta.lang), x + i * (col_w + 0.45), cy, col_w, rows_h)
                cy += rows_h + 0.15

    @staticmethod
    def chart_height(charts) -> float:
        """Inches the tallest chart needs: its title and about 40 px a bar."""
        rows = max((slide_charts.rows_of(c) or 4) for c in charts)
        return 0.8 + rows * 40 / CHART_PX_PER_IN

    def stack(self, charts, x, y, w, h) -> None:
        each = (h - GAP * (len(charts) - 1)) / len(charts)
        size = self.title_size(charts, w)
        for i, chart in enumerate(charts):
            self.chart(chart, x, y + i * (each + GAP), w, each, size)

    def side_by_side(self, charts, x, y, w, h) -> None:
        each = (w - 0.5 * (len(charts) - 1)) / len(charts)
        size = self.title_size(charts, each)
        for i, chart in enumerate(charts):
            self.chart(chart, x + i * (each + 0.5), y, each, h, size)


def _paint(canvas: Canvas, measure: Measure, slides: list[Slide], meta: DeckMeta) -> None:
    painter = Painter(canvas, measure, meta, 1 + len(slides))
    painter.title_page()
    for number, slide in enumerate(slides, start=2):
        painter.slide(slide, number)


# --- PDF -----------------------------------------------------------------------------------------
class PdfCanvas:
    def __init__(self, pdf: FPDF):
        self.pdf = pdf

    def new_page(self) -> None:
        self.pdf.add_page()

    def rect(self, x, y, w, h, fill, rounded=False) -> None:
        self.pdf.set_fill_color(*rgb(fill))
        if rounded:
            self.pdf.rect(x, y, w, h, style="F", round_corners=True, corner_radius=0.08)
        else:
            self.pdf.rect(x, y, w, h, style="F")

    def text(self, box: TextBox) -> None:
        pdf = self.pdf
        pdf.set_font("DejaVu", "B" if box.bold else "", box.size)
        pdf.set_text_color(*rgb(box.colour))
        line_h = box.size * box.spacing / 72
        align = {"left": "L", "center": "C", "right": "R"}[box.align]
        for i, line in enumerate(box.lines):
            pdf.set_xy(box.x, box.y + i * line_h)
            pdf.cell(box.w, line_h, line, align=align)

    def picture(self, x, y, w, h, png) -> None:
        self.pdf.image(io.BytesIO(png), x=x, y=y, w=w, h=h)

    def table(self, x, y, widths, row_h, rows, aligns, size) -> None:
        pdf = self.pdf
        pad = 0.12
        for r, row in enumerate(rows):
            ry = y + r * row_h
            if r == 0:
                self.rect(x, ry, sum(widths), row_h, NAVY)
            elif r % 2 == 0:
                self.rect(x, ry, sum(widths), row_h, SURFACE)
            cx = x
            for i, cell in enumerate(row):
                pdf.set_font("DejaVu", "B" if r == 0 else "", size)
                pdf.set_text_color(*rgb(ON_NAVY if r == 0 else INK))
                pdf.set_xy(cx + pad, ry)
                pdf.cell(widths[i] - 2 * pad, row_h, cell, align="R" if aligns[i] == "right" else "L")
                cx += widths[i]
        self.rect(x, y + len(rows) * row_h - 0.01, sum(widths), 0.015, RULE)


def pdf_bytes(slides: list[Slide], meta: DeckMeta) -> bytes:
    pdf = _new_pdf()
    pdf.set_title(f"{meta.title} — {meta.period_text}")
    pdf.set_author(meta.ministry)
    pdf.set_creator(t("app_title", meta.lang))
    pdf.set_lang(meta.lang)
    _paint(PdfCanvas(pdf), Measure(pdf), slides, meta)
    return bytes(pdf.output())


# --- PPTX ----------------------------------------------------------------------------------------
class PptxCanvas:
    def __init__(self):
        from pptx import Presentation
        from pptx.util import Inches

        self.prs = Presentation()
        self.prs.slide_width = Inches(W)
        self.prs.slide_height = Inches(H)
        self.layout = self.prs.slide_layouts[6]  # blank
        self.slide = None

    @staticmethod
    def _emu(inches: float):
        from pptx.util import Emu

        return Emu(int(round(inches * 914400)))

    @staticmethod
    def _colour(colour: str):
        from pptx.dml.color import RGBColor

        return RGBColor.from_string(colour.lstrip("#").upper())

    def new_page(self) -> None:
        self.slide = self.prs.slides.add_slide(self.layout)

    def rect(self, x, y, w, h, fill, rounded=False) -> None:
        from pptx.enum.shapes import MSO_SHAPE

        e = self._emu
        shape = self.slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE,
                                            e(x), e(y), e(w), e(h))
        if rounded:
            shape.adjustments[0] = min(0.5, 0.08 / max(0.01, min(w, h)))
        shape.fill.solid()
        shape.fill.fore_color.rgb = self._colour(fill)
        shape.line.fill.background()
        shape.shadow.inherit = False

    def _runs(self, paragraph, lines, size, bold, colour) -> None:
        from pptx.util import Pt

        for i, line in enumerate(lines):
            if i:
                paragraph.add_line_break()
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = PPTX_FONT
            run.font.color.rgb = self._colour(colour)

    def text(self, box: TextBox) -> None:
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
        from pptx.util import Pt

        e = self._emu
        shape = self.slide.shapes.add_textbox(e(box.x), e(box.y), e(box.w), e(box.h + 0.04))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        paragraph = frame.paragraphs[0]
        paragraph.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}[box.align]
        paragraph.line_spacing = Pt(box.size * box.spacing)
        self._runs(paragraph, box.lines, box.size, box.bold, box.colour)

    def picture(self, x, y, w, h, png) -> None:
        e = self._emu
        self.slide.shapes.add_picture(io.BytesIO(png), e(x), e(y), e(w), e(h))

    def table(self, x, y, widths, row_h, rows, aligns, size) -> None:
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

        e = self._emu
        shape = self.slide.shapes.add_table(len(rows), len(widths), e(x), e(y), e(sum(widths)), e(row_h * len(rows)))
        table = shape.table
        table.first_row = True
        table.horz_banding = False
        for i, width in enumerate(widths):
            table.columns[i].width = e(width)
        for r, row in enumerate(rows):
            table.rows[r].height = e(row_h)
            for i, text in enumerate(row):
                cell = table.cell(r, i)
                cell.fill.solid()
                fill = NAVY if r == 0 else (SURFACE if r % 2 == 0 else PAPER)
                cell.fill.fore_color.rgb = self._colour(fill)
                cell.margin_left = cell.margin_right = e(0.12)
                cell.margin_top = cell.margin_bottom = e(0.02)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                paragraph = cell.text_frame.paragraphs[0]
                paragraph.alignment = PP_ALIGN.RIGHT if aligns[i] == "right" else PP_ALIGN.LEFT
                self._runs(paragraph, [text], size, r == 0, ON_NAVY if r == 0 else INK)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def pptx_bytes(slides: list[Slide], meta: DeckMeta) -> bytes:
    canvas = PptxCanvas()
    canvas.prs.core_properties.title = f"{meta.title} — {meta.period_text}"
    canvas.prs.core_properties.author = meta.ministry
    canvas.prs.core_properties.language = meta.lang
    _paint(canvas, Measure(), slides, meta)
    return canvas.save()


def write(path: Path, slides: list[Slide], meta: DeckMeta) -> None:
    """Write the deck to `path`, as PPTX or PDF by its suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".pptx":
        data = pptx_bytes(slides, meta)
    elif suffix == ".pdf":
        data = pdf_bytes(slides, meta)
    else:
        raise ValueError(f"{path.name}: a deck is written as .pptx or .pdf, not {suffix or 'no suffix'!r}")
    path.write_bytes(data)
