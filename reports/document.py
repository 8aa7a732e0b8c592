"""The layout of a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I),
shared by the Government KPI report and the emulation report: what the ministry office
prints, signs and sends as it is.

    BỘ …                                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    VĂN PHÒNG BỘ                               Độc lập - Tự do - Hạnh phúc
    ───                                          ─────────────────────
    Số: 12/BC-VP                       Hà Nội, ngày 02 tháng 12 năm 2026

                                  BÁO CÁO
                 Kết quả thực hiện các chỉ tiêu … kỳ …
                     Kính gửi: Văn phòng Chính phủ.
    … the body …
    Nơi nhận:                                       KT. BỘ TRƯỞNG
    - Như trên;                                      THỨ TRƯỞNG
    - Lưu: VT, VP.                                  (signature)
                                                    Nguyễn Văn A

`Fields` are what the office decides (number, signer, place, addressee, recipients):
settings declared in `data_access.settings`, and fields of the Reports page prefilled
from them. A number or a signer that is not given is never invented: the document keeps
the blank ("Số: ……/BC-VP", a dotted signer line) that the office fills in by hand.
`compose` turns the fields into the texts of one document in one language; `pdf_*` draw
them with fpdf2, `xlsx_*` write them as a workbook's title block."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from data_access import settings
from design import palette
from l10n import fmt
from l10n.i18n import t

from . import FONT_DIR

KINDS = ("government", "emulation")
BLANK = "……"                         # a place left for the pen
SIGNER_BLANK = "……………………………"

# Decree 30 asks for Times New Roman; DejaVu Serif is the serif face shipped with the
# project that has every Vietnamese letter (the sans face stays the slides' typeface).
DOC_FONT = "DejaVu Serif"
DOC_FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf",
                  "BI": "DejaVuSerif-BoldItalic.ttf"}


# --- the fields --------------------------------------------------------------------------
@dataclass(frozen=True)
class Fields:
    """What the office sets for one document; empty means "not given"."""

    number: str = ""
    signer_title: str = ""               # lines separated by "/" or new lines: "KT. BỘ TRƯỞNG/THỨ TRƯỞNG"
    signer_name: str = ""
    place: str = ""
    addressee: str = ""                  # empty: the report's usual addressee, in the document's language
    recipients: tuple[str, ...] = ()     # empty: the report's usual recipients
    issuer: str = ""                     # empty: the Ministry Office, in the document's language
    symbol: str = "BC-VP"

    def with_(self, **changes) -> "Fields":
        return replace(self, **changes)


def split_recipients(text: str | None) -> tuple[str, ...]:
    """Recipients from a setting ("a; b; c") or a text box (one a line); a leading "-" and
    the closing ";" or "." of each line are dropped (the layout puts them back)."""
    parts = re.split(r"[;\n]", text or "")
    cleaned = (p.strip().lstrip("-–•").strip().rstrip(";.").strip() for p in parts)
    return tuple(p for p in cleaned if p)


def signer_lines(text: str | None) -> list[str]:
    """The signer's title as its printed lines, upper case (Decree 30: bold capitals)."""
    return [line.strip().upper() for line in re.split(r"[/\n]", text or "") if line.strip()]


def from_settings(kind: str) -> Fields:
    """The fields of a `kind` report ("government" or "emulation") as the settings give them."""
    if kind not in KINDS:
        raise ValueError(f"document kind {kind!r}, expected one of {KINDS}")
    get = settings.get
    return Fields(number=str(get(f"{kind}_report_number")).strip(),
                  signer_title=str(get("document_signer_title")).strip(),
                  signer_name=str(get("document_signer_name")).strip(),
                  place=str(get("document_place")).strip(),
                  addressee=str(get(f"{kind}_report_addressee")).strip(),
                  recipients=split_recipients(str(get(f"{kind}_report_recipients"))),
                  issuer=str(get("document_issuer")).strip(),
                  symbol=str(get("document_symbol")).strip() or "BC-VP")


def default_addressee(kind: str, lang: str) -> str:
    return t(f"reports.doc_addressee_{kind}", lang)


def default_recipients(kind: str, lang: str) -> tuple[str, ...]:
    return split_recipients(t(f"reports.doc_recipients_{kind}", lang))


# --- one document's texts ----------------------------------------------------------------
@dataclass(frozen=True)
class Document:
    """The texts of one document's heading and closing, in its language."""

    agency: str                      # the ministry, capitals
    issuer: str                      # the issuing unit, capitals
    number: str                      # "Số: 12/BC-VP" or "Số: ……/BC-VP"
    nation: str
    motto: str
    place_date: str
    kind: str                        # "BÁO CÁO"
    excerpt: tuple[str, ...]         # what it reports on, one or two lines
    addressee: str                   # "Kính gửi: Văn phòng Chính phủ."
    recipients_label: str            # "Nơi nhận:"
    recipients: tuple[str, ...]      # "- Như trên;" … "- Lưu: VT, VP."
    signer_title: tuple[str, ...]    # empty: left blank
    signer_name: str                 # empty: left blank
    fields: Fields = field(default_factory=Fields)

    @property
    def signed(self) -> bool:
        return bool(self.signer_title or self.signer_name)


def number_text(fields: Fields, lang: str) -> str:
    number = fields.number.strip()
    if number and "/" in number:                  # typed with its symbol already: "12/BC-VP"
        return t("reports.doc_number", lang, number=number.split("/", 1)[0], symbol=number.split("/", 1)[1])
    return t("reports.doc_number", lang, number=number or BLANK, symbol=fields.symbol or "BC-VP")


def place_date_text(place: str, day: dt.date, lang: str) -> str:
    """"Hà Nội, ngày 02 tháng 12 năm 2026": Decree 30 writes a zero before a day below 10
    and before the months 1 and 2."""
    place = place.strip() or BLANK
    if lang == "vi":
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return t("reports.doc_place_date", lang, place=place, day=f"{day.day:02d}", month=month, year=day.year)
    return t("reports.doc_place_date", lang, place=place, date=fmt.date(day, lang))


def recipients_lines(items: tuple[str, ...]) -> tuple[str, ...]:
    """"- item;" for each, "- item." for the last (the Decree's punctuation)."""
    return tuple(f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items))


def compose(kind: str, fields: Fields, lang: str, *, ministry: str, day: dt.date,
            excerpt: tuple[str, ...]) -> Document:
    """The document of a `kind` report dated `day`, issued under `ministry`."""
    addressee = fields.addressee.strip() or default_addressee(kind, lang)
    recipients = fields.recipients or default_recipients(kind, lang)
    issuer = fields.issuer.strip() or t("reports.doc_issuer", lang)
    return Document(
        agency=ministry.upper(), issuer=issuer.upper(), number=number_text(fields, lang),
        nation=t("reports.nation", lang), motto=t("reports.motto", lang),
        place_date=place_date_text(fields.place, day, lang), kind=t("reports.doc_kind", lang),
        excerpt=tuple(excerpt), addressee=t("reports.doc_addressee", lang, to=addressee.rstrip(".")),
        recipients_label=t("reports.doc_recipients", lang), recipients=recipients_lines(tuple(recipients)),
        signer_title=tuple(signer_lines(fields.signer_title)), signer_name=fields.signer_name.strip(),
        fields=fields)


# --- PDF -----------------------------------------------------------------------------------
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30.0, 15.0, 20.0, 20.0    # Decree 30's page margins
HEADING_FILL = palette.rgb(palette.TABLE_HEADING)
GROUP_FILL = (242, 242, 242)
TEXT_GREY = 90
LEFT_COLUMN = 68.0                   # the agency's column of the heading


class DocumentPdf(FPDF):
    """A4 portrait in the document's serif face; from the second page on, the page
    number at the top centre (Decree 30), none on the first."""

    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, name in DOC_FONT_FILES.items():
            self.add_font(DOC_FONT, style, str(FONT_DIR / name))
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        self.c_margin = 1.2
        self.alias_nb_pages()

    def header(self):
        if self.page_no() > 1:
            self.set_y(9)
            self.set_font(DOC_FONT, "", 11)
            self.cell(0, 5, str(self.page_no()), align="C")
            self.set_y(MARGIN_TOP)

    # -- text blocks --
    def para(self, text: str, size: float = 12, bold: bool = False, align: str = "J", height: float | None = None,
             grey: bool = False, italic: bool = False, indent: float = 0.0) -> None:
        self.set_font(DOC_FONT, ("B" if bold else "") + ("I" if italic else ""), size)
        if grey:
            self.set_text_color(TEXT_GREY)
        if indent:
            self.set_x(self.l_margin + indent)
        self.multi_cell(0, height or size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 55:
            self.add_page()
        self.ln(2.5)
        self.para(text, size=12, bold=True, align="L", height=6.5)
        self.ln(0.5)

    def subheading(self, text: str) -> None:
        if self.get_y() > self.h - 45:
            self.add_page()
        self.ln(1)
        self.para(text, size=12, bold=True, italic=True, align="L", height=6)

    def table(self, *args, **kwargs):
        kwargs.setdefault("headings_style", FontFace(emphasis="BOLD", fill_color=HEADING_FILL))
        kwargs.setdefault("line_height", self.font_size * 1.45)
        kwargs.setdefault("width", self.epw)
        kwargs.setdefault("align", "LEFT")        # between the margins (CENTER centres on the paper)
        kwargs.setdefault("padding", (0.8, 1.2))
        return super().table(*args, **kwargs)


def fit_size(pdf: FPDF, text: str, width: float, size: float, style: str = "B", minimum: float = 8) -> float:
    """The largest size up to `size` (down to `minimum`) at which `text` fits on one line
    of `width`; the font is left set to it."""
    while True:
        pdf.set_font(DOC_FONT, style, size)
        if pdf.get_string_width(text) <= width - 2 or size <= minimum:
            return size
        size -= 0.5


def pdf_heading(pdf: DocumentPdf, doc: Document) -> None:
    """The two columns of the heading, then the kind, the excerpt and the addressee."""
    top = pdf.get_y()
    left_w = LEFT_COLUMN
    right_w = pdf.epw - left_w
    x_left, x_right = pdf.l_margin, pdf.l_margin + left_w

    # Left: the ministry (capitals), the issuing unit (bold capitals), a short rule, the number.
    pdf.set_xy(x_left, top)
    fit_size(pdf, doc.agency, left_w, 12, style="", minimum=9)
    pdf.multi_cell(left_w, 5.5, doc.agency, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    fit_size(pdf, doc.issuer, left_w, 12, style="B", minimum=9)
    pdf.multi_cell(left_w, 5.5, doc.issuer, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    y = pdf.get_y() + 1.2
    pdf.line(x_left + left_w / 2 - 12, y, x_left + left_w / 2 + 12, y)
    pdf.set_xy(x_left, y + 2.5)
    pdf.set_font(DOC_FONT, "", 12)
    pdf.cell(left_w, 6, doc.number, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    y_left = pdf.get_y()

    # Right: the national heading, the motto underlined by a rule as long as itself, place and date.
    pdf.set_xy(x_right, top)
    fit_size(pdf, doc.nation, right_w, 12, style="B")
    pdf.cell(right_w, 5.5, doc.nation, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    fit_size(pdf, doc.motto, right_w, 13, style="B")
    pdf.cell(right_w, 6, doc.motto, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    motto_w = pdf.get_string_width(doc.motto)
    y = pdf.get_y() + 1.0
    pdf.line(x_right + (right_w - motto_w) / 2, y, x_right + (right_w + motto_w) / 2, y)
    pdf.set_xy(x_right, max(y + 2.5, y_left - 6))
    fit_size(pdf, doc.place_date, right_w, 12, style="I", minimum=9)
    pdf.cell(right_w, 6, doc.place_date, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), y_left) + 8)

    # The kind, what it reports on, a short rule, the addressee.
    pdf.para(doc.kind, size=14, bold=True, align="C", height=7)
    for line in doc.excerpt:
        pdf.para(line, size=13, bold=True, align="C", height=6.5)
    y = pdf.get_y() + 1.2
    pdf.line(pdf.w / 2 - 18, y, pdf.w / 2 + 18, y)
    pdf.ln(5)
    pdf.para(doc.addressee, size=13, align="C", height=6.5)
    pdf.ln(4)


def pdf_closing(pdf: DocumentPdf, doc: Document) -> None:
    """"Nơi nhận" on the left, the signer on the right, kept together on one page: the
    signer's title, room for the signature and seal, the name (dotted lines when the
    office has not said who signs)."""
    left_w = pdf.epw * 0.45
    right_w = pdf.epw - left_w
    need = 14 + max(5.0 * (len(doc.recipients) + 1), 48.0)
    if pdf.get_y() + need > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(6)
    top = pdf.get_y()

    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font(DOC_FONT, "BI", 11)
    pdf.cell(left_w, 5.5, doc.recipients_label, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(DOC_FONT, "", 10)
    for line in doc.recipients:
        pdf.multi_cell(left_w, 4.8, line, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    y_left = pdf.get_y()

    x_right = pdf.l_margin + left_w
    pdf.set_xy(x_right, top)
    titles = doc.signer_title or (SIGNER_BLANK,)
    for line in titles:
        fit_size(pdf, line, right_w, 12, style="B", minimum=9)
        pdf.cell(right_w, 6, line, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(pdf.get_y() + 24)                   # the signature and the seal
    pdf.set_x(x_right)
    pdf.set_font(DOC_FONT, "B", 12)
    pdf.cell(right_w, 6, doc.signer_name or SIGNER_BLANK, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), y_left) + 2)


def new_pdf(doc: Document, title: str, lang: str) -> DocumentPdf:
    pdf = DocumentPdf()
    pdf.set_title(title)
    pdf.set_author(doc.issuer)
    pdf.set_creator("IOC dashboard")
    pdf.set_lang("vi-VN" if lang == "vi" else "en-GB")
    pdf.add_page()
    return pdf


def heading_row(table, texts: list[str]) -> None:
    row = table.row()
    for text in texts:
        row.cell(text, align="CENTER")


# --- XLSX ----------------------------------------------------------------------------------
def xlsx_heading(ws, doc: Document, *, first: int = 1, span: int = 2) -> int:
    """The heading as the first rows of `ws` over its columns A…(A + span - 1): the agency
    and number in column A, the national heading and the date in the last column; then
    the kind, the excerpt and the addressee across. Returns the next free row."""
    from openpyxl.styles import Alignment, Font

    last = span
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = [(doc.agency, Font(size=11)), (doc.issuer, Font(bold=True, size=11)), (doc.number, Font(size=11))]
    right = [(doc.nation, Font(bold=True, size=11)), (doc.motto, Font(bold=True, size=12)),
             (doc.place_date, Font(italic=True, size=11))]
    for offset, ((l_text, l_font), (r_text, r_font)) in enumerate(zip(left, right)):
        row = first + offset
        a = ws.cell(row=row, column=1, value=l_text)
        a.font, a.alignment = l_font, centre
        b = ws.cell(row=row, column=last, value=r_text)
        b.font, b.alignment = r_font, centre
    row = first + len(left) + 1
    lines = [(doc.kind, Font(bold=True, size=14)), *[(x, Font(bold=True, size=12)) for x in doc.excerpt],
             (doc.addressee, Font(size=12))]
    for text, font in lines:
        cell = ws.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = font, centre
        if last > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        row += 1
    return row + 1


def xlsx_closing(ws, doc: Document, first: int, *, span: int = 2) -> int:
    """"Nơi nhận" and its lines in column A, the signer in the last column, from `first`."""
    from openpyxl.styles import Alignment, Font

    top = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    label = ws.cell(row=first, column=1, value=doc.recipients_label)
    label.font, label.alignment = Font(bold=True, italic=True, size=11), top
    for i, line in enumerate(doc.recipients, start=1):
        ws.cell(row=first + i, column=1, value=line).alignment = top
    titles = list(doc.signer_title) or [SIGNER_BLANK]
    for i, line in enumerate(titles):
        cell = ws.cell(row=first + i, column=span, value=line)
        cell.font, cell.alignment = Font(bold=True, size=12), centre
    name_row = first + len(titles) + 4
    cell = ws.cell(row=name_row, column=span, value=doc.signer_name or SIGNER_BLANK)
    cell.font, cell.alignment = Font(bold=True, size=12), centre
    return max(name_row, first + len(doc.recipients)) + 1
