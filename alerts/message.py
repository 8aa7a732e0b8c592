"""The messages: Vietnamese first (English for a user who chose it), a plain-text part
and an HTML part, figures formatted as on the pages (`l10n.fmt`), every item a link back
to the dashboard view it concerns, text from the sources escaped, attachments named with
their period."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import urlencode

from data_access import catalogue as catalogue_mod
from data_access import settings
from data_access.organisation import DEFAULT_STRUCTURE
from l10n import fmt
from l10n.i18n import enum, t

from .engine import HEADLINE, PERIOD_PRESET, Context, Due, _working_days_before

TAGS = {"tasks_due": "tag_reminder", "tasks_overdue": "tag_reminder", "dossiers_overdue": "tag_reminder",
        "kpi_status": "tag_alert", "weekly_summary": "tag_report", "cutoff_reminder": "tag_report"}
SHOWN = 50                       # rows of a list a message shows; the rest are a link away
_SPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://[^\s<>\"']+")
_COLOURS = {"green": "#1e7d32", "amber": "#b26a00", "red": "#c62828"}


@functools.lru_cache(maxsize=1)
def _status_of() -> dict[str, str]:
    """A traffic light's word, in either language → its colour's name (a cell that says
    one is drawn in its colour)."""
    return {t(f"status_{s}", lang): s for s in _COLOURS for lang in ("vi", "en")}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True)
class Built:
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()


def one_line(text) -> str:
    """Source text for a subject or a cell: one line, no control characters."""
    return _SPACE.sub(" ", str(text if text is not None else "")).strip()


def link(page: str, lang: str, unit: str | None = None, section: str | None = None, period=None) -> str:
    """A deep link to a dashboard view: base_url, the page's path and the URL parameters
    the pages read (`ui.controls.View.query`, `ui.attention.SECTION`); a `period` other
    than the default preset as `period=custom&from=…&to=…`."""
    params = {"lang": lang, "period": PERIOD_PRESET}
    if period is not None:
        params.update({"period": "custom", "from": period.start.isoformat(), "to": period.end.isoformat()})
    if unit:
        params["unit"] = unit
    params["structure"] = DEFAULT_STRUCTURE
    if section:
        params["section"] = section
    base = str(settings.get("base_url")).rstrip("/")
    return f"{base}/{page}?{urlencode(params)}" if page else f"{base}/?{urlencode(params)}"


def unit_name(ctx: Context, code: str | None, lang: str) -> str:
    if code is None:
        return ministry_name(ctx, lang)
    names = ctx.unit_names().get(code)
    return names[0 if lang == "vi" else 1] if names else str(code)


def ministry_name(ctx: Context, lang: str) -> str:
    found = ctx.ministry()
    return (found[0] if lang == "vi" else found[1]) if found else t("ministry", lang)


def _title(row: dict, lang: str) -> str:
    return one_line(row.get("title_vi") if lang == "vi" else (row.get("title_en") or row.get("title_vi")))


def _period_text(period, lang: str) -> str:
    return f"{fmt.date(period.start, lang)} – {fmt.date(period.end, lang)}"


class _Doc:
    """The plain-text and HTML parts, written together so they say the same."""

    def __init__(self):
        self.text: list[str] = []
        self.html: list[str] = []

    def para(self, words: str, url: str | None = None) -> None:
        self.text.append(words + (f"\n{url}" if url else ""))
        if url:
            body = f'<a href="{html.escape(url, quote=True)}">{html.escape(words)}</a>'
        else:
            # An address of the dashboard's inside a sentence (the footer's) is a link too.
            body = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', html.escape(words))
        self.html.append(f"<p>{body}</p>")

    def heading(self, words: str) -> None:
        self.text.append(f"{words}\n{'-' * len(words)}")
        self.html.append(f'<h3 style="margin:16px 0 6px">{html.escape(words)}</h3>')

    def table(self, headers: list[str], rows: list[tuple[list[str], str | None]]) -> None:
        """Rows of cells, each row with a link (its first cell carries it)."""
        lines = []
        for cells, url in rows:
            lines.append("• " + " · ".join(c for c in cells if c) + (f"\n  {url}" if url else ""))
        self.text.append("\n".join(lines))
        head = "".join(f'<th style="text-align:left;padding:4px 8px;border-bottom:2px solid #ccc">'
                       f'{html.escape(h)}</th>' for h in headers)
        body = []
        for cells, url in rows:
            tds = []
            for i, cell in enumerate(cells):
                inner = html.escape(cell)
                if i == 0 and url:
                    inner = f'<a href="{html.escape(url, quote=True)}">{inner}</a>'
                colour = _COLOURS.get(_status_of().get(cell, ""), "")
                style = f";color:{colour};font-weight:bold" if colour and i else ""
                tds.append(f'<td style="padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top{style}">'
                           f'{inner}</td>')
            body.append("<tr>" + "".join(tds) + "</tr>")
        self.html.append('<table style="border-collapse:collapse;font-size:14px">'
                         f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def render(self, title: str, lang: str) -> tuple[str, str]:
        text = "\n\n".join(self.text) + "\n"
        page = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                '</head><body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#222;'
                'max-width:760px">' + "\n".join(self.html) + "</body></html>")
        return text, page


def _task_rows(ctx: Context, rows: list[dict], lang: str, left: str) -> list[tuple[list[str], str | None]]:
    out = []
    for row in rows[:SHOWN]:
        days = row.get(left)
        assigned = row.get("lead_unit_code")
        answering = ctx.current_unit(assigned)
        unit = unit_name(ctx, answering, lang) if answering is not None else unit_name(ctx, assigned, lang)
        if answering != assigned:
            unit = t("alerts.assigned_to", lang, unit=unit, assigned=unit_name(ctx, assigned, lang))
        out.append(([_title(row, lang), one_line(row.get("ref") or "—"), enum("source", row.get("source"), lang),
                     unit, fmt.date(row.get("due_date"), lang),
                     fmt.number(int(days), lang) if days is not None else "—",
                     fmt.percent((row.get("progress_pct") or 0) / 100, lang, 0)],
                    link("tasks", lang, answering,
                         "deadlines" if left == "days_left" else "overdue")))
    return out


def _kpi_text(kpi_id: str, value, lang: str) -> str:
    kpi = catalogue_mod.get()[kpi_id]
    return fmt.kpi_value(value, kpi.unit, lang)


def build(ctx: Context, due: Due) -> Built:
    """The message `due` in its recipient's language."""
    lang = due.recipient.lang
    c = due.content
    kind = c["kind"]
    scope = unit_name(ctx, due.scope.unit, lang)
    tag = t(f"alerts.{TAGS[kind]}", lang)
    doc = _Doc()
    doc.para(t("alerts.greeting", lang, name=one_line(due.recipient.name)))
    attachments: list[Attachment] = []
    one = "_1" if c.get("days") == 1 else ""
    if kind in ("tasks_due", "tasks_overdue"):
        n = c["total"]
        subject = t(f"alerts.subject_{kind}{one}", lang, n=fmt.number(n, lang), days=c["days"], scope=scope)
        date = fmt.date(ctx.now.date() + dt.timedelta(days=c["days"]), lang)
        doc.para(t(f"alerts.intro_{kind}{one}", lang, scope=scope, days=c["days"], date=date))
        left = "days_left" if kind == "tasks_due" else "days_overdue"
        doc.table([t("alerts.col_task", lang), t("alerts.col_ref", lang), t("alerts.col_source", lang),
                   t("alerts.col_unit", lang), t("alerts.col_deadline", lang),
                   t("alerts.col_days_left" if kind == "tasks_due" else "alerts.col_days_overdue", lang),
                   t("alerts.col_progress", lang)], _task_rows(ctx, c["rows"], lang, left))
        view = link("tasks", lang, due.scope.unit, "deadlines" if kind == "tasks_due" else "overdue")
    elif kind == "dossiers_overdue":
        n = c["total"]
        subject = t("alerts.subject_dossiers_overdue", lang, n=fmt.number(n, lang),
                    before=fmt.number(c["before"], lang), scope=scope)
        doc.para(t("alerts.intro_dossiers_overdue", lang, scope=scope, before=fmt.number(c["before"], lang),
                   n=fmt.number(n, lang)))
        rows = []
        for row in c["rows"][:SHOWN]:
            name = row.get("procedure_name_vi") if lang == "vi" else (row.get("procedure_name_en")
                                                                      or row.get("procedure_name_vi"))
            due_at = row.get("due_at")
            rows.append(([one_line(row.get("id")), one_line(name or row.get("procedure_code")),
                          unit_name(ctx, row.get("unit_code"), lang),
                          fmt.date(due_at.date() if due_at is not None and not isinstance(due_at, float) else None, lang),
                          fmt.number(row.get("days_overdue"), lang, 1)],
                         link("procedures", lang, row.get("unit_code"), "overdue")))
        doc.table([t("alerts.col_dossier", lang), t("alerts.col_procedure", lang), t("alerts.col_dossier_unit", lang),
                   t("alerts.col_deadline", lang), t("alerts.col_days_overdue", lang)], rows)
        view = link("procedures", lang, due.scope.unit, "overdue")
    elif kind == "kpi_status":
        n = c["total"]
        subject = t("alerts.subject_kpi_status", lang, n=fmt.number(n, lang), scope=scope)
        doc.para(t("alerts.intro_kpi_status", lang, period=_period_text(ctx.period, lang)))
        cat = catalogue_mod.get()
        rows = []
        for row in c["rows"][:SHOWN]:
            rows.append(([cat[row["kpi"]].name(lang), unit_name(ctx, row["unit"], lang),
                          _kpi_text(row["kpi"], row["value"], lang), t(f"status_{row['status']}", lang)],
                         link("", lang, row["unit"])))
        doc.table([t("alerts.col_kpi", lang), t("alerts.col_scope", lang), t("alerts.col_value", lang),
                   t("alerts.col_status", lang)], rows)
        view = link("", lang, due.scope.unit)
    elif kind == "weekly_summary":
        iso = due.day.isocalendar()
        subject = t("alerts.subject_weekly_summary", lang, week=f"{iso[1]:02d}/{iso[0]}", scope=scope)
        doc.para(t("alerts.intro_weekly_summary", lang, scope=scope, period=_period_text(c["period"], lang),
                   time=fmt.moment(ctx.now, lang)))
        cat = catalogue_mod.get()
        doc.heading(t("alerts.headline", lang))
        doc.table([t("alerts.col_kpi", lang), t("alerts.col_value", lang), t("alerts.col_status", lang)],
                  [([cat[k].name(lang), _kpi_text(k, v, lang),
                     t(f"status_{cat[k].status(v)}", lang) if cat[k].status(v) else "—"], link("", lang, due.scope.unit))
                   for k, v in c["kpis"].items()])
        doc.heading(t("alerts.problems", lang))
        if c["problems"]:
            doc.table([t("alerts.col_unit", lang), t("alerts.col_kpi", lang), t("alerts.col_value", lang)],
                      [([unit_name(ctx, p["unit"], lang), cat[p["kpi"]].name(lang), _kpi_text(p["kpi"], p["value"], lang)],
                        link("", lang, p["unit"])) for p in c["problems"][:SHOWN]])
        else:
            doc.para(t("alerts.no_problems", lang))
        if c["overdue"]:
            doc.heading(t("alerts.overdue_tasks", lang, n=fmt.number(c["overdue_total"], lang)))
            doc.table([t("alerts.col_task", lang), t("alerts.col_ref", lang), t("alerts.col_source", lang),
                       t("alerts.col_unit", lang), t("alerts.col_deadline", lang), t("alerts.col_days_overdue", lang),
                       t("alerts.col_progress", lang)], _task_rows(ctx, c["overdue"], lang, "days_overdue"))
        attachments.append(deck_attachment(ctx, due, lang))
        view = link("", lang, due.scope.unit)
    else:  # cutoff_reminder
        cut, period = c["cutoff"], c["report_period"]
        left = _working_days_left(ctx.now.date(), cut)
        subject = t("alerts.subject_cutoff_reminder", lang, date=fmt.date(cut, lang), n=left, scope=scope)
        doc.para(t("alerts.intro_cutoff_reminder", lang, date=fmt.date(cut, lang), n=left,
                   period=_period_text(period, lang), time=fmt.moment(ctx.now, lang)))
        result, files = government_attachments(ctx, due, lang, period)
        attachments.extend(files)
        cat = catalogue_mod.get()
        doc.heading(t("alerts.headline", lang))
        doc.table([t("alerts.col_kpi", lang), t("alerts.col_value", lang), t("alerts.col_status", lang)],
                  [([cat[k].name(lang), _kpi_text(k, result["kpis"].get(k), lang),
                     t(f"status_{cat[k].status(result['kpis'].get(k))}", lang)
                     if cat[k].status(result["kpis"].get(k)) else "—"],
                    link("", lang, due.scope.unit, period=period)) for k in HEADLINE])
        view = link("reports", lang, due.scope.unit, period=period)
    if c.get("total", 0) > SHOWN and kind not in ("weekly_summary", "cutoff_reminder"):
        doc.para(t("alerts.more", lang, n=fmt.number(c["total"] - SHOWN, lang)), view)
    doc.para(t("alerts.open_view", lang), view)
    if attachments:
        doc.para(t("alerts.attachments", lang, names=", ".join(a.filename for a in attachments)))
    doc.para(t("alerts.footer", lang, ministry=ministry_name(ctx, lang), rule=due.rule.name(lang),
               link=link("notifications", lang)))
    subject = one_line(f"{tag} {subject}")
    text, page = doc.render(subject, lang)
    return Built(subject, text, page, tuple(attachments))


def _working_days_left(today: dt.date, cut: dt.date) -> int:
    """Working days from today up to the cut-off day (today counted, the cut-off not):
    three on the day the reminder is due (`engine._working_days_before`)."""
    n, day = 0, today
    while day < cut:
        n += day.isoweekday() <= 5
        day += dt.timedelta(days=1)
    return n


def deck_attachment(ctx: Context, due: Due, lang: str) -> Attachment:
    """The presentation's deck as a PDF, for the recipient's scope and language, built
    once per (scope, language) by the deck's own code (`reports.deck`)."""
    from reports import deck, slides

    period = ctx.period

    def make() -> bytes:
        names = ctx.unit_names()
        built = slides.build(ctx.sources, period, ctx.now, due.scope, lang, slides.SLIDE_KEYS, unit_names=names)
        meta = slides.meta(period, ctx.now, due.scope, lang, unit_names=names, ministry=ctx.ministry())
        return deck.pdf_bytes(built, meta)

    data = ctx.once(("deck", due.scope, lang), make)
    stem = t("presentation.deck_file", lang, start=period.start.isoformat(), end=period.end.isoformat())
    return Attachment(f"{stem}.pdf", data, "application", "pdf")


def government_attachments(ctx: Context, due: Due, lang: str, period) -> tuple[dict, list[Attachment]]:
    """The Government KPI report for the period (the contract's dict) and its XLSX and
    PDF files, by `reports.government`."""
    from reports import government

    result = ctx.once(("government", due.scope, period),
                      lambda: government.report(ctx.sources, period, ctx.now, due.scope))

    def make() -> tuple[bytes, bytes]:
        context = ctx.once(("government_context", due.scope, period), lambda: government.context(ctx.sources, result))
        return (government.to_xlsx(result, lang, context.unit_names, context.ministry),
                government.to_pdf(result, lang, context))

    xlsx, pdf = ctx.once(("government_files", due.scope, period, lang), make)
    stem = t("reports_page.government_file", lang, start=period.start.isoformat(), end=period.end.isoformat())
    return result, [Attachment(f"{stem}.xlsx", xlsx, "application",
                               "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                    Attachment(f"{stem}.pdf", pdf, "application", "pdf")]


def email(built: Built, due: Due, sender: str, now: dt.datetime) -> EmailMessage:
    """The MIME message: plain text first, HTML as the alternative, then attachments."""
    msg = EmailMessage()
    msg["Subject"] = built.subject
    msg["From"] = sender
    msg["To"] = formataddr((one_line(due.recipient.name), due.recipient.email))
    msg["Date"] = format_datetime(now.astimezone() if now.tzinfo else now.replace(tzinfo=dt.timezone.utc))
    domain = sender.rsplit("@", 1)[-1].strip("> ") if "@" in sender else "localhost"
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg["Content-Language"] = due.recipient.lang
    msg["X-IOC-Rule"] = due.rule.id
    msg.set_content(built.text, subtype="plain", charset="utf-8")
    msg.add_alternative(built.html, subtype="html", charset="utf-8")
    for a in built.attachments:
        msg.add_attachment(a.content, maintype=a.maintype, subtype=a.subtype, filename=a.filename)
    return msg
